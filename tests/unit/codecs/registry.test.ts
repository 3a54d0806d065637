import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codecByName, codecs } from '../../../src-main/media/codecs/registry.js';
import { frameSamples } from '../../../src-main/media/codecs/codec.js';

describe('codec registry', () => {
  it('holds one descriptor per name with RFC 3551 / RFC 7587 parameters', () => {
    const table = Object.values(codecs).map((c) => [c.name, c.staticPayloadType, c.sampleRate, c.rtpClockRate, frameSamples(c, 20)]);
    assert.deepEqual(table, [
      ['opus', undefined, 48000, 48000, 960],
      ['G722', 9, 16000, 8000, 320],
      ['PCMU', 0, 8000, 8000, 160],
      ['PCMA', 8, 8000, 8000, 160],
    ]);
  });

  it('looks names up case-insensitively, as SDP rtpmap names arrive', () => {
    assert.equal(codecByName('OPUS'), codecs.opus);
    assert.equal(codecByName('pcmu'), codecs.PCMU);
    assert.equal(codecByName('g722'), codecs.G722);
    assert.equal(codecByName('G729'), undefined);
  });

  it('every descriptor encodes and decodes a 20 ms frame into caller buffers', () => {
    for (const c of Object.values(codecs)) {
      const n = frameSamples(c, 20);
      const payload = new Uint8Array(1500);
      const bytes = c.createEncoder().encode(new Int16Array(n), payload);
      assert.ok(bytes > 0 && bytes <= n, c.name);
      const out = new Int16Array(n);
      assert.equal(c.createDecoder().decode(payload.subarray(0, bytes), out), n, c.name);
      assert.equal(c.createDecoder().conceal(out, n), n, c.name);
    }
  });
});
