/**
 * RFC 4733 DTMF over RTP: the telephone-event payload (§2.3), the sender's event reports (§2.5.1)
 * and the receiver (§2.5.2).
 */
export * from './telephone-event.js';
export * from '../../util/dtmf-keys.js';
export { DtmfSender, type DtmfPacket, type DtmfSenderOptions, type DtmfSenderStats } from './dtmf-sender.js';
export { DtmfReceiver, type DtmfReceived, type DtmfReceiverStats } from './dtmf-receiver.js';
