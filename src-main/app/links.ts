/**
 * `tel:`, `sip:`, `sips:` and `callto:` links handed to the app by the OS (a second instance's
 * argv on Windows and Linux, `open-url` on macOS) → what the dialpad shows. A link never dials:
 * the renderer puts the number in the dialpad and asks (docs/decisions.md, "Links ask before
 * dialling"). Pure, so every form is table-tested; anything odd is refused rather than guessed.
 *
 * - tel: (RFC 3966 §3, §5.1.1): a global number (+ and digits) or a local one (with
 *   `;phone-context=`); visual separators `-.()` and spaces are dropped; parameters (`;ext=`,
 *   `;isub=`, `;phone-context=`) are not dialled.
 * - sip:/sips: (RFC 3261 §19.1.1): `user@host[:port]` only — a password, URI parameters and
 *   headers (`?Replaces=…`, `?Subject=…`) never reach the dial.
 * - callto: (Skype/NetMeeting, no RFC): `callto:+331…`, `callto://+331…` or `callto:user@host`.
 */

export type LinkScheme = 'tel' | 'sip' | 'sips' | 'callto';
export const linkSchemes: readonly LinkScheme[] = ['tel', 'sip', 'sips', 'callto'];

export interface DialLink {
  /** What the dialpad's Number field gets: a number (digits, leading +, * #) or a sip:/sips: URI. */
  target: string;
  scheme: LinkScheme;
}

/** Longest link we look at, characters (a phone number or an address fits many times over). */
const maxLinkLength = 512;
/** Longest number we accept, digits (E.164 allows 15; local dial strings with codes run longer). */
const maxDigits = 32;
const visualSeparators = /[-.()\s]/g;
/** RFC 3261 §25.1 user: unreserved / escaped / user-unreserved. */
const sipUser = /^(?:[A-Za-z0-9\-_.!~*'()&=+$,;?/]|%[0-9A-Fa-f]{2})+$/;
const hostname = /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$/;
const ipv4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const ipv6Reference = /^\[[0-9A-Fa-f:.]{2,45}\]$/;

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** A dialable number from a tel:/callto: body, or undefined. */
function number(body: string): string | undefined {
  const decoded = decode(body);
  if (decoded === undefined) return undefined;
  const digits = decoded.replace(visualSeparators, '');
  if (!/^\+?[0-9*#]+$/.test(digits)) return undefined;
  const count = digits.replace(/^\+/, '').length;
  return count >= 1 && count <= maxDigits ? digits : undefined;
}

/** `user@host[:port]` from a SIP URI's body, or undefined. */
function sipAddress(body: string): string | undefined {
  const withoutHeaders = body.split('?', 1)[0]!;
  const at = withoutHeaders.lastIndexOf('@');
  if (at <= 0) return undefined;
  const userinfo = withoutHeaders.slice(0, at);
  const hostport = withoutHeaders.slice(at + 1).split(';', 1)[0]!;
  // user[:password]: the password is dropped (§19.1.1 deprecates it anyway).
  const user = userinfo.split(':', 1)[0]!;
  if (!sipUser.test(user)) return undefined;
  const hp = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(hostport);
  if (!hp) return undefined;
  const [, host, port] = hp;
  if (!(hostname.test(host!) || ipv4.test(host!) || ipv6Reference.test(host!))) return undefined;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return undefined;
  return `${user}@${host}${port !== undefined ? `:${port}` : ''}`;
}

/** A link as the OS gave it → what to put in the dialpad, or undefined for anything we refuse. */
export function parseLink(raw: unknown): DialLink | undefined {
  if (typeof raw !== 'string' || raw.length > maxLinkLength) return undefined;
  // No control characters, no line breaks: a link is one token.
  if ([...raw].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return undefined;
  const text = raw.trim();
  const m = /^([a-z]+):(.*)$/is.exec(text);
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase() as LinkScheme;
  const body = m[2]!;
  switch (scheme) {
    case 'tel': {
      const target = number(body.split(';', 1)[0]!);
      return target ? { target, scheme } : undefined;
    }
    case 'sip':
    case 'sips': {
      if (/\s/.test(body)) return undefined;
      const address = sipAddress(body);
      return address ? { target: `${scheme}:${address}`, scheme } : undefined;
    }
    case 'callto': {
      const rest = body.replace(/^\/\//, '').replace(/\/$/, '');
      const asNumber = number(rest.split(';', 1)[0]!);
      if (asNumber) return { target: asNumber, scheme };
      const address = /\s/.test(rest) ? undefined : sipAddress(rest);
      return address ? { target: `sip:${address}`, scheme } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The link among a process's arguments (Windows and Linux start the app, or hand a second
 * instance's argv over, with the URL as an argument); options and the executable are skipped.
 */
export function linkFromArgv(argv: readonly string[]): DialLink | undefined {
  for (const arg of argv) {
    if (!/^(tel|sips?|callto):/i.test(arg)) continue;
    const link = parseLink(arg);
    if (link) return link;
  }
  return undefined;
}
