/** CLI output: one JSON object per line (--json) or short human-readable lines. Never passwords. */
import type { CallSnapshot, CallStats } from '../contract/calls.js';

export type CliEvent =
  | { event: 'ready'; transport: string; address: string; port: number }
  | { event: 'registration'; account: string; state: string; reason?: string; status?: number; expires?: number }
  | { event: 'call'; id: string; direction: 'incoming' | 'outgoing'; remote: string; state: string; cause?: string; status?: number; reason?: string; codec?: string; autoAnswered?: true }
  | { event: 'dtmf'; id: string; digit: string; via: 'rfc4733' | 'info' }
  | ({ event: 'stats'; id: string } & CallStats)
  | { event: 'devices'; devices: unknown }
  | { event: 'calls'; calls: CallSnapshot[] }
  | { event: 'transfer'; id: string; status: string; sipfrag?: string }
  | { event: 'transfer-request'; id: string; target: string; policy: string; action: string; reason?: string; referredBy?: string; timeoutS?: number }
  | { event: 'blf'; uri: string; state: string }
  | { event: 'presence'; uri: string; status: string; note: string | null }
  | { event: 'mwi'; account: string; waiting: boolean; new: number; old: number }
  | { event: 'message'; from: string; text: string }
  | { event: 'message-status'; id: number; status: 'delivered' | 'failed'; code: number }
  | { event: 'sip-mapping'; source: 'stun-server' | 'keep-alive'; account?: string; server?: string; address?: string; port?: number; previous?: string; reason?: string }
  | { event: 'notice'; message: string }
  | { event: 'echo-advice'; input: string; output: string; echoRemovedDb: number; message: string }
  | { event: 'error'; message: string };

/** The advice when echo stays high with separate devices (the app says the same in its catalogues). */
export function echoAdviceEvent(e: { input: string; output: string; echoRemovedDb: number }): CliEvent {
  const message = `echo stays high: the microphone (${e.input}) and the speaker (${e.output}) are separate devices; use a headset, or one device for both`;
  return { event: 'echo-advice', input: e.input, output: e.output, echoRemovedDb: e.echoRemovedDb, message };
}

export function createOutput(json: boolean, write: (line: string) => void = (l) => process.stdout.write(l + '\n')) {
  return (e: CliEvent) => {
    if (json) {
      write(JSON.stringify(e));
      return;
    }
    switch (e.event) {
      case 'ready': write(`listening on ${e.transport} ${e.address}:${e.port}`); break;
      case 'registration': write(`registration ${e.account}: ${e.state}${e.reason ? ` (${e.reason})` : ''}`); break;
      case 'call': write(`call ${e.id} ${e.direction} ${e.remote}: ${e.state}${e.cause ? ` (${e.cause}${e.status ? ` ${e.status}` : ''})` : ''}`); break;
      case 'dtmf': write(`call ${e.id}: DTMF ${e.digit} (${e.via})`); break;
      case 'stats': write(`call ${e.id}: ${e.codec}, loss ${e.lossPercent.toFixed(1)}%, jitter ${e.jitterMs.toFixed(1)} ms, ` +
        `RTT ${e.rttMs === undefined ? 'n/a' : `${e.rttMs.toFixed(0)} ms`}, MOS ${e.mos.toFixed(2)}`); break;
      case 'devices': write(JSON.stringify(e.devices, null, 2)); break;
      case 'calls': write(e.calls.map((c) => `${c.id} ${c.direction} ${c.peer.uri} ${c.state}`).join('\n') || 'no calls'); break;
      case 'transfer': write(`call ${e.id}: transfer ${e.status}${e.sipfrag ? ` (${e.sipfrag})` : ''}`); break;
      case 'transfer-request': write(`call ${e.id}: transfer request to ${e.target}: ${e.action}${e.reason ? ` (${e.reason})` : ''}` +
        `${e.action === 'ask' ? ` — accept-transfer ${e.id} or reject-transfer ${e.id} within ${e.timeoutS} s` : ''}`); break;
      case 'blf': write(`lamp ${e.uri}: ${e.state}`); break;
      case 'presence': write(`presence ${e.uri}: ${e.status}${e.note ? ` (${e.note})` : ''}`); break;
      case 'mwi': write(`voicemail ${e.account}: ${e.waiting ? `${e.new} new, ${e.old} old` : 'no messages'}`); break;
      case 'message': write(`message from ${e.from}: ${e.text}`); break;
      case 'message-status': write(`message ${e.id}: ${e.status} (${e.code})`); break;
      case 'sip-mapping': write(`SIP UDP public mapping${e.account ? ` (${e.account})` : ''} ${e.source === 'stun-server' ? `from STUN server ${e.server}` : 'from keep-alive'}: ` +
        `${e.address !== undefined ? `${e.address}:${e.port}${e.previous ? ` (was ${e.previous})` : ''}` : `unknown (${e.reason})`}`); break;
      case 'notice': write(`notice: ${e.message}`); break;
      case 'echo-advice': write(`notice: ${e.message}`); break;
      case 'error': write(`error: ${e.message}`); break;
    }
  };
}
