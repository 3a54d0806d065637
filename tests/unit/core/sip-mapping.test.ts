/** The SIP port's public mapping from the STUN server at start (issue 13): one Binding per distinct server, reported as events. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PhoneEvent } from '../../../src-main/contract/channels.js';
import { keepAliveMapping, keepAliveUnanswered, MappingComparison, probeSipMapping } from '../../../src-main/core/sip-mapping.js';
import type { StunTarget } from '../../../src-main/sip/transport/index.js';

test('one Binding request per distinct server; the answer or the failure becomes a sip-mapping event', async () => {
  const asked: StunTarget[] = [];
  const events: PhoneEvent[] = [];
  await probeSipMapping([
    { host: '203.0.113.5', port: 3478 }, { host: '203.0.113.5', port: 3478 }, { host: 'stun.example', port: 3479 }, { host: 'gone.example', port: 3478 },
  ], {
    family: 4,
    emit: (e) => events.push(e),
    resolve: (host) => (host === 'stun.example' ? Promise.resolve('203.0.113.6') : Promise.reject(new Error('ENOTFOUND'))),
    stunBinding: (to) => {
      asked.push(to);
      return Promise.resolve(to.address === '203.0.113.5'
        ? { ok: true, mapped: { address: '198.51.100.1', port: 40000 } }
        : { ok: false, answered: false, detail: 'no STUN answer (timeout)' });
    },
  });
  assert.deepEqual(asked, [{ address: '203.0.113.5', port: 3478 }, { address: '203.0.113.6', port: 3479 }]);
  const server = (e: PhoneEvent) => (e.type === 'sip-mapping' ? e.server ?? '' : '');
  assert.deepEqual(events.sort((a, b) => server(a).localeCompare(server(b))), [
    { type: 'sip-mapping', source: 'stun-server', server: '203.0.113.5:3478', address: '198.51.100.1', port: 40000 },
    { type: 'sip-mapping', source: 'stun-server', server: 'gone.example:3478', reason: 'cannot resolve gone.example: ENOTFOUND' },
    { type: 'sip-mapping', source: 'stun-server', server: 'stun.example:3479', reason: 'no STUN answer (timeout)' },
  ]);
});

test('a keep-alive mapping names the account and the mapping it replaced', () => {
  assert.deepEqual(keepAliveMapping('a', { address: '198.51.100.3', port: 40002 }, { address: '198.51.100.1', port: 40000 }),
    { type: 'sip-mapping', source: 'keep-alive', account: 'a', address: '198.51.100.3', port: 40002, previous: '198.51.100.1:40000' });
});

test('the STUN server and a registrar flow see different mappings: one notice per account (symmetric NAT)', () => {
  const c = new MappingComparison();
  const server: PhoneEvent = { type: 'sip-mapping', source: 'stun-server', server: '198.51.100.10:3478', address: '198.51.100.1', port: 5067 };
  assert.equal(c.observe(keepAliveMapping('a', { address: '198.51.100.1', port: 5067 })), undefined, 'no server view yet');
  assert.equal(c.observe(server), undefined, 'the same mapping: endpoint-independent');
  assert.match(c.observe(keepAliveMapping('b', { address: '198.51.100.1', port: 2625 })) ?? '',
    /^b: the STUN server 198\.51\.100\.10:3478 sees SIP at 198\.51\.100\.1:5067, the registrar at 198\.51\.100\.1:2625: .*symmetric/);
  assert.equal(c.observe(keepAliveMapping('b', { address: '198.51.100.1', port: 2627 })), undefined, 'said once');
  assert.equal(c.observe({ type: 'notice', message: 'x' }), undefined);
  // The router renumbered: a remapped flow makes the start-time view stale, nothing to compare.
  assert.equal(c.observe(keepAliveMapping('a', { address: '198.51.100.21', port: 5067 }, { address: '198.51.100.1', port: 5067 })), undefined);
  assert.equal(c.observe(keepAliveMapping('c', { address: '198.51.100.21', port: 9 })), undefined);
});

test('a registrar without STUN is reported as a sip-mapping reason, not a notice', () => {
  assert.deepEqual(keepAliveUnanswered('a', 'no STUN answer (timeout)'), {
    type: 'sip-mapping', source: 'keep-alive', account: 'a',
    reason: 'no STUN answer (timeout): the registrar does not answer STUN keep-alives, using OPTIONS',
  });
  assert.equal(new MappingComparison().observe(keepAliveUnanswered('a', 'x')), undefined, 'nothing to compare');
});
