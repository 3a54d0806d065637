/** Invoke a channel and turn a failure into a notice; returns the value, or undefined on failure. */
import type { Channel, ChannelReplies, ChannelRequest } from '../../src-main/contract/channels.js';
import type { Command } from '../../src-main/contract/calls.js';
import { DISCONNECTED, TIMED_OUT, type HostLink } from '../transport/link.js';
import { useAppStore } from './app-store.js';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

export async function request<C extends Channel>(
  link: HostLink, channel: C, body: ChannelRequest<C>, options: { quiet?: boolean } = {},
): Promise<Outcome<ChannelReplies[C]>> {
  const reply = await link.invoke(channel, body);
  if (!reply.ok && !options.quiet) {
    const kind = reply.error === DISCONNECTED ? 'disconnected' : reply.error === TIMED_OUT ? 'timedOut' : 'failed';
    useAppStore.getState().notify({ kind, text: reply.error });
  }
  return reply;
}

export const command = (link: HostLink, cmd: Command): Promise<Outcome<unknown>> => request(link, 'calls.command', cmd);
