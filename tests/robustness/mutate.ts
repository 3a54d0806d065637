/**
 * Mutators for the fuzzer: structural ones on a Draft (lines, numbers, names, nesting, methods,
 * status codes) and byte-level ones on the serialized message (flips, truncation, NUL/CR/LF and
 * broken UTF-8 injection, splices), plus purely random inputs.
 */
import { serialize, type Draft } from './corpus.js';
import type { Prng } from './prng.js';

/** Under the 65,507-byte IPv4 UDP payload limit. */
export const MAX_DATAGRAM = 65_000;

const numericHeaders = ['Content-Length', 'CSeq', 'Max-Forwards', 'Expires', 'l'];
const badNumbers = [
  '-1', '-0', '0', '99999999999999999999999999', '4294967296', '2147483648', '2147483647', '1e3', '0x10',
  '12abc', '', ' ', '+5', '1.5', '٣', '00000000000000000000000000001', 'NaN', 'Infinity', '1 2',
];
const garbage = [
  '\0', '\r', '\n', '\r\n', '\n\r', '\r\r\n', '\t', '\x7f', '\xff', '\u0000\u0000',
  '\xc3\x28', '\xe2\x82', '\xf0\x9f\x98', '\xc0\xaf', '\xed\xa0\x80', '\u2028', '\ufeff', '☎', '𝄞',
];
const specials = ['<', '>', '"', '\\', '(', ')', ';', ',', '=', '@', ':', '[', ']', '?', '&', '%', '%0', '%zz'];
const methods = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'UPDATE', 'INFO', 'invite', 'INV ITE', '', 'SIP/2.0', 'X'.repeat(300), 'NOTIFY', 'REFER'];

export type MutationKind = 'mild' | 'structural' | 'bytes' | 'both' | 'random';

export interface Mutated {
  data: Buffer;
  kind: MutationKind;
}

/** One fuzz input from a seed draft; `draft` is consumed (mutated in place). */
export function mutate(rnd: Prng, draft: Draft, other: () => Draft): Mutated {
  const r = rnd.float();
  if (r < 0.06) return { data: randomInput(rnd), kind: 'random' };
  if (r < 0.3) {
    // Valid but weird: one change a strict parser should still accept (or refuse precisely).
    mild(rnd, draft);
    return { data: clamp(serialize(draft)), kind: 'mild' };
  }
  if (r < 0.6) {
    const n = rnd.range(1, 3);
    for (let i = 0; i < n; i++) structural(rnd, draft);
    return { data: clamp(serialize(draft)), kind: 'structural' };
  }
  if (r < 0.85) return { data: clamp(bytes(rnd, serialize(draft), other)), kind: 'bytes' };
  structural(rnd, draft);
  return { data: clamp(bytes(rnd, serialize(draft), other)), kind: 'both' };
}

function clamp(b: Buffer): Buffer {
  return b.length > MAX_DATAGRAM ? b.subarray(0, MAX_DATAGRAM) : b;
}

function longToken(rnd: Prng): string {
  const n = rnd.pick([256, 1024, 4096, 8191, 8192, 8193, 16_000, 40_000]);
  return rnd.pick(['a', 'z9hG4bK', '%41', '1', '.', '-', ';x=y'] as const).repeat(Math.ceil(n / 3)).slice(0, n);
}

function nested(rnd: Prng): string {
  const depth = rnd.pick([10, 100, 1000, 5000]);
  switch (rnd.int(6)) {
    case 0: return '<'.repeat(depth) + 'sip:a@127.0.0.1' + '>'.repeat(depth);
    case 1: return '"' + '\\"'.repeat(depth) + '" <sip:a@127.0.0.1>';
    case 2: return '('.repeat(depth) + 'comment' + ')'.repeat(depth);
    case 3: return '"' + '\\'.repeat(depth) + '<sip:a@127.0.0.1>';
    case 4: return '<sip:a@127.0.0.1;' + 'p=<'.repeat(depth) + '>';
    default: return 'sip:' + '%25'.repeat(depth) + '@127.0.0.1';
  }
}

function randomValue(rnd: Prng): string {
  switch (rnd.int(7)) {
    case 0: return rnd.token(rnd.range(0, 40));
    case 1: return rnd.bytes(rnd.range(1, 200)).toString('latin1');
    case 2: return longToken(rnd);
    case 3: return nested(rnd);
    case 4: return Array.from({ length: rnd.range(1, 30) }, () => rnd.pick(specials)).join('');
    case 5: return rnd.pick(badNumbers);
    default: return rnd.pick(garbage) + rnd.token(5) + rnd.pick(garbage);
  }
}

