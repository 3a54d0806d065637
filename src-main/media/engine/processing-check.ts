/**
 * The worker's own check of capture-processing settings (open-devices, set-processing) before it
 * rebuilds the stage: the host's settings schema validated them already, but nothing from the host
 * can make the worker build a stage from a value it does not know (an unknown noise level would
 * select no suppressor and report one) or from a payload carrying anything else.
 */
import type { ProcessingSettings } from '../processing/capture-processor.js';

const NOISE_LEVELS: readonly string[] = ['off', 'low', 'high'];
const KEYS = new Set(['aec', 'ns', 'agc']);

/** undefined when `p` is a ProcessingSettings the stage can be built from, else what is wrong with it. */
export function checkProcessingSettings(p: unknown): string | undefined {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return 'processing settings must be an object { aec, ns, agc }';
  const s = p as Record<string, unknown>;
  const extra = Object.keys(s).find((k) => !KEYS.has(k));
  if (extra !== undefined) return `processing settings: unknown field ${JSON.stringify(extra.slice(0, 40))}`;
  if (typeof s.aec !== 'boolean') return 'processing settings: aec must be true or false';
  if (typeof s.ns !== 'string' || !NOISE_LEVELS.includes(s.ns)) return `processing settings: ns must be off, low or high (got ${JSON.stringify(String(s.ns).slice(0, 40))})`;
  if (typeof s.agc !== 'boolean') return 'processing settings: agc must be true or false';
  return undefined;
}

/** The settings as given, or an Error saying why they are refused. */
export function validProcessingSettings(p: unknown): ProcessingSettings {
  const refused = checkProcessingSettings(p);
  if (refused) throw new Error(refused);
  return p as ProcessingSettings;
}
