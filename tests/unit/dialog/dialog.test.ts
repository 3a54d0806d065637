/** The dialog state of RFC 3261 §12: creation, in-dialog request construction, CSeq, target refresh. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createResponse, formatUri, getCSeq, parseMessage, parseUri } from '../../../src-main/sip/message/index.js';
import type { NameAddr, SipMessage, SipRequest, SipResponse } from '../../../src-main/sip/message/index.js';
import { Dialog } from '../../../src-main/sip/dialog/dialog.js';

function parse(lines: string[]): SipMessage {
  const r = parseMessage(Buffer.from([...lines, 'Content-Length: 0', '', ''].join('\r\n')));
  if (!r.ok) throw new Error(r.reason);
  return r.message;
}

const invite = (extra: string[] = []) => parse([
  'INVITE sip:bob@biloxi.example.com SIP/2.0',
  'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@biloxi.example.com>',
  'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710',
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@pc33.atlanta.example.com>',
  ...extra,
]) as SipRequest;

function ok(request: SipRequest, status: number, extra: string[]): SipResponse {
  const r = createResponse(request, status, undefined, { toTag: 'a6c85cf' });
  for (const line of extra) {
    const i = line.indexOf(':');
    r.headers.append(line.slice(0, i), line.slice(i + 1).trim());
  }
  return r;
}

const contact: NameAddr = { uri: parseUri('sip:alice@pc33.atlanta.example.com'), params: new Map() };
const routes = (r: SipRequest) => r.headers.getAll('Route');

test('RFC 3261 §12.1.2 UAC dialog: route set is the Record-Route reversed, target from the Contact', () => {
  const request = invite();
  const response = ok(request, 200, [
    'Record-Route: <sip:p2.example.com;lr>', 'Record-Route: <sip:p1.example.com;lr>',
    'Contact: <sip:bob@192.0.2.4>',
  ]);
  const d = Dialog.asUac(request, response);
  assert.equal(d.callId, 'a84b4c76e66710');
  assert.equal(d.localTag, '1928301774');
  assert.equal(d.remoteTag, 'a6c85cf');
  assert.deepEqual(d.routeSet.map((r) => formatUri(r.uri)), ['sip:p1.example.com;lr', 'sip:p2.example.com;lr']);
  assert.equal(formatUri(d.remoteTarget), 'sip:bob@192.0.2.4');
  assert.equal(d.localSeq, 314159);
  assert.equal(d.remoteSeq, undefined);
  assert.equal(d.state, 'confirmed');
  assert.equal(d.localUri.params.has('tag'), false);
});

test('§12.1.2 a 1xx with a To tag creates an early dialog; the 2xx recomputes route set and target', () => {
  const request = invite();
  const d = Dialog.asUac(request, ok(request, 180, ['Record-Route: <sip:p1.example.com;lr>', 'Contact: <sip:bob@192.0.2.4>']));
  assert.equal(d.state, 'early');
  d.confirm(ok(request, 200, ['Record-Route: <sip:p3.example.com;lr>', 'Contact: <sip:bob@192.0.2.99>']));
  assert.equal(d.state, 'confirmed');
  assert.deepEqual(d.routeSet.map((r) => formatUri(r.uri)), ['sip:p3.example.com;lr']);
  assert.equal(formatUri(d.remoteTarget), 'sip:bob@192.0.2.99');
});

test('§12.1.1 UAS dialog: route set in Record-Route order, target from the request Contact', () => {
  const request = invite(['Record-Route: <sip:p2.example.com;lr>', 'Record-Route: <sip:p1.example.com;lr>']);
  const d = Dialog.asUas(request, 'bobtag', false);
  assert.deepEqual(d.routeSet.map((r) => formatUri(r.uri)), ['sip:p2.example.com;lr', 'sip:p1.example.com;lr']);
  assert.equal(formatUri(d.remoteTarget), 'sip:alice@pc33.atlanta.example.com');
  assert.equal(d.localTag, 'bobtag');
  assert.equal(d.remoteTag, '1928301774');
  assert.equal(d.remoteSeq, 314159);
  assert.equal(d.localSeq, undefined, '§12.1.1: local sequence number empty');
  assert.equal(d.state, 'early');
});

test('§12.2.1.1 loose routing: Request-URI is the remote target, Route is the route set', () => {
  const request = invite();
  const d = Dialog.asUac(request, ok(request, 200, [
    'Record-Route: <sip:p2.example.com;lr>', 'Record-Route: <sip:p1.example.com;lr>', 'Contact: <sip:bob@192.0.2.4>',
  ]));
  const bye = d.createRequest('BYE', d.nextSeq(() => 0), contact);
  assert.equal(formatUri(bye.uri), 'sip:bob@192.0.2.4');
  assert.deepEqual(routes(bye), ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
  assert.equal(bye.headers.get('To'), '"Bob" <sip:bob@biloxi.example.com>;tag=a6c85cf');
  assert.equal(bye.headers.get('From'), '"Alice" <sip:alice@atlanta.example.com>;tag=1928301774');
  assert.equal(formatUri(d.nextHop()), 'sip:p1.example.com;lr');
});

test('§12.2.1.1 strict routing: the first route becomes the Request-URI, the remote target goes last', () => {
  const request = invite();
  const d = Dialog.asUac(request, ok(request, 200, [
    'Record-Route: <sip:p2.example.com;lr>', 'Record-Route: <sip:p1.example.com>', 'Contact: <sip:bob@192.0.2.4>',
  ]));
  const bye = d.createRequest('BYE', d.nextSeq(() => 0), contact);
  assert.equal(formatUri(bye.uri), 'sip:p1.example.com');
  assert.deepEqual(routes(bye), ['<sip:p2.example.com;lr>', '<sip:bob@192.0.2.4>']);
  assert.equal(formatUri(d.nextHop()), 'sip:p1.example.com', '§8.1.2: sent to the Request-URI (the strict router)');
});

test('§12.2.1.1 local CSeq increments by one; a UAS starts its own from a random value', () => {
  const request = invite();
  const uac = Dialog.asUac(request, ok(request, 200, ['Contact: <sip:bob@192.0.2.4>']));
  assert.equal(uac.nextSeq(() => 7), 314160);
  assert.equal(getCSeq(uac.createRequest('INFO', uac.nextSeq(() => 7), contact)).seq, 314161);
  const uas = Dialog.asUas(invite(), 'bobtag', true);
  assert.equal(uas.nextSeq(() => 4242), 4243);
  assert.equal(uas.nextSeq(() => 4242), 4244);
  assert.ok(uas.nextSeq(() => 2 ** 31 + 5) < 2 ** 31, '§8.1.1.5: below 2**31');
});

test('§12.2.2 remote CSeq: lower → rejected; equal or higher accepted; ACK and CANCEL do not count', () => {
  const d = Dialog.asUas(invite(), 'bobtag', true);
  const inDialog = (method: string, seq: number) => parse([
    `${method} sip:bob@192.0.2.4 SIP/2.0`, 'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKx',
    'To: <sip:bob@biloxi.example.com>;tag=bobtag', 'From: <sip:alice@atlanta.example.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710', `CSeq: ${seq} ${method}`,
  ]) as SipRequest;
  assert.equal(d.receiveRequest(inDialog('INFO', 314160)), true);
  assert.equal(d.remoteSeq, 314160);
  assert.equal(d.receiveRequest(inDialog('INFO', 314150)), false);
  assert.equal(d.receiveRequest(inDialog('ACK', 1)), true);
  assert.equal(d.remoteSeq, 314160);
});

test('§12.2.2 target refresh: a re-INVITE or UPDATE Contact replaces the remote target; INFO does not', () => {
  const d = Dialog.asUas(invite(), 'bobtag', true);
  const withContact = (method: string, seq: number, uri: string) => parse([
    `${method} sip:bob@192.0.2.4 SIP/2.0`, 'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKy',
    'To: <sip:bob@biloxi.example.com>;tag=bobtag', 'From: <sip:alice@atlanta.example.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710', `CSeq: ${seq} ${method}`, `Contact: <${uri}>`,
  ]) as SipRequest;
  d.receiveRequest(withContact('INFO', 314160, 'sip:alice@198.51.100.1'));
  assert.equal(formatUri(d.remoteTarget), 'sip:alice@pc33.atlanta.example.com');
  d.receiveRequest(withContact('INVITE', 314161, 'sip:alice@198.51.100.2'));
  assert.equal(formatUri(d.remoteTarget), 'sip:alice@198.51.100.2');
  d.receiveRequest(withContact('UPDATE', 314162, 'sip:alice@198.51.100.3'));
  assert.equal(formatUri(d.remoteTarget), 'sip:alice@198.51.100.3');
});

test('§12.2.1.2 a 2xx to our target refresh replaces the remote target; a non-2xx does not', () => {
  const request = invite();
  const d = Dialog.asUac(request, ok(request, 200, ['Contact: <sip:bob@192.0.2.4>']));
  const reinvite = d.createRequest('INVITE', d.nextSeq(() => 0), contact);
  d.refreshFromResponse('INVITE', ok(reinvite, 488, ['Contact: <sip:bob@192.0.2.5>']));
  assert.equal(formatUri(d.remoteTarget), 'sip:bob@192.0.2.4');
  d.refreshFromResponse('INVITE', ok(reinvite, 200, ['Contact: <sip:bob@192.0.2.6>']));
  assert.equal(formatUri(d.remoteTarget), 'sip:bob@192.0.2.6');
});
