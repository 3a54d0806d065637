/** Bodies of the event packages: RFC 4235 dialog-info, RFC 3863/4480 PIDF+RPID, RFC 3842 message-summary, and the XML limits. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDialogInfo, type DialogInfo } from '../../../src-main/sip/ua/event-package/dialog-info.js';
import { DialogView } from '../../../src-main/sip/ua/event-package/dialog-view.js';
import { buildPidf, onThePhone, parsePidf, presenceStatus } from '../../../src-main/sip/ua/event-package/pidf.js';
import { parseMessageSummary, voiceCounts } from '../../../src-main/sip/ua/event-package/message-summary.js';
import { maxXmlBodyBytes, parseXmlBody } from '../../../src-main/sip/ua/event-package/xml-body.js';

// RFC 4235 §5.1 (first example, trimmed): an early dialog seen by the recipient.
const rfc4235Early = `<?xml version="1.0"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="0" state="full" entity="sip:alice@example.com">
  <dialog id="as7d900as8" call-id="a84b4c76e66710" local-tag="1928301774" direction="initiator">
    <state>early</state>
  </dialog>
</dialog-info>`;

function info(version: number, state: 'full' | 'partial', dialogs: string): DialogInfo {
  const r = parseDialogInfo(`<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="${version}" state="${state}" entity="sip:1002@pbx">${dialogs}</dialog-info>`);
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.info;
}
const ringing = (id: string) => `<dialog id="${id}" call-id="c-${id}" local-tag="callee" remote-tag="caller" direction="recipient"><state>early</state>` +
  '<remote><identity>sip:1003@pbx</identity><target uri="sip:1003@10.0.0.3:5060"/></remote></dialog>';
const confirmed = (id: string) => `<dialog id="${id}" direction="recipient"><state>confirmed</state></dialog>`;
const terminated = (id: string) => `<dialog id="${id}"><state>terminated</state></dialog>`;

test('RFC 4235 §4.1: the example document parses (version, full state, entity, dialog attributes)', () => {
  const r = parseDialogInfo(rfc4235Early);
  assert.ok(r.ok);
  assert.deepEqual({ v: r.info.version, s: r.info.state, e: r.info.entity }, { v: 0, s: 'full', e: 'sip:alice@example.com' });
  assert.deepEqual(r.info.dialogs[0], {
    id: 'as7d900as8', callId: 'a84b4c76e66710', localTag: '1928301774', remoteTag: undefined, direction: 'initiator', state: 'early',
    local: { identity: undefined, target: undefined }, remote: { identity: undefined, target: undefined },
  });
});

test('RFC 4235 §4.1.1: version, state and entity are mandatory; a dialog needs an id and a known state', () => {
  for (const bad of [
    '<dialog-info state="full" entity="sip:a@b"/>',
    '<dialog-info version="1" entity="sip:a@b"/>',
    '<dialog-info version="1" state="full"/>',
    '<dialog-info version="-1" state="full" entity="sip:a@b"/>',
    '<dialog-info version="1" state="full" entity="sip:a@b"><dialog><state>early</state></dialog></dialog-info>',
    '<dialog-info version="1" state="full" entity="sip:a@b"><dialog id="x"><state>ringing</state></dialog></dialog-info>',
    '<presence entity="sip:a@b"/>',
  ]) assert.equal(parseDialogInfo(bad).ok, false, bad);
});

test('busy lamp: idle → ringing (early, recipient) → busy (confirmed) → idle (terminated), with partial updates', () => {
  const v = new DialogView();
  assert.equal(v.lamp(), 'unknown');
  assert.equal(v.apply(info(0, 'full', '')), 'applied');
  assert.equal(v.lamp(), 'idle');
  assert.equal(v.apply(info(1, 'partial', ringing('d1'))), 'applied');
  assert.equal(v.lamp(), 'ringing');
  assert.equal(v.ringing()?.callId, 'c-d1');
  assert.equal(v.apply(info(2, 'partial', confirmed('d1'))), 'applied');
  assert.equal(v.lamp(), 'busy');
  assert.equal(v.apply(info(3, 'partial', terminated('d1'))), 'applied');
  assert.equal(v.lamp(), 'idle');
});

test('busy lamp: an outgoing call (initiator, early) is busy, not ringing; a call ringing during a call shows ringing', () => {
  const v = new DialogView();
  v.apply(info(5, 'full', '<dialog id="o" direction="initiator"><state>early</state></dialog>'));
  assert.equal(v.lamp(), 'busy');
  v.apply(info(6, 'full', confirmed('a') + ringing('b')));
  assert.equal(v.lamp(), 'ringing');
});

test('RFC 4235 §4.1: documents with a version not above the last are discarded; a partial after a gap asks for full state', () => {
  const v = new DialogView();
  v.apply(info(4, 'full', ringing('d1')));
  assert.equal(v.apply(info(4, 'full', '')), 'stale');
  assert.equal(v.apply(info(3, 'partial', terminated('d1'))), 'stale');
  assert.equal(v.lamp(), 'ringing');
  assert.equal(v.apply(info(7, 'partial', terminated('d1'))), 'gap');
  assert.equal(v.lamp(), 'ringing', 'a gapped partial is not applied');
  assert.equal(v.apply(info(9, 'full', '')), 'applied', 'a newer full document replaces everything');
  assert.equal(v.lamp(), 'idle');
  v.reset();
  assert.equal(v.apply(info(0, 'full', confirmed('x'))), 'applied', 'a new subscription starts its versions again');
});

test('RFC 4235 §3.7.1: states published out of order (Kamailio races "early" and "Trying") keep the later state and the tags a pickup needs', () => {
  const v = new DialogView();
  v.apply(info(6, 'full', ringing('d1')));
  // The earlier "Trying" of the same dialog arrives last, without tags or identities.
  assert.equal(v.apply(info(7, 'full', '<dialog id="d1" call-id="c-d1" direction="recipient"><state>Trying</state></dialog>')), 'applied');
  assert.equal(v.lamp(), 'ringing');
  const d = v.ringing();
  assert.deepEqual({ state: d?.state, local: d?.localTag, remote: d?.remoteTag, who: d?.remote.identity },
    { state: 'early', local: 'callee', remote: 'caller', who: 'sip:1003@pbx' });
  // Confirmed then a late early: still busy. Terminated then a late confirmed: still idle.
  v.apply(info(8, 'partial', confirmed('d1')));
  v.apply(info(9, 'partial', ringing('d1')));
  assert.equal(v.lamp(), 'busy');
  v.apply(info(10, 'partial', terminated('d1')));
  v.apply(info(11, 'full', confirmed('d1')));
  assert.equal(v.lamp(), 'idle', 'an ended dialog does not come back');
  // A different call that happens to reuse the id is a new dialog.
  v.apply(info(12, 'full', ringing('d1').replace('c-d1', 'other-call')));
  assert.equal(v.ringing()?.callId, 'other-call');
  // A new dialog without tags yet stays without them (nothing invented).
  v.apply(info(13, 'full', '<dialog id="d2" call-id="c2" direction="recipient"><state>trying</state></dialog>'));
  assert.equal(v.ringing()?.remoteTag, undefined);
});

// RFC 3863 §3.4 example plus RFC 4480 activities (prefixes chosen differently on purpose).
const pidf = (person: string, basic = 'open', note = '') => `<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:d="urn:ietf:params:xml:ns:pidf:data-model" xmlns:r="urn:ietf:params:xml:ns:pidf:rpid" entity="pres:someone@example.com">
  <tuple id="bs35r9"><status><basic>${basic}</basic></status><contact priority="0.8">im:someone@mobilecarrier.net</contact>${note}</tuple>
  ${person}
</presence>`;
const person = (acts: string) => `<d:person id="p1"><r:activities>${acts}</r:activities></d:person>`;

test('RFC 3863/4480: basic and activities map to available, away, busy, dnd, offline; notes are kept', () => {
  const status = (xml: string) => {
    const r = parsePidf(xml);
    assert.ok(r.ok, r.ok ? '' : r.reason);
    return presenceStatus(r.doc);
  };
  assert.equal(status(pidf('')), 'available');
  assert.equal(status(pidf('', 'closed')), 'offline');
  assert.equal(status(pidf(person('<r:away/>'))), 'away');
  assert.equal(status(pidf(person('<r:vacation/>'))), 'away');
  assert.equal(status(pidf(person('<r:busy/>'))), 'busy');
  assert.equal(status(pidf(person('<r:on-the-phone/>'))), 'busy');
  assert.equal(status(pidf(person('<r:busy/><r:other>dnd</r:other>'))), 'dnd');
  assert.equal(status(pidf(person('<r:other>Do not disturb</r:other>'))), 'dnd');
  const r = parsePidf(pidf(person('<r:on-the-phone/>'), 'open', '<note xml:lang="fr">Réunion &amp; café ☕</note>'));
  assert.ok(r.ok);
  assert.equal(onThePhone(r.doc), true);
  assert.equal(r.doc.note, 'Réunion & café ☕');
});

test('PIDF we publish reads back as what we set (each status, on-the-phone, escaped note)', () => {
  for (const status of ['available', 'away', 'busy', 'dnd'] as const) {
    for (const phone of [false, true]) {
      const xml = buildPidf({ entity: 'sip:1001@pbx', status, onThePhone: phone, note: 'a <b> & "c" é😀' }, { tuple: 't1', person: 'p1' });
      const r = parsePidf(xml);
      assert.ok(r.ok, r.ok ? '' : r.reason);
      // On the phone reads as busy unless a stronger state (dnd) was chosen.
      const expected = phone && status !== 'dnd' ? 'busy' : status;
      assert.equal(presenceStatus(r.doc), expected, `${status} on-the-phone=${phone}`);
      assert.equal(onThePhone(r.doc), phone);
      assert.equal(r.doc.note, 'a <b> & "c" é😀');
      assert.equal(r.doc.entity, 'sip:1001@pbx');
    }
  }
});

test('RFC 3842 §5.2: the example message-summary body; counts per class, urgent in parentheses', () => {
  const body = 'Messages-Waiting: yes\r\nMessage-Account: sip:alice@vmail.example.com\r\nVoice-Message: 4/8 (1/2)\r\nFax-Message: 1/0\r\n';
  const r = parseMessageSummary(body);
  assert.ok(r.ok);
  assert.equal(r.summary.waiting, true);
  assert.equal(r.summary.account, 'sip:alice@vmail.example.com');
  assert.deepEqual(r.summary.classes.get('voice-message'), { new: 4, old: 8, urgentNew: 1, urgentOld: 2 });
  assert.deepEqual(voiceCounts(r.summary), { new: 4, old: 8 });
  const none = parseMessageSummary('Messages-Waiting: no\r\n');
  assert.ok(none.ok);
  assert.deepEqual(voiceCounts(none.summary), { new: 0, old: 0 });
  assert.equal(parseMessageSummary('Voice-Message: 2/8\r\n').ok, false, 'Messages-Waiting is mandatory');
  assert.equal(parseMessageSummary('Messages-Waiting: maybe\r\n').ok, false);
});

test('XML limits: over 64 KiB, deeper than 32, DOCTYPE/entities, malformed and rootless bodies are refused quickly', () => {
  const cases: Record<string, string> = {
    huge: `<presence entity="sip:a@b"><note>${'x'.repeat(1 << 20)}</note></presence>`,
    deep: `${'<a>'.repeat(40)}${'</a>'.repeat(40)}`,
    deepHuge: `${'<a>'.repeat(20_000)}${'</a>'.repeat(20_000)}`,
    billionLaughs: '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><presence entity="sip:a@b"><note>&lol2;</note></presence>',
    external: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    malformed: '<presence entity="sip:a@b"><tuple></presence>',
    twoRoots: '<a/><b/>',
    text: 'not xml at all',
    manyElements: `<a>${'<b/>'.repeat(3000)}</a>`,
  };
  for (const [name, body] of Object.entries(cases)) {
    const t = performance.now();
    const r = parseXmlBody(body);
    assert.equal(r.ok, false, name);
    assert.ok(performance.now() - t < 500, `${name} took ${performance.now() - t} ms`);
  }
  assert.equal(maxXmlBodyBytes, 65536);
  assert.ok(parseXmlBody(`${'<a>'.repeat(32)}${'</a>'.repeat(32)}`).ok, '32 levels are fine');
});
