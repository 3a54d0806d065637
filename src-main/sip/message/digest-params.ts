/**
 * RFC 7235 §2.1 / §4.1 credentials and challenges: `scheme [ #auth-param ]`, possibly several in one
 * header value. Shared by WWW-Authenticate, Proxy-Authenticate, Authorization and
 * Proxy-Authorization. Lenient: unknown or malformed parts are skipped, never thrown on.
 */

/** One challenge or credentials: the scheme as written and its params (names lower-cased). */
export interface AuthParams {
  scheme: string;
  params: Map<string, string>;
}

const tchar = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/** Parse every challenge (or credentials) in one header value. */
export function parseAuthHeader(value: string): AuthParams[] {
  const out: AuthParams[] = [];
  let pos = 0;
  const skip = (chars: RegExp): void => {
    while (pos < value.length && chars.test(value[pos]!)) pos++;
  };
  const token = (): string => {
    const start = pos;
    while (pos < value.length && tchar.test(value[pos]!)) pos++;
    return value.slice(start, pos);
  };
  // RFC 7230 §3.2.6 quoted-string with quoted-pair: a backslash escapes the next character.
  const quoted = (): string => {
    let s = '';
    pos++;
    while (pos < value.length && value[pos] !== '"') {
      if (value[pos] === '\\' && pos + 1 < value.length) pos++;
      s += value[pos++];
    }
    pos++;
    return s;
  };
  // Unquoted values: lenient (some servers send realm=example.com or base64 nonces unquoted).
  const bare = (): string => {
    const start = pos;
    while (pos < value.length && !/[\s,]/.test(value[pos]!)) pos++;
    return value.slice(start, pos);
  };

  while (pos < value.length) {
    skip(/[\s,]/);
    const scheme = token();
    if (!scheme) {
      if (pos < value.length) pos++; // junk: step over it
      continue;
    }
    const params = new Map<string, string>();
    out.push({ scheme, params });
    for (;;) {
      skip(/[\s,]/);
      const mark = pos;
      const name = token();
      skip(/[ \t]/);
      if (!name || value[pos] !== '=') {
        pos = name ? mark : pos; // a token without "=" starts the next challenge
        if (!name && pos < value.length && value[pos] !== ',') pos++;
        break;
      }
      pos++;
      skip(/[ \t]/);
      const v = value[pos] === '"' ? quoted() : bare();
      if (!params.has(name.toLowerCase())) params.set(name.toLowerCase(), v);
    }
  }
  return out;
}

/** RFC 7230 §3.2.6 quoted-string: escape backslash and double quote. */
export function quoteString(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
