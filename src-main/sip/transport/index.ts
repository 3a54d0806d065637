export * from './types.js';
export * from './events.js';
export { TransportLayer, type TransportLayerOptions } from './transport-layer.js';
export type { TransportStats } from './incoming.js';
export type { TlsOptions } from './tls-transport.js';
export { StreamFramer, defaultFramerLimits, type StreamFramerHandler, type StreamFramerLimits } from './stream-framer.js';
export { resolveTargets, type DnsResolver } from './dns.js';
export type { StunBindingOptions, StunBindingOutcome, StunTarget, UdpStunStats } from './udp-stun.js';
