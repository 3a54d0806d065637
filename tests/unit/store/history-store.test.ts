import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, schemaVersion } from '../../../src-main/store/database.js';
import { HistoryStore, digitsOf } from '../../../src-main/store/history-store.js';
import type { HistoryRecord } from '../../../src-main/contract/calls.js';

const record = (i: number, over: Partial<HistoryRecord> = {}): HistoryRecord => ({
  callId: `c${i}`, account: 'sip:1001@pbx', peer: { uri: `sip:+3361200${String(i).padStart(4, '0')}@pbx`, displayName: i % 2 ? 'Marie Dupont' : undefined },
  direction: i % 3 ? 'incoming' : 'outgoing', startedAt: 1_700_000_000_000 + i * 1000, answeredAt: undefined, endedAt: 1_700_000_000_500 + i * 1000,
  outcome: i % 3 ? 'missed' : 'answered', status: undefined, ...over,
});

it('stores call ends newest first, filters, searches digits across separators, pages by key, and keeps the badge across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-history-'));
  try {
    let db = openDatabase(join(dir, 'db.sqlite'));
    let store = new HistoryStore(db);
    for (let i = 0; i < 250; i++) store.add(record(i), i === 7 ? { id: 3, name: 'Marie Dupont (contact)' } : undefined);
    const first = store.list({ filter: 'all', search: '', limit: 100 });
    assert.equal(first.total, 250);
    assert.equal(first.entries.length, 100);
    assert.equal(first.entries[0]!.callId, 'c249');
    const second = store.list({ filter: 'all', search: '', limit: 100, before: first.next });
    assert.equal(second.entries[0]!.callId, 'c149');
    const third = store.list({ filter: 'all', search: '', limit: 100, before: second.next });
    assert.equal(third.entries.length, 50);
    assert.equal(third.next, undefined);
    const missed = store.list({ filter: 'missed', search: '', limit: 500 });
    assert.ok(missed.entries.every((e) => e.outcome === 'missed'));
    assert.equal(missed.total, 166);
    assert.equal(store.list({ filter: 'outgoing', search: '', limit: 500 }).total, 84);
    // "06 12 00 00 07" as typed by a person finds +33612000007.
    const byDigits = store.list({ filter: 'all', search: '612 00 00 07', limit: 10 });
    assert.deepEqual(byDigits.entries.map((e) => e.callId), ['c7']);
    assert.equal(byDigits.entries[0]!.contact?.name, 'Marie Dupont (contact)');
    assert.equal(store.list({ filter: 'all', search: 'dupont', limit: 500 }).total, 125);
    assert.equal(store.list({ filter: 'all', search: 'Du_ont%', limit: 500 }).total, 0, 'LIKE wildcards are literal');
    assert.equal(store.unseenMissed(), 166);
    db.close();
    db = openDatabase(join(dir, 'db.sqlite'));
    store = new HistoryStore(db);
    assert.ok(schemaVersion(db) >= 2, 'the history step (2) is applied; later steps may follow');
    assert.equal(store.unseenMissed(), 166, 'the badge survives a restart');
    store.markSeen();
    assert.equal(store.unseenMissed(), 0);
    assert.ok(store.remove(first.entries[0]!.id));
    assert.equal(store.list({ filter: 'all', search: '', limit: 1 }).total, 249);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('takes digits from the user part only', () => {
  assert.equal(digitsOf('sip:+33 6 12@pbx1.example.com:5060'), '33612');
  assert.equal(digitsOf('tel:+1-202-555-0100'), '12025550100');
});