function randomName(rnd: Prng): string {
  switch (rnd.int(6)) {
    case 0: return 'X-' + rnd.token(rnd.range(1, 20));
    case 1: return rnd.pick(['Via', 'v', 'From', 'f', 'To', 't', 'Call-ID', 'i', 'CSeq', 'Contact', 'm', 'Content-Length', 'l', 'Content-Type', 'c', 'Route', 'Record-Route', 'Require', 'Proxy-Require', 'Authorization', 'WWW-Authenticate', 'Expires', 'Max-Forwards', 'Event', 'RSeq', 'RAck']);
    case 2: return '';
    case 3: return rnd.bytes(rnd.range(1, 12)).toString('latin1');
    case 4: return longToken(rnd);
    default: return rnd.pick(['Via ', ' Via', 'Call-ID\t', 'Fr om', 'To:', 'ü', 'x-\u0000']);
  }
}

/** Changes that mostly keep a message valid: the paths past the parser get exercised too. */
export function mild(rnd: Prng, d: Draft): void {
  const h = d.headers;
  switch (rnd.int(9)) {
    case 0: // an unknown header with an odd but legal value
      h.splice(rnd.range(1, h.length), 0, [`X-${rnd.token(rnd.range(1, 30))}`, rnd.pick(['', ' ', '"q\\"', '<sip:x@127.0.0.1>', '☎ üñí', 'a,b,,c', longToken(rnd)])]);
      break;
    case 1: { // CSeq method that does not match the request method (§8.1.1.5)
      const i = h.findIndex(([n]) => n === 'CSeq');
      if (i >= 0) h[i] = ['CSeq', `${rnd.range(0, 2 ** 31 - 1)} ${rnd.pick(methods.slice(0, 8))}`];
      break;
    }
    case 2: // an unknown or lower-case method
      if (!d.start.startsWith('SIP/')) d.start = rnd.pick(['FOO', 'invite', 'PUBLISH', 'X' + rnd.token(20), 'INFO']) + d.start.slice(d.start.indexOf(' '));
      break;
    case 3: { // Max-Forwards edge values
      const i = h.findIndex(([n]) => n === 'Max-Forwards');
      if (i >= 0) h[i] = ['Max-Forwards', rnd.pick(['0', '1', '255', '00070'])];
      break;
    }
    case 4: // Require of an unknown extension (420) or a known one
      h.splice(rnd.range(1, h.length), 0, ['Require', rnd.pick(['foo', '100rel', 'timer, bar', 'replaces'])]);
      break;
    case 5: // repeated list headers, odd whitespace around the colon
      h.splice(rnd.range(1, h.length), 0, [rnd.pick(['Supported', 'Allow', 'Accept', 'Record-Route']), rnd.pick(['a, b', 'INVITE,ACK', '<sip:127.0.0.1;lr>'])]);
      h.forEach((line, i) => { if (rnd.chance(0.2)) h[i] = [`${line[0]}${rnd.pick([' ', '\t', '  '])}`, line[1]]; });
      break;
    case 6: // a long but legal token
      h.splice(rnd.range(1, h.length), 0, ['Subject', longToken(rnd).slice(0, 8000)]);
      break;
    case 7: // odd status codes in a response
      if (d.start.startsWith('SIP/')) d.start = `SIP/2.0 ${rnd.pick([199, 299, 399, 499, 599, 699, 101, 183])} ${rnd.pick(['', 'Ünusual', 'x y z'])}`;
      break;
    default: // folded value
      if (h.length > 1) {
        const i = rnd.range(1, h.length - 1);
        h[i] = [h[i]![0], h[i]![1].replace(/;/, '\r\n ;')];
      }
  }
}

