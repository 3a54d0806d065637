/**
 * Address-book files for import tests, generated from a seed: a vCard 3.0 file of N contacts
 * (UTF-8) and an Outlook-style CSV export (French headers, `;`, Windows-1252 with accents). The
 * filler contacts can never match the planted searches: their names avoid "dupont" and their
 * numbers are +33 7 with digits 1–9 only (no written, E.164 or national form holds "0612"), each
 * one different (no merges). The planted ones say what `dupont` and `0612` must find.
 */
import { fold } from '../../../src-main/store/contact-text.js';

export interface FixtureContact { name: string; numbers: string[]; fromCsv: boolean }

export interface ContactFixtures {
  vcard: Buffer;
  csv: Buffer;
  /** Every contact in either file. */
  all: FixtureContact[];
  csvRows: FixtureContact[];
  /** The contact whose number is `callerUser` (a baresip account). */
  caller: FixtureContact;
  /** The contacts a search for a name word or a digit string must list. */
  matching(query: string): FixtureContact[];
}

const first = ['Jean', 'Marie', 'Émile', 'Zoé', 'Paul', 'Anaïs', 'Chloé', 'Hugo', 'Léa', 'Nathalie', 'Inès', 'Thomas', 'Camille', 'Louis', 'Manon'];
const last = ['Martin', 'Bernard', 'Dubois', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre',
  'Michel', 'Garcia', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard', 'Mercier', 'Bonnet', 'Legrand', 'Faure', 'Blanc'];

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 2 ** 32;
  };
}

/** Eight digits 1–9, distinct for each i < 9^8 (i in base 9, then a seeded digit permutation). */
function zeroFreeDigits(i: number, perm: number[]): string {
  let out = '';
  for (let k = 0, v = i; k < 8; k++, v = Math.floor(v / 9)) out = String(perm[v % 9]! + 1) + out;
  return out;
}

const pairs = (digits: string) => digits.replace(/(\d\d)(?=\d)/g, '$1 ');

const vcard = (c: FixtureContact, company: string) => ['BEGIN:VCARD', 'VERSION:3.0', `FN:${c.name}`, `ORG:${company}`,
  ...c.numbers.map((n, k) => `TEL;TYPE=${k === 0 ? 'CELL' : 'WORK'}:${n}`), 'END:VCARD'].join('\r\n');

export function contactFixtures(o: { seed: number; vcards: number; callerUser: string }): ContactFixtures {
  const rnd = rng(o.seed);
  const perm = [0, 1, 2, 3, 4, 5, 6, 7, 8].sort(() => rnd() - 0.5);
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)]!;
  const planted: FixtureContact[] = [
    { name: 'Jean Dupont', numbers: ['+33 4 72 11 22 33'], fromCsv: false },
    { name: 'Marie Dupont-Leroy', numbers: ['+33 7 55 44 33 22'], fromCsv: false },
    { name: 'Agnès Roux', numbers: ['+33 6 12 34 56 78'], fromCsv: false },
    { name: 'Hugo Petit', numbers: ['+33 7 98 76 54 32', '+33 6 12 99 88 77'], fromCsv: false },
    { name: 'Gérard Lambert', numbers: [o.callerUser], fromCsv: false },
  ];
  const filler = o.vcards - planted.length;
  const contacts: FixtureContact[] = [];
  for (let i = 0; i < filler; i++) {
    const numbers = [`+33 7 ${pairs(zeroFreeDigits(i * 2, perm))}`];
    if (rnd() < 0.3) numbers.push(`+33 7 ${pairs(zeroFreeDigits(i * 2 + 1, perm))}`);
    contacts.push({ name: `${pick(first)} ${pick(last)}`, numbers, fromCsv: false });
  }
  // The planted cards spread through the file.
  planted.forEach((c, k) => contacts.splice(Math.floor(((k + 1) * contacts.length) / (planted.length + 1)), 0, c));
  const vcf = contacts.map((c, i) => vcard(c, `Société ${String.fromCharCode(65 + (i % 26))}`)).join('\r\n') + '\r\n';

  const csvRows: FixtureContact[] = [
    { name: 'Hélène Dupont', numbers: ['06 12 45 67 89'], fromCsv: true },
    { name: 'François Dupont', numbers: ['04 78 11 11 11'], fromCsv: true },
    { name: 'Noël Lefèvre', numbers: ['+33 1 44 55 66 77'], fromCsv: true },
    { name: 'Zoé Garçon', numbers: ['06 12 78 78 78'], fromCsv: true },
    { name: 'Anaïs Crème', numbers: ['05 56 33 22 11'], fromCsv: true },
  ];
  const header = 'Prénom;Nom;Société;Téléphone mobile;Adresse de messagerie';
  const lines = csvRows.map((c) => {
    const [given, ...family] = c.name.split(' ');
    return [given, family.join(' '), 'Crédit Agricole', c.numbers[0], ''].join(';');
  });
  const csv = Buffer.from([header, ...lines].join('\r\n') + '\r\n', 'latin1');
  if (!/[\x80-\xff]/.test(csv.toString('latin1'))) throw new Error('the CSV fixture has no accents');

  const all = [...contacts, ...csvRows];
  const caller = planted.find((c) => c.numbers.includes(o.callerUser))!;
  return {
    vcard: Buffer.from(vcf, 'utf8'),
    csv,
    all,
    csvRows,
    caller,
    matching(query) {
      const digits = /^\d+$/.test(query);
      return all.filter((c) => (digits
        ? c.numbers.some((n) => national(n).includes(query) || n.replace(/\D/g, '').includes(query))
        : fold(c.name).includes(fold(query))));
    },
  };
}

/** A French number's national digits with the trunk 0 (`+33 6 12…` → `0612…`); others as written. */
const national = (n: string): string => (n.startsWith('+33') ? `0${n.slice(3).replace(/\D/g, '')}` : n.replace(/\D/g, ''));
