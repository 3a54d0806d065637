/**
 * RTP/SRTP benchmark: packets per second and cost per 20 ms packet (PCMU, 160-octet payload) for
 * RTP parse+write and SRTP protect+unprotect. Figures, not pass/fail.
 * Run: node --import tsx bench/rtp.ts
 */
import { emptyRtpHeader, parseRtpInto, writeRtp } from '../src-main/media/rtp/rtp-packet.js';
import { SrtpContext } from '../src-main/media/srtp/srtp-context.js';
import type { SrtpSuiteName } from '../src-main/media/srtp/crypto-suite.js';

const PAYLOAD = new Uint8Array(160).fill(0x55);
const KEY = Uint8Array.from({ length: 30 }, (_, i) => i * 7);

function measure(name: string, fn: (i: number) => void, ms = 1000): void {
  const warmUp = 20000;
  for (let i = 0; i < warmUp; i++) fn(i);
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 1000; i++) fn(warmUp + n++);
    elapsed = performance.now() - start;
  }
  const perSecond = (n / elapsed) * 1000;
  console.log(`${name.padEnd(44)} ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} packets/s  ${((elapsed * 1000) / n).toFixed(2).padStart(7)} µs/packet`);
}

export function run(): void {
  const buf = new Uint8Array(1500);
  const header = emptyRtpHeader();
  measure('RTP writeRtp + parseRtpInto', (i) => {
    const n = writeRtp(buf, { marker: false, payloadType: 0, sequence: i & 0xffff, timestamp: (i * 160) >>> 0, ssrc: 0x1234 }, PAYLOAD);
    parseRtpInto(buf.subarray(0, n), header);
  });

  for (const suite of ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'] as SrtpSuiteName[]) {
    const tx = new SrtpContext(suite, KEY);
    const rx = new SrtpContext(suite, KEY, { replayWindow: 1024 });
    const plain = new Uint8Array(12 + PAYLOAD.length);
    const wire = new Uint8Array(1500);
    measure(`SRTP ${suite} protect + unprotect`, (i) => {
      writeRtp(plain, { marker: false, payloadType: 0, sequence: i & 0xffff, timestamp: (i * 160) >>> 0, ssrc: 0x1234 }, PAYLOAD);
      const p = tx.protectRtp(plain, wire);
      const r = rx.unprotectRtp(p);
      if (!(r instanceof Uint8Array)) throw new Error(`unprotect failed: ${r.error}`);
    });
  }
  console.log('(one 20 ms call leg sends and receives 50 packets/s each way)');
}

if (import.meta.url === `file://${process.argv[1]}`) run();
