/**
 * An SDP the media side refuses, on the wire: a bad offer gets 488 with a Warning (RFC 3261
 * §21.4.26, §20.43) — before ringing for an INVITE, leaving the session as it was for a
 * re-INVITE — and a bad answer ends the call with cause unacceptable-media (ACK, then BYE).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCSeq } from '../../../src-main/sip/message/index.js';
import type { MediaRefusal, SessionMedia } from '../../../src-main/sip/ua/session/invite-session.js';
import { warningValue } from '../../../src-main/sip/ua/session/media-refusal.js';
import { bobUri, establishedCall, FakeMedia, FakeNetwork, twoPhones, ALICE } from './support.js';

const hostName: MediaRefusal = { warnCode: 301, text: 'c= is not an IP address literal' };

/** Fake media that refuses offers and/or answers with a reason, as CallMedia does. */
class RefusingMedia implements SessionMedia {
  refuseOffers = false;
  refuseAnswers = false;
  private readonly inner: FakeMedia;
  constructor(name: string) {
    this.inner = new FakeMedia(name);
  }
  createOffer(): string {
    return this.inner.createOffer();
  }
  createAnswer(offer: string): string | MediaRefusal | undefined {
    return this.refuseOffers ? hostName : this.inner.createAnswer(offer);
  }
  checkOffer(): MediaRefusal | undefined {
    return this.refuseOffers ? hostName : undefined;
  }
  setAnswer(answer: string): MediaRefusal | void {
    this.inner.setAnswer(answer);
    return this.refuseAnswers ? hostName : undefined;
  }
}

const responses = (net: FakeNetwork, status: number, method: string) =>
  net.responses(status, true).filter((p) => getCSeq(p.message).method === method).map((p) => p.message);

test('an INVITE whose offer the media refuses gets 488 with a Warning and never rings', async () => {
  const { net, alice, bob } = twoPhones();
  const media = new RefusingMedia('bob');
  media.refuseOffers = true;
  bob.ua.removeAllListeners('incoming');
  bob.ua.on('incoming', (call) => {
    call.setMedia(media);
    bob.incoming.push(call);
    call.ring();
  });
  const call = alice.ua.call(bobUri(), alice.media, 'alice');
  await net.run(100);
  assert.equal(responses(net, 180, 'INVITE').length, 0, 'no 180 Ringing');
  const [notAcceptable] = responses(net, 488, 'INVITE');
  assert.ok(notAcceptable, '488 Not Acceptable Here');
  assert.equal(notAcceptable.headers.get('Warning'), `301 10.0.0.2 "c= is not an IP address literal"`);
  assert.equal(bob.incoming[0]!.endCause?.cause, 'unacceptable-media');
  assert.equal(call.endCause?.cause, 'unacceptable-media');
  assert.equal(call.endCause?.status, 488);
});

test('answering an offer the media refuses (no checkOffer) also gets 488 with the Warning', async () => {
  const { net, alice, bob } = twoPhones();
  const media = new RefusingMedia('bob');
  bob.ua.removeAllListeners('incoming');
  bob.ua.on('incoming', (c) => {
    c.setMedia(media);
    bob.incoming.push(c);
  });
  const call = alice.ua.call(bobUri(), alice.media, 'alice');
  await net.run(10);
  media.refuseOffers = true;
  bob.incoming[0]!.answer();
  await net.run(10);
  assert.match(responses(net, 488, 'INVITE')[0]!.headers.get('Warning') ?? '', /^301 \S+ "c= is not an IP address literal"$/);
  assert.equal(call.endCause?.cause, 'unacceptable-media');
});

test('RFC 3264 §8: a re-INVITE whose offer the media refuses gets 488 + Warning; the call goes on', async () => {
  const { net, call, answer } = await establishedCall();
  const media = new RefusingMedia('bob');
  media.refuseOffers = true;
  answer.setMedia(media);
  const result = await Promise.all([call.reinvite(), net.run(100)]).then(([r]) => r);
  assert.deepEqual(result, { ok: false, status: 488, reason: 'Not Acceptable Here' });
  assert.match(responses(net, 488, 'INVITE')[0]!.headers.get('Warning') ?? '', /^301 /);
  assert.equal(call.state, 'confirmed');
  assert.equal(answer.state, 'confirmed');
});

test('an unusable answer in the 2xx: ACK, then BYE, cause unacceptable-media with the reason', async () => {
  const { net, alice, bob } = twoPhones();
  const media = new RefusingMedia('alice');
  media.refuseAnswers = true;
  const call = alice.ua.call(bobUri(), media, 'alice');
  await net.run(10);
  bob.incoming[0]!.answer();
  await net.run(100);
  assert.equal(net.requests('ACK').length, 1);
  assert.equal(net.requests('BYE').length, 1);
  assert.equal(net.requests('BYE')[0]!.from.address, ALICE);
  assert.deepEqual(call.endCause, { cause: 'unacceptable-media', status: 488, reason: 'c= is not an IP address literal' });
  assert.equal(bob.incoming[0]!.endCause?.cause, 'remote-hangup');
});

test('an unusable answer to our re-INVITE ends the call the same way', async () => {
  const { net, call, answer } = await establishedCall();
  const media = new RefusingMedia('alice');
  media.refuseAnswers = true;
  call.setMedia(media);
  const result = await Promise.all([call.reinvite(), net.run(100)]).then(([r]) => r);
  assert.deepEqual(result, { ok: false, status: 488, reason: 'c= is not an IP address literal' });
  assert.equal(call.endCause?.cause, 'unacceptable-media');
  assert.equal(answer.endCause?.cause, 'remote-hangup');
});

test('the Warning text is made safe: only printable ASCII, no quotes or backslashes; bad codes become 399', () => {
  assert.equal(warningValue({ warnCode: 305, text: 'a "b"\\c\r\nd\u00e9' }, 'host'), '305 host "a bcd"');
  assert.equal(warningValue({ warnCode: 200, text: 'x' }, 'host'), '399 host "x"');
});
