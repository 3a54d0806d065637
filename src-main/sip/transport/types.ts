/** The transport layer's contract with the layers above (RFC 3261 §18). */
import type { SipMessage } from '../message/types.js';

export type TransportProtocol = 'udp' | 'tcp' | 'tls';

/** Where to send: an IP literal and port, already resolved (RFC 3263 happens before this). */
export interface Destination {
  protocol: TransportProtocol;
  /** IP literal (IPv6 without brackets). */
  address: string;
  port: number;
  /** Host name for TLS SNI and certificate verification (RFC 5922); defaults to address. */
  serverName?: string;
}

/** Where an incoming message came from. */
export interface Source {
  protocol: TransportProtocol;
  address: string;
  port: number;
  /** Set for stream transports: responses for requests on this connection go back on it (§18.2.2). */
  connectionId?: string;
}

export interface IncomingMessage {
  message: SipMessage;
  source: Source;
}

/** What the transaction layer needs from transports: a narrow interface, easy to fake. */
export interface Transport {
  /**
   * Send a message. Requests: sets the top Via's transport and sent-by from the chosen local
   * socket when the Via host is empty ("" means "fill in"). Responses: §18.2.2 (received/rport,
   * or the same connection when the source has a connectionId). Rejects on a transport error.
   * Resolves with where it was actually sent: a UDP request larger than §18.1.1's limit goes over
   * TCP instead, and the transaction then runs its reliable-transport timers.
   */
  send(message: SipMessage, destination: Destination, options?: { connectionId?: string }): Promise<Destination>;
  /** Whether a protocol is reliable (no retransmission timers, §17.1.1.2). */
  isReliable(protocol: TransportProtocol): boolean;
  /**
   * Our local host:port for Via (and Contact before any NAT rewrite) on this protocol; a stream
   * without a listener reports its flow as the far side saw it. Never a NAT's public address.
   */
  localAddress(protocol: TransportProtocol): { address: string; port: number };
  /** Incoming messages that passed §18.1.2/§18.2.1 checks. */
  onMessage(handler: (incoming: IncomingMessage) => void): void;
}
