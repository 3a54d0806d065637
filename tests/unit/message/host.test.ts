/** RFC 3261 §25.1: hosts as written in Via and URIs; the one formatter every layer uses. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatHost, formatHostPort } from '../../../src-main/sip/message/index.js';

test('§25.1 IPv6reference: a bare IPv6 address is bracketed, everything else is left as is', () => {
  assert.equal(formatHost('::1'), '[::1]');
  assert.equal(formatHost('2001:db8::10'), '[2001:db8::10]');
  assert.equal(formatHost('::ffff:192.0.2.1'), '[::ffff:192.0.2.1]');
  assert.equal(formatHost('[::1]'), '[::1]');
  assert.equal(formatHost('127.0.0.1'), '127.0.0.1');
  assert.equal(formatHost('pbx.example.com'), 'pbx.example.com');
  assert.equal(formatHostPort('::1', 5060), '[::1]:5060');
  assert.equal(formatHostPort('192.0.2.1', 5062), '192.0.2.1:5062');
});
