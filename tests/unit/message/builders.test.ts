import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  createRequest, createResponse, getTo, parseMessage, parseUri, reasonPhrase, serializeMessage, type SipRequest,
} from '../../../src-main/sip/message/index.js';
import { vector } from './vectors.js';

function invite(): SipRequest {
  const r = parseMessage(vector('rfc3261', '24.2-F1-invite'));
  assert.ok(r.ok && r.message.kind === 'request');
  return r.message as SipRequest;
}

describe('createResponse (RFC 3261 §8.2.6.2)', () => {
  test('copies Via, From, To, Call-ID, CSeq and adds the To tag', () => {
    const req = invite();
    const res = createResponse(req, 180, undefined, { toTag: 'bobtag' });
    assert.equal(res.reason, 'Ringing');
    assert.deepEqual(res.headers.getAll('Via'), req.headers.getAll('Via'));
    assert.equal(res.headers.get('From'), req.headers.get('From'));
    assert.equal(res.headers.get('Call-ID'), req.headers.get('Call-ID'));
    assert.equal(res.headers.get('CSeq'), '1 INVITE');
    assert.equal(getTo(res).params.get('tag'), 'bobtag');
    assert.equal(getTo(res).displayName, 'Bob');
    assert.equal(res.body.length, 0);
    const again = parseMessage(serializeMessage(res));
    assert.equal(again.ok, true);
  });
  test('no tag on 100 Trying, and an existing tag is kept', () => {
    const req = invite();
    assert.equal(createResponse(req, 100, undefined, { toTag: 'x' }).headers.get('To'), req.headers.get('To'));
    req.headers.set('To', '<sip:bob@biloxi.example.com>;tag=already');
    assert.equal(getTo(createResponse(req, 200, 'OK', { toTag: 'x' })).params.get('tag'), 'already');
  });
  test('Record-Route is copied only when asked (§12.1.1)', () => {
    const req = invite();
    req.headers.append('Record-Route', '<sip:p1.example.com;lr>');
    req.headers.append('Record-Route', '<sip:p2.example.com;lr>');
    assert.deepEqual(createResponse(req, 200).headers.getAll('Record-Route'), []);
    assert.deepEqual(createResponse(req, 200, undefined, { copyRecordRoute: true }).headers.getAll('Record-Route'),
      ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
  });
});

describe('reasonPhrase (RFC 3261 §21)', () => {
  test('table and class fallback', () => {
    assert.equal(reasonPhrase(200), 'OK');
    assert.equal(reasonPhrase(481), 'Call/Transaction Does Not Exist');
    assert.equal(reasonPhrase(416), 'Unsupported URI Scheme');
    assert.equal(reasonPhrase(499), 'Client Error');
    assert.equal(reasonPhrase(699), 'Global Failure');
  });
});

describe('createRequest', () => {
  test('builds a request that serializes and parses', () => {
    const req = createRequest('OPTIONS', parseUri('sip:bob@127.0.0.1:5070'), [
      ['Via', 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1'], ['From', '<sip:a@127.0.0.1>;tag=1'],
      ['To', '<sip:bob@127.0.0.1>'], ['Call-ID', 'c1'], ['CSeq', '1 OPTIONS'], ['Max-Forwards', '70'],
    ], Buffer.from('hi'));
    const r = parseMessage(serializeMessage(req));
    assert.ok(r.ok);
    assert.equal(r.ok && r.message.body.toString(), 'hi');
  });
});
