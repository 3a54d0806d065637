import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HistoryEntry } from '../../../src-main/contract/directory.js';
import {
  dayKey, dayLabel, entryParty, formatDuration, matchesQuery, outcomeKey, savedNumber, startsDay,
} from '../../../src-renderer/features/history/history-model.js';
import { useHistoryStore } from '../../../src-renderer/features/history/history-store.js';
import { intlLocale } from '../../../src-renderer/i18n/language.js';

const entry = (over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  id: 1, callId: 'c1', account: 'a1', peer: { uri: 'sip:0612345678@pbx.example.com', displayName: undefined }, contact: undefined,
  direction: 'incoming', startedAt: new Date(2026, 2, 10, 14, 5).getTime(), answeredAt: undefined, endedAt: 0, durationS: 0,
  outcome: 'missed', status: undefined, ...over,
});

describe('renderer: history rows', () => {
  it('names the contact, else the display name, and always the number', () => {
    assert.deepEqual(entryParty(entry()), { name: undefined, number: '0612345678' });
    assert.deepEqual(entryParty(entry({ peer: { uri: 'sip:1002@pbx', displayName: 'Reception' } })), { name: 'Reception', number: '1002' });
    assert.deepEqual(entryParty(entry({ peer: { uri: 'sip:1002@pbx', displayName: 'Reception' }, contact: { id: 3, name: 'Jean Dupont' } })).name, 'Jean Dupont');
    assert.equal(entryParty(entry({ peer: { uri: 'sip:1002@pbx', displayName: '1002' } })).name, undefined, 'no name that only repeats the number');
  });

  it('saves a number as a number, a SIP address as an address', () => {
    assert.equal(savedNumber('sip:+33612345678@pbx.example.com;user=phone'), '+33612345678');
    assert.equal(savedNumber('sip:alice@example.com;transport=tcp'), 'alice@example.com');
  });

  it('tells outcomes: an outgoing call cancelled before an answer was not answered', () => {
    assert.equal(outcomeKey(entry({ outcome: 'cancelled', direction: 'outgoing' })), 'noAnswer');
    assert.equal(outcomeKey(entry({ outcome: 'answered-elsewhere' })), 'answeredElsewhere');
    assert.equal(outcomeKey(entry()), 'missed');
  });

  it('groups by local day: the first call of each day carries the heading', () => {
    const day = (d: number, h: number) => new Date(2026, 2, d, h).getTime();
    const list = [{ startedAt: day(10, 18) }, { startedAt: day(10, 9) }, { startedAt: day(9, 23) }, { startedAt: day(9, 0) }];
    assert.deepEqual(list.map((_, i) => startsDay(list, i)), [true, false, true, false]);
    assert.equal(dayKey(day(9, 23)), '2026-03-09');
  });

  it('labels days in the UI language: Today, Yesterday, weekday, then a date (year when not this one)', () => {
    const now = new Date(2026, 2, 10, 12).getTime();
    const words = { today: 'Today', yesterday: 'Yesterday' };
    assert.equal(dayLabel(new Date(2026, 2, 10, 1).getTime(), now, 'en-US', words), 'Today');
    assert.equal(dayLabel(new Date(2026, 2, 9, 23).getTime(), now, 'en-US', words), 'Yesterday');
    assert.equal(dayLabel(new Date(2026, 2, 6, 9).getTime(), now, 'en-US', words), 'Friday');
    assert.equal(dayLabel(new Date(2026, 2, 6, 9).getTime(), now, 'fr-FR', words), 'Vendredi');
    assert.equal(dayLabel(new Date(2026, 0, 15, 9).getTime(), now, 'fr-FR', words), 'Jeudi 15 janvier');
    assert.match(dayLabel(new Date(2025, 11, 24, 9).getTime(), now, 'en-GB', words), /24 December 2025/);
  });

  it('formats durations with Intl in the UI language', () => {
    assert.match(formatDuration(65, 'en'), /1\s*min.*5\s*s/);
    assert.match(formatDuration(3720, 'fr'), /1\s*h.*2\s*min/);
    assert.match(formatDuration(0, 'en'), /0\s*s/);
  });

  it('takes the regional variant of the UI language for Intl', () => {
    assert.equal(intlLocale('en', ['en-GB', 'fr-FR']), 'en-GB');
    assert.equal(intlLocale('fr', ['en-GB', 'fr-CA']), 'fr-CA');
    assert.equal(intlLocale('fr', ['de-DE']), 'fr');
  });

  it('a live call joins the list only when it matches the filter and search', () => {
    const missed = entry();
    const out = entry({ direction: 'outgoing', outcome: 'answered', peer: { uri: 'sip:1002@pbx', displayName: 'Reception' } });
    assert.ok(matchesQuery(missed, 'missed', ''));
    assert.ok(!matchesQuery(out, 'missed', ''));
    assert.ok(matchesQuery(out, 'outgoing', 'recep'));
    assert.ok(matchesQuery(missed, 'all', '06 12 34'), 'digits match whatever the separators');
    assert.ok(!matchesQuery(missed, 'all', 'dupont'));
  });
});

describe('renderer: history slice', () => {
  it('drops a page for an older query, appends pages, adds live calls on top', () => {
    const s = useHistoryStore.getState;
    s().setQuery({ filter: 'all', search: '' });
    const old = s().generation;
    s().setQuery({ filter: 'missed' });
    s().applyPage(old, { entries: [entry({ id: 9 })], next: undefined, total: 1 }, false);
    assert.equal(s().entries.length, 0, 'stale page dropped');
    const gen = s().generation;
    s().applyPage(gen, { entries: [entry({ id: 5 }), entry({ id: 4 })], next: { startedAt: 1, id: 4 }, total: 3 }, false);
    s().applyPage(gen, { entries: [entry({ id: 4 }), entry({ id: 3 })], next: undefined, total: 3 }, true);
    assert.deepEqual(s().entries.map((e) => e.id), [5, 4, 3]);
    s().added(entry({ id: 6 }));
    s().added(entry({ id: 7, outcome: 'answered' }));
    assert.deepEqual(s().entries.map((e) => e.id), [6, 5, 4, 3], 'an answered call is not shown under Missed');
    s().removed(5);
    assert.equal(s().total, 3);
    s().cleared();
    assert.equal(s().entries.length, 0);
  });
});
