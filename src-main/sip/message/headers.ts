/**
 * Ordered header fields (RFC 3261 §7.3). Names are stored in canonical long form, so compact
 * forms (§7.3.3) and case variants compare equal. List headers (§7.3.1) hold one entry per element.
 */
export interface HeaderField {
  name: string;
  value: string;
}

const compact: Record<string, string> = {
  i: 'call-id', m: 'contact', e: 'content-encoding', l: 'content-length', c: 'content-type',
  f: 'from', s: 'subject', k: 'supported', t: 'to', v: 'via', r: 'refer-to', b: 'referred-by',
  o: 'event', u: 'allow-events', x: 'session-expires', a: 'accept-contact', j: 'reject-contact',
  d: 'request-disposition', y: 'identity', n: 'identity-info',
};

const canonical: Record<string, string> = {
  'call-id': 'Call-ID', cseq: 'CSeq', 'www-authenticate': 'WWW-Authenticate', 'mime-version': 'MIME-Version',
  'rack': 'RAck', 'rseq': 'RSeq', 'sip-etag': 'SIP-ETag', 'sip-if-match': 'SIP-If-Match',
};

/** Memo of canonical names; bounded so attacker-chosen names cannot grow it without limit. */
const memo = new Map<string, string>();
const memoMax = 2048;

/** Canonical spelling of a header name: expands compact forms, fixes case ("call-id" → "Call-ID"). */
export function canonicalHeaderName(name: string): string {
  const hit = memo.get(name);
  if (hit !== undefined) return hit;
  const result = computeCanonical(name);
  if (memo.size < memoMax && name.length <= 64) memo.set(name, result);
  return result;
}

function computeCanonical(name: string): string {
  let lower = name.toLowerCase();
  if (lower.length === 1) lower = compact[lower] ?? lower;
  const known = canonical[lower];
  if (known) return known;
  return lower.replace(/(^|-)([a-z])/g, (_m, dash: string, ch: string) => dash + ch.toUpperCase());
}

export class Headers {
  private readonly fields: HeaderField[] = [];

  constructor(fields?: Iterable<HeaderField>) {
    if (fields) for (const f of fields) this.append(f.name, f.value);
  }

  /** First value of a header, or undefined. */
  get(name: string): string | undefined {
    const n = canonicalHeaderName(name);
    for (const f of this.fields) if (f.name === n) return f.value;
    return undefined;
  }

  getAll(name: string): string[] {
    const n = canonicalHeaderName(name);
    const out: string[] = [];
    for (const f of this.fields) if (f.name === n) out.push(f.value);
    return out;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  append(name: string, value: string): this {
    this.fields.push({ name: canonicalHeaderName(name), value });
    return this;
  }

  /** Insert before the first field of that name (e.g. a new top Via), or first of all if none. */
  prepend(name: string, value: string): this {
    const n = canonicalHeaderName(name);
    const i = this.fields.findIndex((f) => f.name === n);
    this.fields.splice(Math.max(i, 0), 0, { name: n, value });
    return this;
  }

  /** Replace every value of a header with one value (or remove it when value is undefined). */
  set(name: string, value: string | undefined): this {
    const n = canonicalHeaderName(name);
    const i = this.fields.findIndex((f) => f.name === n);
    this.remove(n);
    if (value !== undefined) {
      if (i < 0) this.fields.push({ name: n, value });
      else this.fields.splice(i, 0, { name: n, value });
    }
    return this;
  }

  /** Replace all values of a header, keeping its position. */
  setAll(name: string, values: string[]): this {
    const n = canonicalHeaderName(name);
    let i = this.fields.findIndex((f) => f.name === n);
    this.remove(n);
    if (i < 0) i = this.fields.length;
    this.fields.splice(i, 0, ...values.map((value) => ({ name: n, value })));
    return this;
  }

  /** Remove the first value of a header (e.g. the top Via); returns it. */
  shift(name: string): string | undefined {
    const n = canonicalHeaderName(name);
    const i = this.fields.findIndex((f) => f.name === n);
    if (i < 0) return undefined;
    return this.fields.splice(i, 1)[0]!.value;
  }

  remove(name: string): this {
    const n = canonicalHeaderName(name);
    for (let i = this.fields.length - 1; i >= 0; i--) if (this.fields[i]!.name === n) this.fields.splice(i, 1);
    return this;
  }

  clone(): Headers {
    return new Headers(this.fields);
  }

  [Symbol.iterator](): IterableIterator<HeaderField> {
    return this.fields[Symbol.iterator]();
  }

  get size(): number {
    return this.fields.length;
  }
}
