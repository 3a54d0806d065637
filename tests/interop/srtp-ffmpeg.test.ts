/**
 * Independent cross-check: ffmpeg (libavformat's own SRTP) sends a 1 kHz μ-law tone as
 * AES_CM_128_HMAC_SHA1_80 SRTP, with SRTCP sender reports, to loopback; we unprotect every
 * packet and check the decoded signal (frequency and level). Needs the Debian `ffmpeg` package.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { SrtpContext } from '../../src-main/media/srtp/srtp-context.js';
import { parseRtp } from '../../src-main/media/rtp/rtp-packet.js';
import { parseRtcp } from '../../src-main/media/rtp/rtcp.js';
import { goertzel, rms } from '../support/audio-analysis.js';

const KEY = Uint8Array.from({ length: 30 }, (_, i) => (i * 29 + 3) & 0xff);

/** G.711 μ-law expansion (ITU-T G.711 Table 2). */
function ulaw(u: number): number {
  const v = ~u & 0xff;
  const magnitude = ((((v & 0x0f) << 3) + 0x84) << ((v >> 4) & 7)) - 0x84;
  return v & 0x80 ? -magnitude : magnitude;
}

/** Power at `hz` relative to total power (1 for a pure tone at `hz`): a sine of amplitude A has power A²/2. */
function toneFraction(x: number[], hz: number, rate: number): number {
  return goertzel(x, rate, hz) ** 2 / 2 / rms(x) ** 2;
}

async function bindPair(): Promise<[dgram.Socket, dgram.Socket]> {
  for (;;) {
    const rtp = dgram.createSocket('udp4');
    rtp.bind(0, '127.0.0.1');
    await once(rtp, 'listening');
    const port = rtp.address().port;
    if (port % 2 === 1 || port === 65535) {
      rtp.close();
      continue;
    }
    const rtcp = dgram.createSocket('udp4');
    const bound = new Promise<boolean>((resolve) => {
      rtcp.once('error', () => resolve(false));
      rtcp.bind(port + 1, '127.0.0.1', () => resolve(true));
    });
    if (await bound) return [rtp, rtcp];
    rtp.close();
  }
}

test('ffmpeg SRTP/SRTCP (AES_CM_128_HMAC_SHA1_80) unprotects to a 1 kHz tone', async () => {
  assert.equal(spawnSync('ffmpeg', ['-version']).status, 0, 'ffmpeg missing: apt-get install -y ffmpeg');
  const [rtpSocket, rtcpSocket] = await bindPair();
  const rx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', KEY);
  const samples: number[] = [];
  const errors: string[] = [];
  let reports = 0;
  let received: () => void = () => {};
  const allReceived = new Promise<void>((resolve) => (received = resolve));
  const check = () => samples.length >= 8000 && reports >= 1 && received();
  rtpSocket.on('message', (m) => {
    const r = rx.unprotectRtp(Uint8Array.from(m));
    if (!(r instanceof Uint8Array)) return void errors.push(r.error);
    const h = parseRtp(r)!;
    for (let i = 0; i < h.payloadLength; i++) samples.push(ulaw(r[h.payloadOffset + i]!));
    check();
  });
  rtcpSocket.on('message', (m) => {
    const r = rx.unprotectRtcp(Uint8Array.from(m));
    if (!(r instanceof Uint8Array)) return void errors.push(`rtcp ${r.error}`);
    if (parseRtcp(r)?.[0]?.type === 'SR') reports++;
    check();
  });
  const port = rtpSocket.address().port;
  const ffmpeg = spawn('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=8000:duration=1',
    '-c:a', 'pcm_mulaw', '-f', 'rtp', '-srtp_out_suite', 'AES_CM_128_HMAC_SHA1_80',
    '-srtp_out_params', Buffer.from(KEY).toString('base64'), `srtp://127.0.0.1:${port}?localrtpport=0`,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  ffmpeg.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = await once(ffmpeg, 'exit');
  // Everything was sent before exit; allow 2 s for the loopback queue to drain (only a failure waits).
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([allReceived, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
  clearTimeout(timer);
  rtpSocket.close();
  rtcpSocket.close();
  assert.equal(code, 0, stderr);
  assert.deepEqual(errors, []);
  assert.ok(reports >= 1, 'no SRTCP sender report');
  assert.ok(samples.length >= 8000, `${samples.length} samples`);
  assert.ok(toneFraction(samples, 1000, 8000) > 0.95, `tone fraction ${toneFraction(samples, 1000, 8000)}`);
  // lavfi sine has amplitude 1/8 of full scale: RMS = 32768/8/√2 ≈ 2896.
  const level = rms(samples);
  assert.ok(Math.abs(20 * Math.log10(level / 2896)) < 0.5, `RMS ${level}`);
});
