import { dtmfDigit, dtmfEventCode, type DtmfDigit } from '../../../util/dtmf-keys.js';

/**
 * DTMF over SIP INFO with an `application/dtmf-relay` body (the de-facto format of Cisco and most
 * PBXs; no RFC): `Signal=5\r\nDuration=160\r\n`, Duration in ms. Parsing is lenient (any case, LF
 * or CRLF, spaces around `=`, Signal given as a key or as its event code 0–15); formatting is
 * canonical.
 */
export const DTMF_RELAY_CONTENT_TYPE = 'application/dtmf-relay';

export interface DtmfRelay {
  signal: DtmfDigit;
  /** Milliseconds; undefined when the body has no (valid) Duration line. */
  durationMs: number | undefined;
}

/** Parse a dtmf-relay body; undefined when there is no valid Signal line. */
export function parseDtmfRelay(body: string): DtmfRelay | undefined {
  let signal: DtmfDigit | undefined;
  let durationMs: number | undefined;
  for (const line of body.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    if (key === 'signal') {
      signal = /^\d{1,2}$/.test(value) && value.length === 2 ? dtmfDigit(Number(value)) : keyOf(value);
      if (signal === undefined) return undefined;
    } else if (key === 'duration' && /^\d{1,6}$/.test(value)) {
      durationMs = Number(value);
    }
  }
  return signal === undefined ? undefined : { signal, durationMs };
}

function keyOf(value: string): DtmfDigit | undefined {
  const code = dtmfEventCode(value);
  return code < 0 ? undefined : dtmfDigit(code);
}

/** The canonical body: `Signal=<key>\r\nDuration=<ms>\r\n`. */
export function formatDtmfRelay(signal: string, durationMs: number): string {
  const key = keyOf(signal);
  if (key === undefined) throw new RangeError(`not a DTMF digit: ${JSON.stringify(signal)}`);
  if (!Number.isInteger(durationMs) || durationMs < 0) throw new RangeError(`bad duration ${durationMs}`);
  return `Signal=${key}\r\nDuration=${durationMs}\r\n`;
}
