/**
 * STUN on the SIP UDP socket (RFC 5626 §4.4.2 keep-alives, RFC 8489 Binding): our own Binding
 * requests go out from the SIP port, so the answer shows the NAT mapping of the SIP flow itself.
 *
 * Demultiplexing (RFC 7983 §7, RFC 5626 §4.4.2): a datagram whose first byte is 0..3 is never SIP
 * (a SIP message starts with a letter), so it never reaches the SIP parser. Of those, only a STUN
 * success or error response to a request of ours, from where that request went, is accepted;
 * everything else (requests, indications, strangers' responses, garbage) is counted and dropped
 * without a reply: a desktop phone is no STUN server (that role is the registrar's, §8), and
 * answering would make us a reflector.
 */
import type { Clock } from '../../util/clock.js';
import type { Random } from '../../util/random.js';
import { decodeAddress, decodeXorAddress } from '../../net/stun/attributes.js';
import { Attr, StunClass, StunMethod } from '../../net/stun/constants.js';
import { attribute, looksLikeStun, parseStun, type StunLimits } from '../../net/stun/message.js';
import { StunClient } from '../../net/stun/transaction.js';
import { normalizeAddress } from './address.js';

/** Where a Binding request goes: an IP literal and port (resolved before this). */
export interface StunTarget {
  address: string;
  port: number;
}

/** Per request: `sends` caps the transmissions (RFC 8489 §6.2.1 Rc, default 7). */
export interface StunBindingOptions {
  sends?: number;
}

export type StunBindingOutcome =
  | { ok: true; mapped: { address: string; port: number } }
  /** `answered`: the server replied (error response, no usable address); false: no reply at all. */
  | { ok: false; answered: boolean; detail: string };

export interface UdpStunStats {
  /** Datagrams the demultiplexer took off the SIP path (first byte 0..3). */
  received: number;
  /** Responses that answered a request of ours. */
  accepted: number;
  /** Everything else: not STUN, malformed, requests and indications, unknown transactions. */
  dropped: number;
  /** Requests and retransmissions sent. */
  sent: number;
}

/** A keep-alive answer is ~44 bytes; nothing on this socket needs more than one MTU. */
const limits: StunLimits = { maxBytes: 1500, maxAttributes: 16 };

/** RFC 7983 §7: first byte 0..3 is STUN's range; SIP starts with an ASCII letter. */
export function isStunRange(data: Uint8Array): boolean {
  return data.length > 0 && data[0]! < 4;
}

export class UdpStun {
  readonly stats: UdpStunStats = { received: 0, accepted: 0, dropped: 0, sent: 0 };
  private readonly client: StunClient;
  /** Transaction id (hex) → where the request went: a response must come from there. */
  private readonly targets = new Map<string, string>();

  constructor(send: (data: Buffer, address: string, port: number) => Promise<void>, clock: Clock, random: Random) {
    this.client = new StunClient({
      clock, random,
      send: (data, to) => {
        this.stats.sent++;
        send(data, to.address, to.port).catch(() => undefined); // a lost datagram: retransmission or timeout decides
      },
    });
  }

  /** A datagram in STUN's range (isStunRange). Never throws, never replies. */
  receive(data: Buffer, address: string, port: number): void {
    this.stats.received++;
    try {
      this.take(data, address, port);
    } catch {
      this.stats.dropped++; // hostile bytes must not take the socket's handler down
    }
  }

  private take(data: Buffer, address: string, port: number): void {
    if (!looksLikeStun(data)) return void this.stats.dropped++;
    const parsed = parseStun(data, limits);
    if (!parsed.ok) return void this.stats.dropped++;
    const m = parsed.message;
    const key = m.transactionId.toString('hex');
    // RFC 8489 §6.3: responses only, matched by transaction id (and here by source too).
    const from = this.targets.get(key);
    if ((m.cls !== StunClass.SuccessResponse && m.cls !== StunClass.ErrorResponse) || from !== endpointKey(address, port)) {
      return void this.stats.dropped++;
    }
    if (!this.client.handleResponse(m)) return void this.stats.dropped++;
    this.stats.accepted++;
  }

  /** RFC 8489 §7 Binding request from the SIP socket; retransmitted per §6.2.1 (39.5 s at most). */
  async binding(to: StunTarget, options: StunBindingOptions = {}): Promise<StunBindingOutcome> {
    const id = this.client.newTransactionId();
    const key = id.toString('hex');
    this.targets.set(key, endpointKey(to.address, to.port));
    try {
      // §14.7: FINGERPRINT lets a server tell our request from SIP on a shared port.
      const outcome = await this.client.requestWithId(id, { method: StunMethod.Binding, attributes: [] }, to, { fingerprint: true }, options.sends);
      if (!outcome.ok) return { ok: false, answered: false, detail: `no STUN answer (${outcome.reason})` };
      const r = outcome.response;
      if (r.method !== StunMethod.Binding || r.cls !== StunClass.SuccessResponse) return { ok: false, answered: true, detail: 'STUN error response' };
      const xor = attribute(r, Attr.XorMappedAddress);
      const plain = attribute(r, Attr.MappedAddress);
      const mapped = xor ? decodeXorAddress(xor, r.transactionId) : plain ? decodeAddress(plain) : undefined;
      if (!mapped) return { ok: false, answered: true, detail: 'STUN answer without a valid mapped address' };
      return { ok: true, mapped: { address: normalizeAddress(mapped.address), port: mapped.port } };
    } finally {
      this.targets.delete(key);
    }
  }

  close(): void {
    this.client.close();
  }
}

function endpointKey(address: string, port: number): string {
  return `${normalizeAddress(address)}|${port}`;
}
