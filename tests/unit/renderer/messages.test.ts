import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatMessage, Conversation } from '../../../src-main/contract/presence.js';
import {
  applyConversations, applyMessage, conversationKey, applyPage, applyRead, applyStatus, initialMessages, preview, statusKey, titleWithUnread,
  totalUnread, worthNotifying,
} from '../../../src-renderer/features/messages/messages-model.js';

const msg = (id: number, over: Partial<ChatMessage> = {}): ChatMessage => ({
  id, account: 'a1', peer: 'sip:1003@pbx', peerName: undefined, direction: 'in', text: `m${id}`, at: 1000 * id,
  status: 'received', code: undefined, read: false, ...over,
});
const conv = (peer: string, last: ChatMessage, unread = 0): Conversation => ({ peer, peerName: undefined, last, unread });

describe('renderer: conversations', () => {
  it('a received message counts as unread and brings its conversation to the top', () => {
    let m = applyConversations(initialMessages, [conv('sip:1002@pbx', msg(5, { peer: 'sip:1002@pbx' })), conv('sip:1003@pbx', msg(3), 1)]);
    assert.deepEqual(m.conversations.map((c) => c.peer), ['sip:1002@pbx', 'sip:1003@pbx']);
    m = applyMessage(m, msg(6, { text: 'Réunion à 15 h ? 👍🏽' }));
    assert.deepEqual(m.conversations.map((c) => [c.peer, c.unread]), [['sip:1003@pbx', 2], ['sip:1002@pbx', 0]]);
    assert.equal(m.conversations[0]!.last.text, 'Réunion à 15 h ? 👍🏽');
    assert.equal(totalUnread(m.conversations), 2);
    m = applyMessage(m, msg(7, { peer: 'sip:1009@pbx', direction: 'out', status: 'sending', read: true }));
    assert.deepEqual(m.conversations.map((c) => [c.peer, c.unread]), [['sip:1009@pbx', 0], ['sip:1003@pbx', 2], ['sip:1002@pbx', 0]]);
  });

  it('threads: pages newest first become oldest first; older pages go before; events append once', () => {
    let m = applyPage(initialMessages, 'sip:1003@pbx', { messages: [msg(9), msg(8)], next: 8 }, false);
    m = applyMessage(m, msg(10));
    m = applyMessage(m, msg(10));
    m = applyPage(m, 'sip:1003@pbx', { messages: [msg(7), msg(6)], next: undefined }, true);
    assert.deepEqual(m.threads['sip:1003@pbx']!.messages.map((x) => x.id), [6, 7, 8, 9, 10]);
    assert.equal(m.threads['sip:1003@pbx']!.next, undefined);
    // A fresh first page keeps a newer message that came by event meanwhile.
    m = applyPage(m, 'sip:1003@pbx', { messages: [msg(9), msg(8)], next: 8 }, false);
    assert.deepEqual(m.threads['sip:1003@pbx']!.messages.map((x) => x.id), [8, 9, 10]);
  });

  it('delivery status reaches the thread and the conversation’s last message', () => {
    const sent = msg(4, { direction: 'out', status: 'sending', read: true });
    let m = applyPage(initialMessages, 'sip:1003@pbx', { messages: [sent], next: undefined }, false);
    m = applyMessage(m, sent);
    m = applyStatus(m, 4, 'failed', 404);
    assert.deepEqual([m.threads['sip:1003@pbx']!.messages[0]!.status, m.threads['sip:1003@pbx']!.messages[0]!.code], ['failed', 404]);
    assert.equal(m.conversations[0]!.last.status, 'failed');
    assert.equal(statusKey(m.conversations[0]!.last), 'failed');
    assert.equal(statusKey(msg(1)), undefined, 'received messages show no status');
  });

  it('reading clears the unread count and the messages’ flags', () => {
    let m = applyPage(initialMessages, 'sip:1003@pbx', { messages: [msg(2), msg(1)], next: undefined }, false);
    m = applyConversations(m, [conv('sip:1003@pbx', msg(2), 2)]);
    m = applyRead(m, 'sip:1003@pbx');
    assert.equal(totalUnread(m.conversations), 0);
    assert.ok(m.threads['sip:1003@pbx']!.messages.every((x) => x.read));
  });
});

describe('renderer: new-message notification', () => {
  it('notifies for a received message unless its conversation is on screen in a focused window', () => {
    const m = msg(1);
    assert.ok(worthNotifying(m, { focused: false, visible: true, openPeer: m.peer }));
    assert.ok(worthNotifying(m, { focused: true, visible: false, openPeer: m.peer }));
    assert.ok(worthNotifying(m, { focused: true, visible: true, openPeer: 'sip:1002@pbx' }));
    assert.ok(!worthNotifying(m, { focused: true, visible: true, openPeer: m.peer }));
    assert.ok(!worthNotifying(msg(2, { direction: 'out' }), { focused: false, visible: false, openPeer: undefined }));
  });

  it('puts the unread count in the title', () => {
    assert.equal(titleWithUnread('Nimbus Phone', 0), 'Nimbus Phone');
    assert.equal(titleWithUnread('Nimbus Phone', 3), '(3) Nimbus Phone');
    assert.equal(titleWithUnread('Nimbus Phone', 120), '(99+) Nimbus Phone');
  });

  it('previews one line, cut on whole graphemes', () => {
    assert.equal(preview('Bonjour\n\n  à tous'), 'Bonjour à tous');
    assert.equal(preview('👍🏽👍🏽👍🏽', 2), '👍🏽…');
    assert.equal(preview('court', 10), 'court');
  });

  it('keys conversations as the core does: sip:user@host[:port], no parameters', () => {
    assert.equal(conversationKey('SIP:1003@pbx.example.com:5060;transport=tcp'), 'sip:1003@pbx.example.com:5060');
    assert.equal(conversationKey('<sip:alice@example.com>'), 'sip:alice@example.com');
  });
});
