/**
 * Removes secrets from SIP text before it is logged (--sip-trace): digest `response`, `nonce`,
 * `cnonce`, `nextnonce` and `rspauth` values (RFC 8760/7616 §3.4-3.5 — enough to attack a password
 * offline) and SDES keys (RFC 4568 §9.1 `inline:` key material).
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b(response|nonce|cnonce|nextnonce|rspauth)(\s*=\s*)("[^"\r\n]*"|[^\s,;"]+)/gi, '$1$2"<redacted>"')
    .replace(/(a=crypto:[^\r\n]*?inline:)[^\s]+/gi, '$1<redacted>');
}
