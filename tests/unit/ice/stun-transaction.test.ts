/** RFC 8489 §6.2 client transactions with a fake clock: retransmission schedule, matching, timeouts. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TestClock } from '../../support/test-clock.js';
import { cryptoRandom } from '../../../src-main/util/random.js';
import { Attr, StunClass, StunMethod } from '../../../src-main/net/stun/constants.js';
import { encodeStun, parseStun } from '../../../src-main/net/stun/message.js';
import { StunClient, type StunOutcome } from '../../../src-main/net/stun/transaction.js';
import { discoverMapping } from '../../../src-main/net/stun/binding.js';
import { encodeXorAddress } from '../../../src-main/net/stun/attributes.js';

const server = { address: '192.0.2.10', port: 3478 };

function setup(reliable = false) {
  const clock = new TestClock();
  const sends: { at: number; data: Buffer }[] = [];
  const client = new StunClient({ send: (data) => sends.push({ at: clock.now(), data }), clock, random: cryptoRandom, reliable });
  return { clock, sends, client };
}

describe('STUN client transactions (RFC 8489 §6.2)', () => {
  it('§6.2.1 UDP: 7 sends at 0, 500, 1500, 3500, 7500, 15500, 31500 ms; timeout at 39500 ms', async () => {
    const { clock, sends, client } = setup();
    let outcome: StunOutcome | undefined;
    void client.request({ method: StunMethod.Binding, attributes: [] }, server).then((o) => { outcome = o; });
    clock.advance(39_499);
    await Promise.resolve();
    assert.deepEqual(sends.map((s) => s.at), [0, 500, 1500, 3500, 7500, 15500, 31500]);
    assert.equal(outcome, undefined);
    clock.advance(1);
    await Promise.resolve();
    assert.deepEqual(outcome, { ok: false, reason: 'timeout' });
    assert.ok(sends.every((s) => s.data.equals(sends[0]!.data)), 'retransmissions are identical');
    assert.equal(clock.pending, 0);
  });

  it('§6.2.1 Rc per request: 4 sends at 0, 500, 1500, 3500 ms; timeout Rm·RTO later, at 11500 ms', async () => {
    const { clock, sends, client } = setup();
    let outcome: StunOutcome | undefined;
    void client.requestWithId(client.newTransactionId(), { method: StunMethod.Binding, attributes: [] }, server, {}, 4).then((o) => { outcome = o; });
    clock.advance(11_499);
    await Promise.resolve();
    assert.deepEqual(sends.map((s) => s.at), [0, 500, 1500, 3500]);
    assert.equal(outcome, undefined);
    clock.advance(1);
    await Promise.resolve();
    assert.deepEqual(outcome, { ok: false, reason: 'timeout' });
    assert.equal(clock.pending, 0);
  });

  it('§6.2.2 TCP/TLS: one send, timeout after Ti = 39.5 s', async () => {
    const { clock, sends, client } = setup(true);
    let outcome: StunOutcome | undefined;
    void client.request({ method: StunMethod.Binding, attributes: [] }, server).then((o) => { outcome = o; });
    clock.advance(39_500);
    await Promise.resolve();
    assert.equal(sends.length, 1);
    assert.deepEqual(outcome, { ok: false, reason: 'timeout' });
  });

  it('a response with the transaction ID ends the retransmissions; others are not matched', async () => {
    const { clock, sends, client } = setup();
    const pending = discoverMapping(client, server);
    clock.advance(600);
    const request = parseStun(sends[0]!.data);
    assert.ok(request.ok && request.message.fingerprint);
    const id = request.message.transactionId;
    const other = encodeStun({ method: StunMethod.Binding, cls: StunClass.SuccessResponse, transactionId: Buffer.alloc(12), attributes: [] });
    assert.equal(client.handleResponse((parseStun(other) as { ok: true; message: never }).message), false);
    const answer = encodeStun({ method: StunMethod.Binding, cls: StunClass.SuccessResponse, transactionId: id, attributes: [
      { type: Attr.XorMappedAddress, value: encodeXorAddress({ family: 4, address: '203.0.113.5', port: 40001 }, id) },
    ] });
    const parsed = parseStun(answer);
    assert.ok(parsed.ok);
    assert.equal(client.handleResponse(parsed.message), true);
    assert.deepEqual(await pending, { ok: true, mapped: { family: 4, address: '203.0.113.5', port: 40001 } });
    const before = sends.length;
    clock.advance(60_000);
    assert.equal(sends.length, before);
    assert.equal(client.outstanding, 0);
    assert.equal(client.handleResponse(parsed.message), false, 'a retransmitted response matches nothing');
  });

  it('close() fails outstanding requests with "closed" and refuses new ones', async () => {
    const { client } = setup();
    const p = client.request({ method: StunMethod.Binding, attributes: [] }, server);
    client.close();
    assert.deepEqual(await p, { ok: false, reason: 'closed' });
    assert.deepEqual(await client.request({ method: StunMethod.Binding, attributes: [] }, server), { ok: false, reason: 'closed' });
  });
});
