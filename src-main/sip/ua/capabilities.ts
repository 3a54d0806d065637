/** What this UA implements, advertised in Allow/Accept/Supported (RFC 3261 §11.2, §20.5, §20.37). */
export const allowedMethods = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'INFO', 'UPDATE'];
export const allow = allowedMethods.join(', ');
export const accept = 'application/sdp';
/** Option tags we understand in Require (RFC 3261 §8.2.2.3). */
export const supportedOptions = ['outbound', 'path'];
export const supported = supportedOptions.join(', ');

/** Methods we recognise but do not accept outside a dialog: 405, not 501 (§8.2.1). */
export const knownMethods = new Set([
  ...allowedMethods, 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'MESSAGE', 'REFER',
]);
