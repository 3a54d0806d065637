/**
 * Text of an imported file: UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), else
 * Windows-1252 — what Outlook and Excel write on a Western-European Windows.
 */
import type { Result } from '../../contract/calls.js';

export interface DecodedText { text: string; encoding: 'utf-8' | 'windows-1252' }

export function decodeText(bytes: Uint8Array): Result<DecodedText> {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, error: 'data: the file is UTF-16 ("Unicode" text); export it again as UTF-8 or CSV' };
  }
  try {
    return { ok: true, value: { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' } };
  } catch {
    const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    return { ok: true, value: { text: new TextDecoder('windows-1252').decode(bytes.subarray(start)), encoding: 'windows-1252' } };
  }
}
