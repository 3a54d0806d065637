/** What this UA implements, advertised in Allow/Accept/Supported (RFC 3261 §11.2, §20.5, §20.37). */
export const allowedMethods = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'INFO', 'UPDATE', 'REFER', 'NOTIFY'];
export const allow = allowedMethods.join(', ');
export const accept = 'application/sdp';
/** Option tags we understand in Require (RFC 3261 §8.2.2.3; RFC 3891 replaces, RFC 4028 timer). */
export const supportedOptions = ['outbound', 'path', 'replaces', 'timer'];
export const supported = supportedOptions.join(', ');

/** Methods we recognise but do not accept outside a dialog: 405, not 501 (§8.2.1). */
export const knownMethods = new Set([
  ...allowedMethods, 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'MESSAGE', 'REFER',
]);
/** What a dialog-creating INVITE and its 2xx advertise (RFC 3891 §6.1, RFC 4028 §7.1). */
export const sessionSupported = 'replaces, timer';
