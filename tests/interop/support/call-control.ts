/**
 * Shared pieces of the call-control interop tests: a Kamailio plus baresip peers that each send
 * their own tone, our CLI with its own tone and recording, and readers for --sip-trace and for
 * "who hears whom" in a recording.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeToneWav, startBaresip, startKamailio, type Baresip, type Kamailio, type TestScope } from '../harness/index.js';
import { goertzel } from '../../support/audio-analysis.js';
import { readWav } from '../../support/wav.js';
import { startSoftphone, type Softphone, type SoftphoneEvent } from '../../support/softphone-process.js';

/** Our tone and each baresip's (distinct, far from each other's harmonics and the 440 Hz tone plan). */
export const ourTone = 600;
export const peerTones = { '1010': 1000, '1009': 1300, '1008': 1700 } as const;
export type PeerUser = keyof typeof peerTones;

export interface Bed {
  kamailio: Kamailio;
  domain: string;
  peers: Record<string, Baresip>;
}

export interface BedOptions {
  users: PeerUser[];
  /** Extra account params for every baresip (e.g. ';mediaenc=srtp-mand'). */
  accountParams?: string;
  autoAnswer?: boolean;
}

export async function startBed(scope: TestScope, o: BedOptions): Promise<Bed> {
  const kamailio = scope.use(await startKamailio({ dir: scope.dir }));
  const peers: Record<string, Baresip> = {};
  await Promise.all(o.users.map(async (user) => {
    peers[user] = scope.use(await startBaresip({
      dir: scope.dir, user, password: `pw${user}`, autoAnswer: o.autoAnswer ?? true,
      registrar: { host: kamailio.host, port: kamailio.udpPort, transport: 'udp' },
      audioFile: makeToneWav(join(scope.dir, `tone-${user}.wav`), { freqHz: peerTones[user], seconds: 60 }),
      ...(o.accountParams ? { accountParams: o.accountParams } : {}),
    }));
  }));
  return { kamailio, domain: `127.0.0.1:${kamailio.udpPort}`, peers };
}

export interface OurPhone { p: Softphone; rec: string; user: string }

/** Our CLI as user 1001 with its tone and a recording; `transport` other than udp uses Kamailio's TCP port. */
export function startOurs(scope: TestScope, bed: Bed, command: 'listen' | 'call', o: { target?: string; extra?: string[]; transport?: 'udp' | 'tcp'; user?: string; tone?: number } = {}): OurPhone {
  const user = o.user ?? '1001';
  const port = o.transport === 'tcp' ? bed.kamailio.tcpPort : bed.kamailio.udpPort;
  const domain = `127.0.0.1:${port}`;
  const tp = o.transport === 'tcp' ? ';transport=tcp' : '';
  const rec = join(scope.dir, `ours-${user}.wav`);
  const play = makeToneWav(join(scope.dir, `ours-${user}-tone.wav`), { freqHz: o.tone ?? ourTone, seconds: 60 });
  const p = scope.use(startSoftphone([command, ...(o.target ? [o.target] : []), '--id', `sip:${user}@${domain}`, '--password', `pw${user}`,
    '--registrar', `sip:${domain}${tp}`, ...(o.transport === 'tcp' ? ['--transport', 'tcp'] : []),
    '--play-file', play, '--rec-file', rec, ...(o.extra ?? [])], { trace: true }));
  return { p, rec, user };
}

export const registered = (e: SoftphoneEvent) => e.event === 'registration' && e.state === 'registered';
export const callEvent = (id: string, state: string) => (e: SoftphoneEvent) => e.event === 'call' && e.id === id && e.state === state;
/** Events of one call, in order, as states. */
export const statesOf = (p: Softphone, id: string) => p.events.filter((e) => e.event === 'call' && e.id === id).map((e) => String(e.state));

export interface TracedMessage { dir: 'out' | 'in'; firstLine: string; text: string }

/** The SIP messages our --sip-trace printed, in order. */
export function tracedMessages(stderr: string): TracedMessage[] {
  const out: TracedMessage[] = [];
  const re = /^(>>> to|<<< from) [^\n]*\n/gm;
  const starts: Array<{ at: number; body: number; dir: 'out' | 'in' }> = [];
  for (let m; (m = re.exec(stderr));) starts.push({ at: m.index, body: m.index + m[0].length, dir: m[1]!.startsWith('>>>') ? 'out' : 'in' });
  starts.forEach((s, i) => {
    const text = stderr.slice(s.body, starts[i + 1]?.at ?? stderr.length);
    out.push({ dir: s.dir, firstLine: text.split(/\r?\n/, 1)[0]!, text });
  });
  return out;
}

/** Messages whose To names `user` (sip:user@…): a filter for one peer's dialog. */
export const addressedTo = (user: string) => (m: TracedMessage) => new RegExp(`^To:[^\\n]*sip:${user}@`, 'im').test(m.text);

/** The a=sendrecv|sendonly|recvonly|inactive of a message's (first) audio section, if it has SDP. */
export function sdpDirection(m: TracedMessage): string | undefined {
  if (!/\r?\n\r?\nv=0/.test(m.text)) return undefined;
  return /^a=(sendrecv|sendonly|recvonly|inactive)\r?$/m.exec(m.text)?.[1] ?? 'sendrecv';
}

/** In-dialog INVITEs (re-INVITEs, with a To tag) we sent, and the 200 OK answers to INVITEs we received. */
export function reinvitesSent(msgs: TracedMessage[]): TracedMessage[] {
  return msgs.filter((m) => m.dir === 'out' && m.firstLine.startsWith('INVITE ') && /^To:[^\n]*;tag=/im.test(m.text));
}
export function inviteAnswersReceived(msgs: TracedMessage[]): TracedMessage[] {
  return msgs.filter((m) => m.dir === 'in' && m.firstLine.startsWith('SIP/2.0 200') && /^CSeq:\s*\d+ INVITE/im.test(m.text));
}

/**
 * Which of `freqs` are heard in each 100 ms window of a recording: a tone counts when its
 * Goertzel amplitude is above -30 dBFS (the peers send -6 dBFS sines).
 */
export function toneTimeline(file: string, freqs: number[]): { windowMs: number; present: Record<number, boolean[]> } {
  const pcm = readWav(file);
  const n = Math.floor(pcm.rate / 10);
  const limit = 32768 * Math.pow(10, -30 / 20);
  const present: Record<number, boolean[]> = {};
  for (const f of freqs) {
    present[f] = [];
    for (let i = 0; i + n <= pcm.samples.length; i += n) present[f]!.push(goertzel(pcm.samples, pcm.rate, f, i, i + n) > limit);
  }
  return { windowMs: 100, present };
}

/** Runs of the same value: [value, length] pairs, e.g. [[false, 12], [true, 30], ...]. */
export function runs(xs: boolean[]): Array<[boolean, number]> {
  const out: Array<[boolean, number]> = [];
  for (const x of xs) {
    const last = out[out.length - 1];
    if (last && last[0] === x) last[1]++;
    else out.push([x, 1]);
  }
  return out;
}

/** Seconds of `freq` in a recording (100 ms windows). */
export function secondsOf(file: string, freq: number): number {
  return toneTimeline(file, [freq]).present[freq]!.filter(Boolean).length / 10;
}

export { baresipDumps } from '../harness/index.js';

export function assertHears(file: string, freq: number, minSeconds: number, what: string): void {
  const s = secondsOf(file, freq);
  assert.ok(s >= minSeconds, `${what}: ${freq} Hz heard for ${s.toFixed(1)} s, expected ≥ ${minSeconds} s`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
