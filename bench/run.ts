/**
 * `npm run bench`: every benchmark, printed against its named baseline. Figures, not pass/fail.
 * Run one alone with `node --import tsx bench/<name>.ts`.
 */
import { run as parse } from './parse.js';
import { run as fuzzThroughput } from './fuzz-throughput.js';
import { run as rtp } from './rtp.js';
import { run as codecs } from './codecs.js';
import { run as jitter } from './jitter.js';
import { run as contacts } from './contacts.js';
import { run as media } from './media.js';
import { run as idle } from './idle.js';
import { run as scale } from './scale.js';
import { run as aec } from './aec.js';

const benches: Array<[string, () => unknown]> = [['parse', () => parse()], ['fuzz-throughput', () => fuzzThroughput()], ['rtp', () => rtp()], ['codecs', () => codecs()], ['jitter', () => jitter()],
  // ~30 s: contact search at 10k/100k, a 10k vCard import, history queries at 10k rows.
  ['contacts', () => contacts()],
  // ~2 min; needs kamailio, baresip, tshark (root or the wireshark group) and sox.
  ['media', () => media()],
  // ~70 s: idle cost beside baresip, and the web host's start-up to a usable page.
  ['idle', () => idle()],
  // ~3 min: 1, 2, 4 PCMU calls and a 3-way conference from one CLI (CPU per call).
  ['scale', () => scale()],
  // ~2 min: microphone processing per 20 ms frame, and a call's CPU with it on and off (Kamailio, baresip).
  ['aec', () => aec()]];

for (const [name, bench] of benches) {
  console.log(`\n== ${name} ==`);
  await bench();
}
