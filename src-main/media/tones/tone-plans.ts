/**
 * Call-progress tone plans as data: a cadence of segments, each a set of frequencies (none = off).
 * Values from ITU-T E.180 Supplement 2 (national tones) / ETSI TR 101 041 (CEPT 425 Hz tones);
 * DTMF pairs from ITU-T Q.23.
 */
export interface ToneSegment {
  /** Frequencies summed during the segment, Hz; empty = silence. */
  readonly freqs: readonly number[];
  /** Segment length, ms. */
  readonly ms: number;
}

export interface TonePlan {
  readonly name: string;
  readonly segments: readonly ToneSegment[];
  /** Loop the cadence forever (call-progress tones) or play it once (DTMF feedback). */
  readonly repeat: boolean;
}

export type CallProgressTone = 'dial' | 'ringback' | 'busy' | 'congestion' | 'call-waiting';
export type ToneRegion = 'us' | 'eu' | 'uk';

const on = (freqs: readonly number[], ms: number): ToneSegment => ({ freqs, ms });
const off = (ms: number): ToneSegment => ({ freqs: [], ms });
const plan = (name: string, ...segments: ToneSegment[]): TonePlan => ({ name, segments, repeat: true });

/** One row per region: the cadences a caller hears. */
export const TONE_PLANS: Readonly<Record<ToneRegion, Readonly<Record<CallProgressTone, TonePlan>>>> = {
  // North America (E.180 Suppl. 2, "precise tone plan").
  us: {
    dial: plan('us dial', on([350, 440], 1000)),
    ringback: plan('us ringback', on([440, 480], 2000), off(4000)),
    busy: plan('us busy', on([480, 620], 500), off(500)),
    congestion: plan('us congestion', on([480, 620], 250), off(250)),
    'call-waiting': plan('us call-waiting', on([440], 300), off(9700)),
  },
  // CEPT / ETSI TR 101 041 (most of continental Europe).
  eu: {
    dial: plan('eu dial', on([425], 1000)),
    ringback: plan('eu ringback', on([425], 1000), off(4000)),
    busy: plan('eu busy', on([425], 500), off(500)),
    congestion: plan('eu congestion', on([425], 250), off(250)),
    'call-waiting': plan('eu call-waiting', on([425], 200), off(200), on([425], 200), off(4400)),
  },
  // United Kingdom (BT SIN 350).
  uk: {
    dial: plan('uk dial', on([350, 440], 1000)),
    ringback: plan('uk ringback', on([400, 450], 400), off(200), on([400, 450], 400), off(2000)),
    busy: plan('uk busy', on([400], 375), off(375)),
    congestion: plan('uk congestion', on([400], 400), off(350), on([400], 225), off(525)),
    'call-waiting': plan('uk call-waiting', on([400], 100), off(3000)),
  },
};

/** DTMF low (row) and high (column) group frequencies, ITU-T Q.23 §2. */
export const DTMF_LOW_HZ = [697, 770, 852, 941] as const;
export const DTMF_HIGH_HZ = [1209, 1336, 1477, 1633] as const;
const DTMF_KEYPAD = ['123A', '456B', '789C', '*0#D'] as const;

/** The (low, high) pair of a DTMF key, or undefined for anything else. */
export function dtmfFrequencies(digit: string): readonly [number, number] | undefined {
  const key = digit.toUpperCase();
  for (let row = 0; row < 4; row++) {
    const col = DTMF_KEYPAD[row]!.indexOf(key);
    if (key.length === 1 && col >= 0) return [DTMF_LOW_HZ[row]!, DTMF_HIGH_HZ[col]!];
  }
  return undefined;
}

/** A one-shot plan for local DTMF feedback: the key's pair for `onMs`, then `offMs` of silence. */
export function dtmfTonePlan(digit: string, onMs = 100, offMs = 0): TonePlan {
  const pair = dtmfFrequencies(digit);
  if (!pair) throw new RangeError(`not a DTMF key: ${JSON.stringify(digit)}`);
  const segments = offMs > 0 ? [on(pair, onMs), off(offMs)] : [on(pair, onMs)];
  return { name: `dtmf ${digit}`, segments, repeat: false };
}
