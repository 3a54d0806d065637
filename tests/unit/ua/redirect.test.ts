/** Call forwarding by redirection (RFC 3261 §8.3, §21.3). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getContacts } from '../../../src-main/sip/message/index.js';
import { bobUri, CAROL, phone, states, twoPhones } from './support.js';

test('RFC 3261 §21.3.3 redirect(): 302 with the Contacts; the session ends as redirected; the caller follows', async () => {
  const { net, alice, bob } = twoPhones();
  const carol = phone(net, 'carol', CAROL, { incomingCallPolicy: 'any' });
  const call = alice.ua.call(bobUri(), alice.media, 'alice');
  await net.run(10);
  const atBob = bob.incoming[0]!;
  const seen = states(atBob);
  atBob.redirect([`sip:carol@${CAROL}`, '"Voicemail" <sip:vm@10.0.0.10>']);
  await net.run(10);
  const r = net.responses(302)[0]!.message;
  assert.deepEqual(getContacts(r).contacts.map((c) => c.uri.user), ['carol', 'vm']);
  assert.deepEqual(seen, ['ringing', 'ended']);
  assert.deepEqual(atBob.endCause, { cause: 'redirected', status: 302 });
  assert.equal(carol.incoming.length, 1, '§8.1.3.4: the caller tries the first Contact');
  assert.notEqual(call.state, 'ended');
});

test('RFC 3261 §21.3.2 redirect() with 301 and a bad contact', async () => {
  const { net, alice, bob } = twoPhones();
  alice.ua.call(bobUri(), alice.media, 'alice');
  await net.run(10);
  const atBob = bob.incoming[0]!;
  assert.throws(() => atBob.redirect(['not a uri']));
  assert.throws(() => atBob.redirect([`sip:carol@${CAROL}`], 200), RangeError);
  atBob.redirect([`<sip:carol@${CAROL}>`], 301);
  await net.run(10);
  assert.equal(net.responses(301).length, 1);
});
