/**
 * CPU of 1, 2 and 4 simultaneous calls and of a local 3-way conference (figures, not pass/fail):
 * our CLI (`listen --no-auto-hold`, file devices) places PCMU calls through Kamailio to an
 * auto-answering baresip (up to 4 calls) from stdin, and its process is measured over a window
 * with the calls up (schedstat run time, % of one core; wake-ups per second). The goals:
 * 4 calls ≤ 4 × one call, the conference ≤ 3 × one call. Run alone:
 *   node --import tsx bench/scale.ts [--seconds 10] [--runs 3] [--bin FILE] [--baseline DIR]
 */
import { join } from 'node:path';
import { makeToneWav, startBaresip, startKamailio, testScope } from '../tests/interop/harness/index.js';
import { startSoftphone, type Softphone, type SoftphoneEvent } from '../tests/support/softphone-process.js';
import { median } from './support/median.js';
import { ProcessMeter } from './support/proc-stats.js';
import { softphoneBin } from './support/snapshot.js';
import { arg } from './support/cli-args.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Scenario { name: string; calls: number; conference: boolean }
const SCENARIOS: Scenario[] = [
  { name: '1 call', calls: 1, conference: false },
  { name: '2 calls', calls: 2, conference: false },
  { name: '4 calls', calls: 4, conference: false },
  { name: '3-way conference (2 calls mixed)', calls: 2, conference: true },
];

const callState = (id: string, state: string) => (e: SoftphoneEvent) => e.event === 'call' && e.id === id && e.state === state;

/** Places `n` calls one after the other (each confirmed before the next); returns their ids. */
async function placeCalls(cli: Softphone, callee: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const seen = cli.events.length;
    cli.command(`call ${callee}`);
    const started = await cli.waitEvent((e) => cli.events.indexOf(e) >= seen && e.event === 'call' && e.state === 'calling', 'calling');
    const id = String(started.id);
    await cli.waitEvent(callState(id, 'confirmed'), `call ${i + 1} confirmed`);
    ids.push(id);
  }
  return ids;
}

async function measure(cli: Softphone, seconds: number): Promise<{ cpu: number; wakeups: number }> {
  const meter = new ProcessMeter(cli.pid, 3_600_000);
  await sleep(2000);
  meter.mark();
  await sleep(seconds * 1000);
  const t = meter.threadsSinceMark();
  meter.stop();
  return { cpu: t.cpuPercent, wakeups: t.wakeupsPerS };
}

export async function run(opts: { seconds?: number; runs?: number; bin?: string; baseline?: string } = {}): Promise<void> {
  const seconds = opts.seconds ?? 10;
  const runs = opts.runs ?? 3;
  const variants = [
    ...(opts.baseline ? [{ name: 'before', bin: softphoneBin(opts.baseline) }] : []),
    { name: opts.baseline ? 'after' : 'ours', bin: opts.bin },
  ];
  const scope = testScope();
  try {
    const kamailio = scope.use(await startKamailio({ dir: scope.dir }));
    const domain = `127.0.0.1:${kamailio.udpPort}`;
    const tone = makeToneWav(join(scope.dir, 'tone.wav'), { freqHz: 440, seconds: 30 });
    const callee = scope.use(await startBaresip({
      dir: scope.dir, user: '1010', password: 'pw1010', autoAnswer: true, codecs: 'PCMU', audioFile: tone,
      registrar: { host: kamailio.host, port: kamailio.udpPort, transport: 'udp' },
    }));
    void callee;
    const results: Record<string, Record<string, { cpu: number[]; wakeups: number[] }>> = {};
    for (let r = 0; r < runs; r++) {
      for (const v of variants) {
        const cli = startSoftphone(['listen', '--id', `sip:1001@${domain}`, '--password', 'pw1001', '--registrar', `sip:${domain}`,
          '--no-auto-hold', '--codecs', 'pcmu', '--play-file', tone, '--rec-file', join(scope.dir, `scale-${v.name}-${r}.wav`)],
        v.bin ? { bin: v.bin } : {});
        try {
          await cli.waitEvent((e) => e.event === 'registration' && e.state === 'registered', 'registered');
          for (const s of SCENARIOS) {
            const ids = await placeCalls(cli, `sip:1010@${domain}`, s.calls);
            if (s.conference) {
              cli.command(`conference ${ids[0]} ${ids[1]}`);
              await cli.waitEvent(callState(ids[1]!, 'conference'), 'conference');
            }
            const m = await measure(cli, seconds);
            const row = ((results[v.name] ??= {})[s.name] ??= { cpu: [], wakeups: [] });
            row.cpu.push(m.cpu);
            row.wakeups.push(m.wakeups);
            for (const id of ids) cli.command(`hangup ${id}`);
            for (const id of ids) await cli.waitEvent(callState(id, 'ended'), 'ended');
            await sleep(1000);
          }
        } finally {
          await cli.stop();
        }
      }
      console.log(`run ${r + 1}/${runs} done`);
    }
    const table: Record<string, Record<string, string>> = {};
    for (const v of variants) {
      const one = median(results[v.name]!['1 call']!.cpu);
      for (const s of SCENARIOS) {
        const row = results[v.name]![s.name]!;
        const cpu = median(row.cpu);
        table[`${v.name}: ${s.name}`] = {
          'CPU % of a core': `${cpu.toFixed(2)} [${Math.min(...row.cpu).toFixed(2)}–${Math.max(...row.cpu).toFixed(2)}]`,
          '÷ one call': `${(cpu / one).toFixed(2)}×`,
          goal: s.conference ? '≤ 3×' : `≤ ${s.calls}×`,
          'wake-ups/s': median(row.wakeups).toFixed(0),
        };
      }
    }
    console.log(`PCMU calls through Kamailio to baresip, file devices, ${seconds} s windows, ${runs} runs: median [min–max]`);
    console.table(table);
  } finally {
    await scope.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run({
    ...(arg('--seconds') ? { seconds: Number(arg('--seconds')) } : {}),
    ...(arg('--runs') ? { runs: Number(arg('--runs')) } : {}),
    ...(arg('--bin') ? { bin: arg('--bin')! } : {}),
    ...(arg('--baseline') ? { baseline: arg('--baseline')! } : {}),
  });
}
