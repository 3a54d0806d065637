/**
 * `softphone echo-test`: the whole audio path with no account — microphone → resample → encoder →
 * RTP over a loopback socket → jitter buffer → decoder → speaker — so anyone can hear it work.
 */
import type { MediaEngine } from '../media/engine/media-engine.js';
import { codecByName } from '../media/codecs/registry.js';
import { allCodecs } from '../media/sdp/codecs.js';
import type { CliEvent } from './output.js';
import type { CliOptions } from './options.js';

export async function runEchoTest(engine: MediaEngine, o: CliOptions, out: (e: CliEvent) => void, stopped: Promise<void>): Promise<number> {
  const codec = codecByName(o.codecs?.[0] ?? 'opus')!;
  const address = o.bindAddress ?? '127.0.0.1';
  const port = await engine.allocate('echo', address, o.rtpPort);
  await engine.start('echo', {
    remoteAddress: address, remotePort: port, remoteRtcpPort: port, rtcpMux: true,
    codec: codec.name, payloadType: allCodecs[codec.name].payloadType, telephoneEventPt: 101, ptime: 20,
    direction: 'sendrecv', srtp: undefined,
  });
  out({ event: 'notice', message: `echo test with ${codec.name}: speak and hear yourself${o.duration ? '' : ' (quit or Ctrl-C to stop)'}` });
  const timer = o.duration !== undefined ? new Promise<void>((r) => setTimeout(r, o.duration! * 1000)) : new Promise<void>(() => {});
  await Promise.race([timer, stopped]);
  const stats = await engine.stop('echo');
  if (stats) out({ event: 'stats', id: 'echo', ...stats });
  return 0;
}
