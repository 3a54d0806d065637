import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkContact, draftFromContact, fieldOfError, looksDialable } from '../../../src-renderer/features/contacts/contact-form.js';
import { importFormat, mappingOf, mappingUsable, percentDone } from '../../../src-renderer/features/contacts/contact-import.js';

describe('renderer: contact editor', () => {
  it('drops empty number rows and saves what the contract takes', () => {
    const draft = { ...draftFromContact(undefined), name: ' Jean Dupont ', numbers: [{ label: 'mobile', value: '+33 6 12 34 56 78' }, { label: 'work', value: ' ' }] };
    const checked = checkContact(draft);
    assert.ok(checked.ok);
    assert.deepEqual(checked.input.numbers, [{ label: 'mobile', value: '+33 6 12 34 56 78' }]);
    assert.equal(checked.input.id, undefined);
  });

  it('names each wrong field, numbers by their row on screen', () => {
    const draft = { ...draftFromContact(undefined), name: '', email: 'jean', numbers: [{ label: 'work', value: '' }, { label: 'work', value: 'call me' }] };
    const checked = checkContact(draft);
    assert.ok(!checked.ok);
    assert.deepEqual(checked.errors, { name: 'name', 'numbers.1.value': 'number', email: 'email' });
    assert.equal(fieldOfError('numbers.0.value: not a phone number or SIP address', draft), 'numbers.1.value');
    assert.equal(fieldOfError('id: no such contact', draft), undefined);
  });

  it('knows a dialable number or SIP address', () => {
    for (const ok of ['1002', '+33 6 12 34 56 78', '(555) 123-4567 x12', 'sip:alice@example.com', 'alice@example.com', 'tel:+4930123']) assert.ok(looksDialable(ok), ok);
    for (const bad of ['call me', '1', 'alice', '++', 'a b@c']) assert.ok(!looksDialable(bad), bad);
  });
});

describe('renderer: contact import', () => {
  it('tells vCard from CSV by name, then by content', () => {
    assert.equal(importFormat('Contacts.VCF', ''), 'vcard');
    assert.equal(importFormat('export.csv', 'BEGIN:VCARD'), 'csv');
    assert.equal(importFormat('download', '\uFEFFBEGIN:VCARD\r\n'), 'vcard');
    assert.equal(importFormat('download', 'First Name,Last Name'), 'csv');
  });

  it('edits the guessed mapping; needs a name or number column', () => {
    const mapping = mappingOf([{ header: 'Prénom', field: 'firstName' }, { header: 'Société', field: 'company' }, { header: 'X', field: 'weird' }]);
    assert.deepEqual(mapping, { Prénom: 'firstName', Société: 'company', X: 'ignore' });
    assert.ok(mappingUsable(mapping));
    assert.ok(!mappingUsable({ Société: 'company', Mail: 'email' }));
  });

  it('shows progress as a percentage once the total is known', () => {
    assert.equal(percentDone(undefined), undefined);
    assert.equal(percentDone({ done: 0, total: 0 }), undefined);
    assert.equal(percentDone({ done: 500, total: 2000 }), 25);
  });
});
