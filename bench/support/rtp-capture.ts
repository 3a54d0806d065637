/**
 * Captures a sender's RTP on loopback with tshark and measures its send intervals (the spacing of
 * consecutive packets of one stream as seen on the wire). RTP is told from RTCP by its payload
 * type (RFC 5761 §4: RTCP packet types 200–204 fall on RTP payload types 72–76).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readPcapUdp } from './pcap.js';

const RTP_VERSION = 2;
const RTCP_PT_FIRST = 72;
const RTCP_PT_LAST = 76;
const RTP_HEADER = 12;

export interface IntervalStats {
  packets: number;
  meanMs: number;
  stdevMs: number;
  maxMs: number;
  p99Ms: number;
  /** Share of intervals more than 5 ms away from the mean, %. */
  offPercent: number;
}

export interface RtpSendTimes {
  ssrc: number;
  payloadType: number;
  /** Wire times of the stream's packets in sequence, ms since the epoch. */
  timesMs: number[];
}

export interface Capture {
  file: string;
  /** Stops tshark and waits until the file is complete. */
  stop(): Promise<void>;
}

/** Starts `tshark -i lo` with a BPF filter; resolves once it is capturing. */
export async function startCapture(file: string, bpf: string): Promise<Capture> {
  const proc: ChildProcess = spawn('tshark', ['-i', 'lo', '-q', '-F', 'pcap', '-B', '8', '-f', bpf, '-w', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tshark did not start capturing:\n${err}`)), 10_000);
    proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
      if (/Capturing on/.test(err)) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tshark exited (${code}):\n${err}`));
    });
  });
  return {
    file,
    async stop() {
      proc.kill('SIGINT');
      await exited;
    },
  };
}

/** RTP streams sent from `srcPorts`, largest first (RTCP and other datagrams skipped). */
export function rtpStreams(file: string, srcPorts: (port: number) => boolean): RtpSendTimes[] {
  const streams = new Map<number, RtpSendTimes>();
  for (const d of readPcapUdp(file)) {
    const p = d.payload;
    if (!srcPorts(d.srcPort) || p.length < RTP_HEADER || p[0]! >> 6 !== RTP_VERSION) continue;
    const pt = p[1]! & 0x7f;
    if (pt >= RTCP_PT_FIRST && pt <= RTCP_PT_LAST) continue;
    const ssrc = ((p[8]! << 24) | (p[9]! << 16) | (p[10]! << 8) | p[11]!) >>> 0;
    let s = streams.get(ssrc);
    if (!s) streams.set(ssrc, (s = { ssrc, payloadType: pt, timesMs: [] }));
    s.timesMs.push(d.timeMs);
  }
  return [...streams.values()].sort((a, b) => b.timesMs.length - a.timesMs.length);
}

/** Interval statistics of the packets sent within [fromMs, toMs]. */
export function intervalStats(timesMs: readonly number[], fromMs = -Infinity, toMs = Infinity): IntervalStats {
  const t = timesMs.filter((x) => x >= fromMs && x <= toMs);
  const d: number[] = [];
  for (let i = 1; i < t.length; i++) d.push(t[i]! - t[i - 1]!);
  if (d.length === 0) return { packets: t.length, meanMs: NaN, stdevMs: NaN, maxMs: NaN, p99Ms: NaN, offPercent: NaN };
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const variance = d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length;
  return {
    packets: t.length,
    meanMs: mean,
    stdevMs: Math.sqrt(variance),
    maxMs: Math.max(...d),
    p99Ms: [...d].sort((a, b) => a - b)[Math.floor(0.99 * (d.length - 1))]!,
    offPercent: (100 * d.filter((x) => Math.abs(x - mean) > 5).length) / d.length,
  };
}