/** Apply one structural mutation to the draft. */
export function structural(rnd: Prng, d: Draft): void {
  const h = d.headers;
  const at = () => rnd.int(Math.max(1, h.length));
  switch (rnd.int(16)) {
    case 0: { // duplicate a line
      const i = at();
      const line = h[i];
      if (line) h.splice(rnd.int(h.length + 1), 0, [...line]);
      break;
    }
    case 1: // remove a line
      h.splice(at(), 1);
      break;
    case 2: { // swap two lines
      const i = at();
      const j = at();
      if (h[i] && h[j]) [h[i], h[j]] = [h[j]!, h[i]!];
      break;
    }
    case 3: { // havoc in a number
      const name = rnd.pick(numericHeaders);
      const i = h.findIndex(([n]) => n === name);
      const num = rnd.pick(badNumbers);
      const value = name === 'CSeq' ? `${num} ${rnd.pick(methods)}` : num;
      if (i >= 0) h[i] = [name, value];
      else h.push([name, value]);
      break;
    }
    case 4: // random header
      h.splice(rnd.int(h.length + 1), 0, [randomName(rnd), randomValue(rnd)]);
      break;
    case 5: { // random value in an existing header
      const i = at();
      if (h[i]) h[i] = [h[i]![0], randomValue(rnd)];
      break;
    }
    case 6: { // random method
      const sp = d.start.indexOf(' ');
      if (!d.start.startsWith('SIP/')) d.start = rnd.pick(methods) + d.start.slice(sp);
      else d.start = `${rnd.pick(['INVITE', 'OPTIONS', 'BYE', 'FOO'])} sip:a@127.0.0.1 SIP/2.0`;
      break;
    }
    case 7: { // random status code
      const code = rnd.pick([0, 1, 99, 100, 199, 200, 299, 300, 487, 600, 699, 700, 999, 1000, 12345, -1]);
      d.start = `SIP/2.0 ${code} ${rnd.chance(0.5) ? 'Reason' : randomValue(rnd)}`;
      break;
    }
    case 8: { // CSeq method that does not match the request method (§8.1.1.5)
      const i = h.findIndex(([n]) => n === 'CSeq');
      if (i >= 0) h[i] = ['CSeq', `${rnd.range(0, 1e6)} ${rnd.pick(methods)}`];
      break;
    }
    case 9: { // very long token somewhere
      const i = at();
      if (h[i]) h[i] = [h[i]![0], h[i]![1] + longToken(rnd)];
      break;
    }
    case 10: { // deep nesting in a name-addr header
      const name = rnd.pick(['From', 'To', 'Contact', 'Route', 'Record-Route', 'Via', 'Call-ID']);
      const i = h.findIndex(([n]) => n === name);
      if (i >= 0) h[i] = [name, nested(rnd)];
      else h.push([name, nested(rnd)]);
      break;
    }
    case 11: { // mangle the start line
      const parts = d.start.split(' ');
      const k = rnd.int(parts.length);
      parts[k] = rnd.chance(0.5) ? randomValue(rnd) : '';
      if (rnd.chance(0.3)) parts.reverse();
      d.start = parts.join(rnd.pick([' ', '  ', '\t', '']));
      break;
    }
    case 12: // version
      d.start = d.start.replace('SIP/2.0', rnd.pick(['SIP/2.1', 'sip/2.0', 'SIP/20', 'SIP/2.0 ', 'HTTP/1.1', 'SIP/', 'SIP/2.0/UDP']));
      break;
    case 13: { // folding: continuation lines, including empty and at the very start
      const i = at();
      if (h[i]) h[i] = [h[i]![0], h[i]![1] + rnd.pick(['\r\n ', '\r\n\t', '\r\n \r\n ', '\r\n  x', '\n '])];
      break;
    }
    case 14: // body changes without Content-Length following
      d.body = rnd.chance(0.5) ? d.body + rnd.token(rnd.range(1, 500)) : d.body.slice(0, rnd.int(d.body.length + 1));
      break;
    default: { // many headers
      const n = rnd.pick([50, 255, 256, 257, 1000]);
      for (let i = 0; i < n; i++) h.push([rnd.chance(0.5) ? 'X-Many' : 'Via', `SIP/2.0/UDP 127.0.0.1:${i};branch=z9hG4bK${i}`]);
      break;
    }
  }
}

