/** Instant messages in SQLite (schema step "messages"): per conversation, paging, search, unread, status, restart. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../src-main/store/database.js';
import { MessageStore } from '../../../src-main/store/message-store.js';

it('stores messages per peer newest first, pages by id, searches text and peer, counts unread, updates status, survives a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-messages-'));
  try {
    let db = openDatabase(join(dir, 'db.sqlite'));
    let store = new MessageStore(db);
    const ann = 'sip:1002@pbx';
    const bob = 'sip:1003@pbx';
    for (let i = 0; i < 30; i++) {
      store.add({ account: 'a', peer: i % 3 ? ann : bob, peerName: i % 3 ? 'Ann' : undefined, direction: i % 2 ? 'in' : 'out',
        text: i === 7 ? 'Réunion à 15 h 😀 100% sûr_' : `message ${i}`, at: 1000 + i, status: i % 2 ? 'received' : 'sending' });
    }
    const page = store.list({ peer: ann, search: '', limit: 10 });
    assert.equal(page.messages.length, 10);
    assert.ok(page.messages.every((m) => m.peer === ann));
    assert.ok(page.messages[0]!.id > page.messages[9]!.id, 'newest first');
    const rest = store.list({ peer: ann, search: '', limit: 100, before: page.next });
    assert.equal(page.messages.length + rest.messages.length, 20);
    assert.equal(rest.next, undefined);
    // LIKE wildcards in the search are literal.
    assert.deepEqual(store.list({ search: '100% sûr_', limit: 10 }).messages.map((m) => m.text), ['Réunion à 15 h 😀 100% sûr_']);
    assert.equal(store.list({ search: '%', limit: 100 }).messages.length, 1);
    assert.equal(store.list({ search: 'ann', limit: 100 }).messages.length, 20, 'the peer name matches too');
    const conversations = store.conversations();
    assert.deepEqual(conversations.map((c) => c.peer), [ann, bob]);
    assert.equal(conversations[0]!.unread, 10, 'incoming messages are unread; our own are read');
    assert.equal(conversations[0]!.peerName, 'Ann');
    const updated = store.setStatus(page.messages.find((m) => m.direction === 'out')!.id, 'delivered', 200);
    assert.deepEqual({ status: updated?.status, code: updated?.code }, { status: 'delivered', code: 200 });
    store.markRead(ann);
    assert.equal(store.unread(), 5);
    db.close();
    db = openDatabase(join(dir, 'db.sqlite'));
    store = new MessageStore(db);
    assert.equal(store.unread(), 5);
    assert.equal(store.list({ search: '', limit: 100 }).messages.length, 30);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
