import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StreamFramer, readContentLength } from '../../../src-main/sip/transport/stream-framer.js';

function collect(limits?: { maxHeaderBytes: number; maxBodyBytes: number }) {
  const events: string[] = [];
  const messages: string[] = [];
  const framer = new StreamFramer({
    message: (d) => { messages.push(d.toString('latin1')); events.push('message'); },
    ping: () => events.push('ping'),
    pong: () => events.push('pong'),
    error: (r) => events.push(`error:${r}`),
  }, limits);
  return { framer, events, messages };
}

const options = (body = '') =>
  `OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK1\r\n` +
  `Call-ID: a@b\r\nl: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const response = (body: string) =>
  `SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK1\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

describe('RFC 3261 §18.3 stream framing', () => {
  it('frames the same messages when split at every byte boundary', () => {
    const stream = options('v=0\r\n') + response('hello') + options();
    for (let cut = 1; cut < stream.length; cut++) {
      const { framer, messages, events } = collect();
      framer.push(Buffer.from(stream.slice(0, cut), 'latin1'));
      framer.push(Buffer.from(stream.slice(cut), 'latin1'));
      assert.deepEqual(messages, [options('v=0\r\n'), response('hello'), options()], `cut at ${cut}`);
      assert.ok(!events.some((e) => e.startsWith('error')));
    }
  });

  it('frames messages arriving one byte at a time', () => {
    const stream = options('x'.repeat(300)) + options();
    const { framer, messages } = collect();
    for (const byte of Buffer.from(stream, 'latin1')) framer.push(Buffer.from([byte]));
    assert.deepEqual(messages, [options('x'.repeat(300)), options()]);
    assert.equal(framer.buffered, 0);
  });

  it('emits two messages from one chunk', () => {
    const { framer, messages } = collect();
    framer.push(Buffer.from(options('a') + response('bc')));
    assert.deepEqual(messages, [options('a'), response('bc')]);
  });

  it('waits for the whole body (Content-Length counts bytes, not characters)', () => {
    const body = 'é€'; // 5 bytes in UTF-8
    const { framer, messages } = collect();
    const data = Buffer.from(options(body), 'utf8');
    framer.push(data.subarray(0, data.length - 1));
    assert.equal(messages.length, 0);
    framer.push(data.subarray(data.length - 1));
    assert.equal(Buffer.from(messages[0]!, 'latin1').toString('utf8'), options(body));
  });

  it('rejects a message without Content-Length and stops framing', () => {
    const { framer, events, messages } = collect();
    framer.push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n' + options()));
    assert.deepEqual(events, ['error:Missing Content-Length on a stream transport']);
    assert.equal(framer.failed, true);
    framer.push(Buffer.from(options()));
    assert.equal(messages.length, 0);
  });

  it('rejects an invalid or conflicting Content-Length', () => {
    assert.match(String(readContentLength('X\r\nContent-Length: -1')), /Invalid Content-Length/);
    assert.match(String(readContentLength('X\r\nContent-Length: 1\r\nl: 2')), /Conflicting/);
    assert.equal(readContentLength('X\r\ncontent-length :  12 '), 12);
  });

  it('rejects headers larger than the limit, even one byte at a time', () => {
    const { framer, events } = collect({ maxHeaderBytes: 200, maxBodyBytes: 1000 });
    const big = `OPTIONS sip:a@b SIP/2.0\r\nSubject: ${'y'.repeat(300)}\r\n`;
    for (const byte of Buffer.from(big)) framer.push(Buffer.from([byte]));
    assert.deepEqual(events, ['error:Headers exceed 200 bytes']);
  });

  it('rejects a body larger than the limit before buffering it', () => {
    const { framer, events } = collect({ maxHeaderBytes: 1000, maxBodyBytes: 10 });
    framer.push(Buffer.from('SIP/2.0 200 OK\r\nContent-Length: 11\r\n\r\n'));
    assert.deepEqual(events, ['error:Content-Length 11 exceeds 10']);
  });

  it('RFC 5626 §4.4.1: CRLFCRLF between messages is a ping, a lone CRLF a pong', () => {
    const { framer, events, messages } = collect();
    framer.push(Buffer.from('\r\n\r\n' + options() + '\r\n'));
    framer.push(Buffer.from(response('') + '\r'));
    framer.push(Buffer.from('\n\r\n'));
    assert.deepEqual(events, ['pong', 'ping', 'message', 'pong', 'message', 'pong', 'ping']);
    assert.deepEqual(messages, [options(), response('')]);
  });

  it('§7.5: ignores CRLFs before a message', () => {
    const { framer, messages } = collect();
    framer.push(Buffer.from('\r\n' + options()));
    assert.deepEqual(messages, [options()]);
  });

  it('rejects a bare LF between messages', () => {
    const { framer, events } = collect();
    framer.push(Buffer.from('\n' + options()));
    assert.deepEqual(events, ['error:Bare LF between messages']);
  });

  it('frames thousands of messages pushed one byte at a time', () => {
    // 2000 messages pushed byte by byte: a rescanning framer would be quadratic in buffered bytes.
    const one = options('z'.repeat(50));
    const stream = Buffer.from(one.repeat(2000));
    const { framer, messages } = collect();
    for (let i = 0; i < stream.length; i++) framer.push(stream.subarray(i, i + 1));
    assert.equal(messages.length, 2000);
    assert.equal(framer.buffered, 0);
  });
});