/** Apply 1–4 byte-level mutations to a serialized message. */
export function bytes(rnd: Prng, input: Buffer, other: () => Draft): Buffer {
  let b = Buffer.from(input);
  const n = rnd.range(1, 4);
  for (let k = 0; k < n; k++) {
    const pos = () => rnd.int(b.length + 1);
    switch (rnd.int(8)) {
      case 0: // bit flips
        for (let i = rnd.range(1, 8); i > 0 && b.length > 0; i--) {
          const p = rnd.int(b.length);
          b[p] = b[p]! ^ (1 << rnd.int(8));
        }
        break;
      case 1: // random bytes overwritten
        for (let i = rnd.range(1, 8); i > 0 && b.length > 0; i--) b[rnd.int(b.length)] = rnd.next() & 0xff;
        break;
      case 2: // truncate
        b = b.subarray(0, pos());
        break;
      case 3: { // inject NUL/CR/LF/broken UTF-8
        const p = pos();
        b = Buffer.concat([b.subarray(0, p), Buffer.from(rnd.pick(garbage), 'latin1'), b.subarray(p)]);
        break;
      }
      case 4: { // delete a range
        const p = pos();
        b = Buffer.concat([b.subarray(0, p), b.subarray(Math.min(b.length, p + rnd.range(1, 40)))]);
        break;
      }
      case 5: { // repeat a range
        const p = pos();
        const chunk = b.subarray(p, Math.min(b.length, p + rnd.range(1, 200)));
        const times = rnd.pick([2, 10, 100]);
        b = Buffer.concat([b.subarray(0, p), ...Array.from({ length: times }, () => chunk), b.subarray(p)]);
        break;
      }
      case 6: { // splice in part of another message
        const o = serialize(other());
        const from = rnd.int(o.length);
        const p = pos();
        b = Buffer.concat([b.subarray(0, p), o.subarray(from, from + rnd.range(1, 300)), b.subarray(rnd.int(b.length + 1))]);
        break;
      }
      default: { // CRLF → LF or CR somewhere
        const s = b.toString('latin1');
        const i = s.indexOf('\r\n', rnd.int(Math.max(1, s.length)));
        if (i >= 0) b = Buffer.from(s.slice(0, i) + rnd.pick(['\n', '\r', '\r\r\n', '\n\n', '']) + s.slice(i + 2), 'latin1');
        break;
      }
    }
  }
  return b;
}

/** Inputs with no corpus behind them: random bytes, random text lines, or near-empty. */
export function randomInput(rnd: Prng): Buffer {
  switch (rnd.int(5)) {
    case 0: return rnd.bytes(rnd.range(0, 64));
    case 1: return rnd.bytes(rnd.chance(0.02) ? rnd.range(8000, MAX_DATAGRAM) : rnd.range(64, 2000));
    case 2: {
      const lines = Array.from({ length: rnd.range(1, 30) }, () => `${rnd.token(rnd.range(0, 12))}${rnd.pick([':', ' ', ': ', ''])}${rnd.token(rnd.range(0, 40))}`);
      return Buffer.from(lines.join(rnd.pick(['\r\n', '\n'])) + '\r\n\r\n', 'latin1');
    }
    case 3: return Buffer.from(rnd.pick(['\r\n', '\r\n\r\n', '\0', ' ', 'SIP/2.0', 'INVITE', 'INVITE sip:a@b SIP/2.0\r\n\r\n', 'SIP/2.0 200 OK\r\n\r\n']));
    default: return Buffer.from(`${rnd.pick(methods)} ${rnd.pick(['sip:', 'sips:', 'tel:', '*', '', 'sip:[::1'])}${rnd.token(8)} SIP/2.0\r\n\r\n`, 'latin1');
  }
}

/**
 * For a stream: make the header section end in CRLFCRLF and carry a Content-Length that matches
 * what follows, so the framer delivers the (still mutated) message to the parser.
 */
export function frameable(input: Buffer): Buffer {
  const s = input.toString('latin1');
  const end = s.indexOf('\r\n\r\n');
  let head: string;
  let body: string;
  if (end < 0) {
    head = s.replace(/[\r\n]+$/, '');
    body = '';
  } else {
    head = s.slice(0, end);
    body = s.slice(end + 4);
  }
  const lines = head.split('\r\n').filter((line, i) => i === 0 || !/^\s*(content-length|l)\s*:/i.test(line));
  // Leading CRLFs would be keep-alives; drop them so the message starts at once.
  while (lines.length > 0 && lines[0] === '') lines.shift();
  if (lines.length === 0) lines.push('OPTIONS sip:127.0.0.1 SIP/2.0');
  return Buffer.from(`${lines.join('\r\n')}\r\nContent-Length: ${body.length}\r\n\r\n${body}`, 'latin1');
}
