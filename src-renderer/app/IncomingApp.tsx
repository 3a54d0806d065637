/**
 * The Electron app's small always-on-top incoming-call window (`index.html#/incoming`): only the
 * prompts of calls ringing in. Main shows it without focus; keys answer only once the user
 * focuses it (the buttons are ordinary buttons, no window-wide shortcut).
 */
import { useMemo } from 'react';
import { callActions } from '../features/calls/call-actions.js';
import { useCallsStore } from '../features/calls/calls-store.js';
import { IncomingLine } from '../features/calls/IncomingLine.js';
import { useLink } from './link-context.js';
import { useDocumentSettings } from './useDocumentSettings.js';

export const isIncomingRoute = (hash: string): boolean => hash.startsWith('#/incoming');

export function IncomingApp() {
  const link = useLink();
  useDocumentSettings();
  const actions = useMemo(() => callActions(link), [link]);
  const live = useCallsStore((s) => s.live);
  const ringing = live.filter((c) => c.state === 'incoming');
  return (
    <main className="incoming-window">
      {ringing.map((call) => <IncomingLine key={call.id} call={call} actions={actions} />)}
    </main>
  );
}
