export * from './types.js';
export * from './timers.js';
export { TransactionLayer, type TransactionLayerOptions } from './transaction-layer.js';
export { InviteClientTransaction, type InviteClientState } from './invite-client-transaction.js';
export { NonInviteClientTransaction, type NonInviteClientState } from './non-invite-client-transaction.js';
export { InviteServerTransaction, type InviteServerState } from './invite-server-transaction.js';
export { NonInviteServerTransaction, type NonInviteServerState } from './non-invite-server-transaction.js';
export { clientKey, serverMatch, responseKey, magicCookie, type ServerMatch } from './matching.js';
export { buildNon2xxAck } from './non-2xx-ack.js';
