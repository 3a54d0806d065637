/** The interop test harness: real SIP peers on loopback (see each module for details). */
export * from './audio.js';
export * from './baresip.js';
export * from './ctrl-tcp.js';
export * from './kamailio.js';
export * from './impair-relay.js';
export * from './ports.js';
export * from './pulse.js';
export * from './process.js';
export * from './scope.js';
export * from './sip-ping.js';
export * from './sipp.js';
export * from './netns.js';
export * from './coturn.js';
export * from './nat-topology.js';
