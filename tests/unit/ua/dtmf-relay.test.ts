import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DTMF_RELAY_CONTENT_TYPE, formatDtmfRelay, parseDtmfRelay } from '../../../src-main/sip/ua/session/dtmf-relay.js';

describe('SIP INFO application/dtmf-relay', () => {
  it('formats the canonical body', () => {
    assert.equal(DTMF_RELAY_CONTENT_TYPE, 'application/dtmf-relay');
    assert.equal(formatDtmfRelay('5', 160), 'Signal=5\r\nDuration=160\r\n');
    assert.equal(formatDtmfRelay('#', 250), 'Signal=#\r\nDuration=250\r\n');
    assert.equal(formatDtmfRelay('b', 100), 'Signal=B\r\nDuration=100\r\n');
    assert.throws(() => formatDtmfRelay('x', 100), RangeError);
    assert.throws(() => formatDtmfRelay('1', -5), RangeError);
  });

  it('parses canonical and lenient bodies', () => {
    const table: Array<[string, ReturnType<typeof parseDtmfRelay>]> = [
      ['Signal=5\r\nDuration=160\r\n', { signal: '5', durationMs: 160 }],
      ['signal = *\nduration = 250\n', { signal: '*', durationMs: 250 }],
      ['SIGNAL=d\r\n', { signal: 'D', durationMs: undefined }],
      ['Signal=11\r\nDuration=100\r\n', { signal: '#', durationMs: 100 }],
      ['Signal=10\r\nDuration=abc\r\n', { signal: '*', durationMs: undefined }],
      ['Duration=160\r\nSignal=0', { signal: '0', durationMs: 160 }],
      ['Signal=16\r\n', undefined],
      ['Signal=E\r\n', undefined],
      ['Duration=160\r\n', undefined],
      ['', undefined],
    ];
    for (const [body, expected] of table) assert.deepEqual(parseDtmfRelay(body), expected, JSON.stringify(body));
  });

  it('round-trips every key', () => {
    for (const key of '0123456789*#ABCD') assert.deepEqual(parseDtmfRelay(formatDtmfRelay(key, 90)), { signal: key, durationMs: 90 });
  });
});
