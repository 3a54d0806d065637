import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  accountDomain, applyEdit, dialTarget, emptyField, formatNumber, insertAt, localeCountry, normaliseNumber, setField,
} from '../../../src-renderer/features/dialpad/number.js';

const account = { aor: 'sip:1001@pbx.example.com' };

describe('renderer: Number field', () => {
  it('strips RFC 3966 visual separators from pasted numbers', () => {
    assert.equal(normaliseNumber(' +33 (0)1.23-45 67 89 '), '+330123456789');
    assert.equal(normaliseNumber('(202) 555-0123'), '2025550123');
    assert.equal(normaliseNumber('tel:+1-202-555-0123;ext=7'), '+12025550123');
    assert.equal(normaliseNumber('*97#'), '*97#');
  });

  it('leaves SIP addresses and names as typed', () => {
    assert.equal(normaliseNumber(' sip:alice@example.com '), 'sip:alice@example.com');
    assert.equal(normaliseNumber('alice.smith'), 'alice.smith');
  });

  it('formats numbers as they are typed, with the account country', () => {
    assert.equal(formatNumber('0612345678', 'FR'), '06 12 34 56 78');
    assert.equal(formatNumber('+33612345678', undefined), '+33 6 12 34 56 78');
    assert.equal(formatNumber('2025550123', 'US'), '(202) 555-0123');
    assert.equal(formatNumber('0612345678', undefined), '0612345678');
    assert.equal(formatNumber('1002', 'FR'), '1002', 'extensions stay unformatted');
    assert.equal(formatNumber('*97', 'FR'), '*97');
  });

  it('keeps the caret after the same digit when the display is reformatted', () => {
    const typed = applyEdit(emptyField, '06123', 5, 'FR');
    assert.deepEqual(typed, { raw: '06123', display: '06 12 3', caret: 7 });
    const inserted = applyEdit(typed, '069 12 3', 3, 'FR');
    assert.equal(inserted.raw, '069123');
    assert.equal(inserted.display.slice(0, inserted.caret).replace(/\D/g, ''), '069');
  });

  it('deleting a separator deletes the digit before it (backspace) or after it (delete)', () => {
    const field = setField('061234', 'FR');
    assert.equal(field.display, '06 12 34');
    const back = applyEdit(field, '0612 34', 2, 'FR', 'deleteContentBackward');
    assert.equal(back.raw, '01234');
    assert.equal(back.caret, back.display.indexOf('1'));
    const forward = applyEdit(field, '0612 34', 2, 'FR', 'deleteContentForward');
    assert.equal(forward.raw, '06234');
  });

  it('letters typed after a formatted number drop the formatting spaces', () => {
    const field = setField('0612', 'FR');
    assert.equal(field.display, '06 12');
    assert.deepEqual(applyEdit(field, '06 12@pbx', 9, 'FR'), { raw: '0612@pbx', display: '0612@pbx', caret: 8 });
    assert.deepEqual(applyEdit(emptyField, 'john smith', 10, 'FR'), { raw: 'john smith', display: 'john smith', caret: 10 });
  });

  it('keypad keys insert at the caret', () => {
    const field = { ...setField('1002', undefined), caret: 2 };
    assert.equal(insertAt(field, '5', undefined).raw, '10502');
  });

  it('reads the region of the OS locale', () => {
    assert.equal(localeCountry(['fr-FR', 'en-US']), 'FR');
    assert.equal(localeCountry(['en', 'de-ch']), 'CH');
    assert.equal(localeCountry(['en']), undefined);
  });
});

describe('renderer: dial targets', () => {
  it('turns numbers and extensions into sip:<digits>@<account domain>', () => {
    assert.deepEqual(dialTarget('1002', account), { ok: true, uri: 'sip:1002@pbx.example.com' });
    assert.deepEqual(dialTarget('+33 6 12 34 56 78', account), { ok: true, uri: 'sip:+33612345678@pbx.example.com' });
    assert.deepEqual(dialTarget('(202) 555-0123', account), { ok: true, uri: 'sip:2025550123@pbx.example.com' });
    assert.deepEqual(dialTarget('*97#', account), { ok: true, uri: 'sip:*97%23@pbx.example.com' });
    assert.deepEqual(dialTarget('alice', account), { ok: true, uri: 'sip:alice@pbx.example.com' });
  });

  it('dials SIP addresses as typed', () => {
    assert.deepEqual(dialTarget('sip:bob@example.org:5080;transport=tcp', account), { ok: true, uri: 'sip:bob@example.org:5080;transport=tcp' });
    assert.deepEqual(dialTarget('bob@example.org', undefined), { ok: true, uri: 'sip:bob@example.org' });
    assert.deepEqual(dialTarget('sips:1003', { aor: 'sip:1001@pbx.example.com' }), { ok: true, uri: 'sips:1003@pbx.example.com' });
  });

  it('uses the account scheme and host (port and parameters kept out of the user part)', () => {
    assert.deepEqual(accountDomain('sips:1001@pbx.example.com:5061;transport=tls'), { scheme: 'sips', host: 'pbx.example.com:5061' });
    assert.deepEqual(dialTarget('1002', { aor: 'sips:1001@pbx.example.com' }), { ok: true, uri: 'sips:1002@pbx.example.com' });
  });

  it('refuses what cannot be dialled', () => {
    assert.deepEqual(dialTarget('   ', account), { ok: false, error: 'empty' });
    assert.deepEqual(dialTarget('1002', undefined), { ok: false, error: 'no-account' });
    assert.deepEqual(dialTarget('+', account), { ok: false, error: 'invalid' });
    assert.deepEqual(dialTarget('a@b@c', account), { ok: false, error: 'invalid' });
    assert.deepEqual(dialTarget('john smith', account), { ok: false, error: 'invalid' });
    assert.deepEqual(dialTarget('sip:alice @x', account), { ok: false, error: 'invalid' });
  });
});
