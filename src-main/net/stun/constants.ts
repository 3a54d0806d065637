/**
 * STUN wire constants: RFC 8489 §5 (header), §18 (registries) and the TURN (RFC 8656 §18) and
 * ICE (RFC 8445 §16.1) additions. Names follow the RFCs.
 */

/** RFC 8489 §5: fixed value in bytes 4..7 of every message. */
export const MAGIC_COOKIE = 0x2112a442;
/** RFC 8489 §5: 20-byte header. */
export const HEADER_BYTES = 20;
/** RFC 8489 §5: transaction ID length. */
export const TRANSACTION_ID_BYTES = 12;
/** RFC 8489 §14.16: XOR'd with the CRC-32 of the message. */
export const FINGERPRINT_XOR = 0x5354554e;

/** RFC 8489 §5 message classes (C1 C0 bits). */
export enum StunClass {
  Request = 0,
  Indication = 1,
  SuccessResponse = 2,
  ErrorResponse = 3,
}

/** Methods: RFC 8489 §18.2 (Binding), RFC 8656 §17 (TURN). */
export const StunMethod = {
  Binding: 0x001,
  Allocate: 0x003,
  Refresh: 0x004,
  Send: 0x006,
  Data: 0x007,
  CreatePermission: 0x008,
  ChannelBind: 0x009,
} as const;

/** Attribute types. Below 0x8000: comprehension-required; 0x8000 and above: optional (§14). */
export const Attr = {
  MappedAddress: 0x0001,
  Username: 0x0006,
  MessageIntegrity: 0x0008,
  ErrorCode: 0x0009,
  UnknownAttributes: 0x000a,
  ChannelNumber: 0x000c,
  Lifetime: 0x000d,
  XorPeerAddress: 0x0012,
  Data: 0x0013,
  Realm: 0x0014,
  Nonce: 0x0015,
  XorRelayedAddress: 0x0016,
  RequestedAddressFamily: 0x0017,
  EvenPort: 0x0018,
  RequestedTransport: 0x0019,
  DontFragment: 0x001a,
  MessageIntegritySha256: 0x001c,
  PasswordAlgorithm: 0x001d,
  Userhash: 0x001e,
  XorMappedAddress: 0x0020,
  ReservationToken: 0x0022,
  Priority: 0x0024,
  UseCandidate: 0x0025,
  PasswordAlgorithms: 0x8002,
  AlternateDomain: 0x8003,
  Software: 0x8022,
  AlternateServer: 0x8023,
  Fingerprint: 0x8028,
  IceControlled: 0x8029,
  IceControlling: 0x802a,
} as const;

/** Bounds on variable-length attributes (RFC 8489 §14.3, §14.9, §14.10, §14.8, §14.14). */
export const Bounds = {
  /** USERNAME: < 509 bytes. */
  usernameBytes: 508,
  /** REALM, NONCE, SOFTWARE, ERROR-CODE reason: < 128 characters, ≤ 763 bytes. */
  textBytes: 763,
  textChars: 127,
} as const;
