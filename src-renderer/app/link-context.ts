/** The host link, handed to containers through context (presentational components never see it). */
import { createContext, useContext } from 'react';
import type { HostLink } from '../transport/link.js';

export const LinkContext = createContext<HostLink | null>(null);

export function useLink(): HostLink {
  const link = useContext(LinkContext);
  if (!link) throw new Error('useLink outside <LinkContext>');
  return link;
}
