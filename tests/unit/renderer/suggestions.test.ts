import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Contact, HistoryEntry } from '../../../src-main/contract/directory.js';
import { matchingNumber, mergeSuggestions } from '../../../src-renderer/features/dialpad/suggestions.js';

const contact = (id: number, name: string, ...values: string[]): Contact =>
  ({ id, name, company: '', email: '', notes: '', favourite: false, numbers: values.map((value) => ({ label: 'work', value })) });
const recent = (id: number, uri: string, name?: string): HistoryEntry => ({
  id, callId: `c${id}`, account: undefined, peer: { uri, displayName: name }, contact: undefined, direction: 'outgoing',
  startedAt: id, answeredAt: undefined, endedAt: id, durationS: 0, outcome: 'answered', status: undefined,
});

describe('renderer: dialpad suggestions', () => {
  it("picks the contact's number that matches the digits typed (0612 finds +33 6 12)", () => {
    const c = contact(1, 'Jean Dupont', '+33 4 72 00 10 10', '+33 6 12 34 56 78');
    assert.equal(matchingNumber(c, '0612'), '+33 6 12 34 56 78');
    assert.equal(matchingNumber(c, 'dup'), '+33 4 72 00 10 10');
  });

  it('lists contacts first, then recent numbers not already shown, at most five', () => {
    const list = mergeSuggestions('06', [contact(1, 'Jean Dupont', '+33 6 12 34 56 78')], [
      recent(1, 'sip:0612345678@pbx'), recent(2, 'sip:0699@pbx', 'Reception'), recent(3, 'sip:0699@pbx'),
    ]);
    assert.deepEqual(list.map((s) => `${s.source}:${s.name ?? ''}:${s.number}`), ['contact:Jean Dupont:+33 6 12 34 56 78', 'recent:Reception:0699']);
    assert.deepEqual(list[1]!.dial, { kind: 'uri', uri: 'sip:0699@pbx' });
    const many = mergeSuggestions('1', [], Array.from({ length: 9 }, (_, i) => recent(i, `sip:10${i}@pbx`)));
    assert.equal(many.length, 5);
  });
});
