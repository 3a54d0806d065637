/** Caller identification in call snapshots: an incoming call from a contact's number carries its name. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { UserAgent } from '../../../src-main/sip/ua/user-agent.js';
import { accountDefaults } from '../../../src-main/sip/ua/core/account.js';
import { CallManager, defaultSettings } from '../../../src-main/calls/call-manager.js';
import type { CallEvent } from '../../../src-main/contract/calls.js';
import { sequenceRandom } from '../../../src-main/util/random.js';
import { resolveOnNetwork } from '../../support/fake-network.js';
import { callOf, desk, FakeEngine, FakeNetwork } from '../calls/support.js';
import { freshDirectory } from './contact-fixtures.js';

it('an incoming call from 0612345678 shows the contact saved as +33 6 12 34 56 78, ringing and answered', async () => {
  const { directory, close } = freshDirectory();
  try {
    const saved = directory.save({ name: 'Jean Dupont', numbers: [{ label: 'mobile', value: '+33 6 12 34 56 78' }] });
    assert.ok(saved.ok);
    const net = new FakeNetwork();
    const caller = desk(net, '0612345678', '10.0.0.1');
    const random = sequenceRandom([0]);
    const ua = new UserAgent({
      transport: net.transport('10.0.0.2'), clock: net.clock, resolve: resolveOnNetwork, userAgent: 'test-desk',
      random: { token: (bits) => `desk-${random.token(bits)}`, int: (max) => random.int(max) },
    });
    ua.addAccount(accountDefaults({ key: 'desk', aor: 'sip:desk@10.0.0.2', incomingCallPolicy: 'any' }));
    const countries: Array<string | undefined> = [];
    const manager = new CallManager({
      ua, engine: new FakeEngine(), mediaOptions: () => ({ bindAddress: '10.0.0.2', srtp: 'off' }), now: () => net.clock.now(), clock: net.clock,
      identifyContact: (uri, account) => {
        countries.push(account);
        return directory.identify(uri, account === 'desk' ? 'FR' : undefined);
      },
    }, { ...defaultSettings });
    const events: CallEvent[] = [];
    manager.on('event', (e) => events.push(e));

    await caller.manager.execute({ type: 'dial', uri: 'sip:desk@10.0.0.2' });
    await net.run(50);
    const ringing = events.find((e) => e.type === 'call' && e.call.state === 'incoming');
    assert.ok(ringing?.type === 'call');
    assert.equal(ringing.call.peer.uri, 'sip:0612345678@10.0.0.1');
    assert.deepEqual(ringing.call.contact, { id: saved.value.id, name: 'Jean Dupont' });
    assert.ok(countries.every((c) => c === 'desk'), 'identified with the receiving account (its country)');
    await manager.execute({ type: 'answer' });
    await net.run(50);
    assert.deepEqual(manager.getState().calls[0]?.contact, { id: saved.value.id, name: 'Jean Dupont' });
    assert.equal(callOf(caller).snapshot().contact, undefined, 'no resolver, no contact');
    await manager.execute({ type: 'hangup' });
    await net.run(50);
  } finally {
    close();
  }
});
