/**
 * Binding requests (RFC 8489 §3, §6): learn the public mapping ("server-reflexive address") of a
 * socket from a STUN server. The answer is XOR-MAPPED-ADDRESS, or MAPPED-ADDRESS from a
 * RFC 3489 server.
 */
import { decodeAddress, decodeXorAddress, type TransportAddress } from './attributes.js';
import { Attr, StunClass, StunMethod } from './constants.js';
import { attribute } from './message.js';
import type { StunClient, StunEndpoint } from './transaction.js';

export type BindingResult = { ok: true; mapped: TransportAddress } | { ok: false; reason: string };

export async function discoverMapping(client: StunClient, server: StunEndpoint): Promise<BindingResult> {
  // §14.7: FINGERPRINT lets the server tell our request from media on a shared port.
  const outcome = await client.request({ method: StunMethod.Binding, attributes: [] }, server, { fingerprint: true });
  if (!outcome.ok) return { ok: false, reason: outcome.reason };
  const r = outcome.response;
  if (r.method !== StunMethod.Binding) return { ok: false, reason: 'response to another method' };
  if (r.cls !== StunClass.SuccessResponse) return { ok: false, reason: 'error response' };
  const xor = attribute(r, Attr.XorMappedAddress);
  const plain = attribute(r, Attr.MappedAddress);
  const mapped = xor ? decodeXorAddress(xor, r.transactionId) : plain ? decodeAddress(plain) : undefined;
  return mapped ? { ok: true, mapped } : { ok: false, reason: 'no valid mapped address' };
}
