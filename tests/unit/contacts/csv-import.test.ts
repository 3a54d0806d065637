import { it } from 'node:test';
import assert from 'node:assert/strict';
import { base64, freshDirectory, importOk } from './contact-fixtures.js';
import { guessField } from '../../../src-main/core/contact-files/csv-columns.js';

/** Windows-1252 bytes, as Outlook and Excel write a CSV on a French Windows. */
function windows1252(text: string): Uint8Array {
  const extra: Record<string, number> = { '€': 0x80, '’': 0x92, 'œ': 0x9c, 'Œ': 0x8c, 'Ÿ': 0x9f };
  return Uint8Array.from([...text].map((ch) => extra[ch] ?? (ch.charCodeAt(0) < 256 ? ch.charCodeAt(0) : 0x3f)));
}

it('imports an Outlook (French) CSV export in Windows-1252 with the right names, and finds them', async () => {
  const { directory, close } = freshDirectory();
  try {
    const csv = [
      'Prénom;Deuxième prénom;Nom;Société;Service;Téléphone mobile;Téléphone (bureau);Télécopie (bureau);Adresse de messagerie;Notes',
      'Hélène;Marie;Dupönt;Société Générale;Achats;06 12 34 56 78;01 23 45 67 89;01 23 45 67 00;helene@example.fr;"Très importante; rappeler à 9 h"',
      'François;;Lefèvre;Cœur & Fils;;07 98 76 54 32;;;;',
      'Zoé;;Garçon;;;;+33 4 11 22 33 44;;;"Note sur',
      'deux lignes"',
    ].join('\r\n');
    const report = await importOk(directory, { format: 'csv', data: base64(windows1252(csv)) });
    assert.equal(report.encoding, 'windows-1252');
    assert.deepEqual({ imported: report.imported, merged: report.merged, skipped: report.skipped }, { imported: 3, merged: 0, skipped: [] });
    assert.deepEqual(report.columns, [
      { header: 'Prénom', field: 'firstName' }, { header: 'Deuxième prénom', field: 'ignore' }, { header: 'Nom', field: 'lastName' },
      { header: 'Société', field: 'company' }, { header: 'Service', field: 'ignore' }, { header: 'Téléphone mobile', field: 'mobile' },
      { header: 'Téléphone (bureau)', field: 'work' }, { header: 'Télécopie (bureau)', field: 'ignore' },
      { header: 'Adresse de messagerie', field: 'email' }, { header: 'Notes', field: 'notes' },
    ]);
    const dupont = directory.search({ query: 'dupont' }).contacts;
    assert.equal(dupont.length, 1);
    assert.deepEqual(({ ...dupont[0]!, id: 0 }), {
      id: 0, name: 'Hélène Dupönt', company: 'Société Générale', email: 'helene@example.fr', notes: 'Très importante; rappeler à 9 h', favourite: false,
      numbers: [{ label: 'mobile', value: '06 12 34 56 78' }, { label: 'work', value: '01 23 45 67 89' }],
    });
    assert.deepEqual(directory.search({ query: '0612' }).contacts.map((c) => c.name), ['Hélène Dupönt']);
    assert.deepEqual(directory.search({ query: 'coeur' }).contacts.map((c) => c.name), ['François Lefèvre'], 'œ from byte 0x9C');
    assert.equal(directory.search({ query: 'garcon' }).contacts[0]?.notes, 'Note sur\r\ndeux lignes');
  } finally {
    close();
  }
});

it('imports a Google CSV export (UTF-8 with BOM): labels from "Phone 1 - Type", several values in a cell', async () => {
  const { directory, close } = freshDirectory();
  try {
    const csv = '\uFEFF' + [
      'Name,Given Name,Family Name,Organization 1 - Name,Organization 1 - Title,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Phone 2 - Type,Phone 2 - Value',
      '"Dupont, Jean",Jean,Dupont,Acme,CEO,* Work,jean@acme.example,* Mobile ::: Work,+33 6 12 34 56 78 ::: +33 1 40 00 00 00,Home,01 45 45 45 45',
      ',Ana,Lima,,,,,,+351 21 123 4567,,',
    ].join('\n');
    const report = await importOk(directory, { format: 'csv', data: base64(csv) });
    assert.equal(report.encoding, 'utf-8');
    assert.equal(report.imported, 2);
    assert.deepEqual(report.columns!.filter((c) => c.field !== 'ignore').map((c) => `${c.header}=${c.field}`), [
      'Name=name', 'Given Name=firstName', 'Family Name=lastName', 'Organization 1 - Name=company', 'E-mail 1 - Value=email',
      'Phone 1 - Value=phone', 'Phone 2 - Value=phone',
    ]);
    const [ana, jean] = directory.search({ query: '' }).contacts;
    assert.deepEqual(jean!.numbers, [
      { label: 'mobile', value: '+33 6 12 34 56 78' }, { label: 'work', value: '+33 1 40 00 00 00' }, { label: 'home', value: '01 45 45 45 45' },
    ]);
    assert.equal(jean!.name, 'Dupont, Jean');
    assert.equal(jean!.email, 'jean@acme.example');
    assert.deepEqual(ana, { id: ana!.id, name: 'Ana Lima', company: '', email: '', notes: '', favourite: false, numbers: [{ label: 'other', value: '+351 21 123 4567' }] });
  } finally {
    close();
  }
});

it('merges duplicates by number into existing contacts (adding what they lack, keeping what they have)', async () => {
  const { directory, close } = freshDirectory();
  try {
    const existing = directory.save({ name: 'Jean Dupont', numbers: [{ label: 'mobile', value: '+33 6 12 34 56 78' }], notes: 'Met in Lyon' });
    assert.ok(existing.ok);
    const csv = [
      'Full Name,Mobile Phone,Business Phone,Company,E-mail Address,Notes',
      'J. Dupont,06 12 34 56 78,01 40 00 00 00,Acme,jean@acme.example,Other note',
      'Jean D.,0140000000,,,,',
      'Marie Curie,0611111111,,,,',
      'Marie C.,+33611111111,,Institut,,',
    ].join('\n');
    const report = await importOk(directory, { format: 'csv', data: base64(csv) });
    assert.deepEqual({ imported: report.imported, merged: report.merged, skipped: report.skipped }, { imported: 1, merged: 3, skipped: [] });
    assert.equal(directory.search({ query: '' }).total, 2);
    const jean = directory.get(existing.value.id)!;
    assert.deepEqual(jean, {
      id: existing.value.id, name: 'Jean Dupont', company: 'Acme', email: 'jean@acme.example', notes: 'Met in Lyon', favourite: false,
      numbers: [{ label: 'mobile', value: '+33 6 12 34 56 78' }, { label: 'work', value: '01 40 00 00 00' }],
    });
    const marie = directory.search({ query: 'marie' }).contacts;
    assert.deepEqual(marie.map((c) => [c.name, c.company, c.numbers.length]), [['Marie Curie', 'Institut', 1]]);
  } finally {
    close();
  }
});

it('reports bad rows with their reason and imports the rest; an explicit mapping overrides the guess; a dry run stores nothing', async () => {
  const { directory, close } = freshDirectory();
  try {
    const csv = [
      'Qui,Numéro,Remarque,Extra',
      'Alice,0612345678,,',
      ',,,only extra',
      'Bob,call me,,',
      '"Carol ""CJ"" Jones",sip:carol@pbx.example.com,vip,',
      `Dan,${'1'.repeat(300)},,`,
      'Eve,"0712345678,,',
      'Fay,0799999999,,',
    ].join('\n');
    const request = { format: 'csv' as const, data: base64(csv), mapping: { 'Qui': 'name' as const, 'Numéro': 'mobile' as const, 'Remarque': 'notes' as const } };
    const dry = await importOk(directory, { ...request, dryRun: true });
    assert.equal(dry.imported, 2);
    assert.equal(directory.search({ query: '' }).total, 0, 'a dry run stores nothing');
    assert.deepEqual(dry.columns, [{ header: 'Qui', field: 'name' }, { header: 'Numéro', field: 'mobile' }, { header: 'Remarque', field: 'notes' }, { header: 'Extra', field: 'ignore' }]);

    const report = await importOk(directory, request);
    assert.equal(report.imported, 2);
    assert.deepEqual(report.skipped.map((s) => s.row), [3, 4, 6, 7]);
    assert.equal(report.skipped[0]!.reason, 'no name and no number');
    assert.equal(report.skipped[1]!.reason, 'number unparseable: "call me"');
    assert.equal(report.skipped[2]!.reason, 'number too long (300 characters)');
    assert.match(report.skipped[3]!.reason, /^malformed CSV: /, 'an unterminated quote swallows the rest of the file: reported, never guessed');
    const carol = directory.search({ query: 'carol' }).contacts[0]!;
    assert.deepEqual([carol.name, carol.notes, carol.numbers], ['Carol "CJ" Jones', 'vip', [{ label: 'mobile', value: 'sip:carol@pbx.example.com' }]]);
  } finally {
    close();
  }
});

it('refuses oversized and hostile files cleanly', async () => {
  const { directory, close } = freshDirectory();
  try {
    const longLine = await directory.import({ format: 'csv', data: base64(`Name,Phone\n${'x,'.repeat(200_000)}\n`) }, () => {});
    assert.ok(!longLine.ok && /a line is 400000 characters long/.test(longLine.error));
    const rows = await directory.import({ format: 'csv', data: base64(`Name\n${'a\n'.repeat(100_001)}`) }, () => {});
    assert.ok(!rows.ok && /more than 100000 rows/.test(rows.error));
    const utf16 = await directory.import({ format: 'vcard', data: base64(Buffer.from('\uFEFFBEGIN:VCARD', 'utf16le')) }, () => {});
    assert.ok(!utf16.ok && /UTF-16/.test(utf16.error));
    const empty = await directory.import({ format: 'csv', data: '' }, () => {});
    assert.deepEqual(empty, { ok: false, error: 'data: the file has no header row' });
    const binary = await importOk(directory, { format: 'vcard', data: base64(Uint8Array.from({ length: 65_536 }, (_, i) => (i * 7919) & 0xff)) });
    assert.deepEqual([binary.imported, binary.skipped.length], [0, 0]);
  } finally {
    close();
  }
});

it('guesses columns from Outlook and Google headers in English and French', () => {
  const cases: Array<[string, string]> = [
    ['First Name', 'firstName'], ['Given Name', 'firstName'], ['Prénom', 'firstName'], ['Middle Name', 'ignore'], ['Deuxième prénom', 'ignore'],
    ['Last Name', 'lastName'], ['Family Name', 'lastName'], ['Nom de famille', 'lastName'], ['Name', 'name'], ['Nom complet', 'name'],
    ['Mobile Phone', 'mobile'], ['Téléphone mobile', 'mobile'], ['Tél. mobile', 'mobile'], ['Business Phone', 'work'], ['Tél. bureau', 'work'],
    ['Téléphone 2 (bureau)', 'work'], ['Home Phone', 'home'], ['Téléphone (domicile)', 'home'], ['Other Phone', 'phone'],
    ['Company Main Phone', 'phone'], ['Phone 1 - Value', 'phone'], ['Téléphone 1 - Valeur', 'phone'], ['Phone 1 - Type', 'ignore'],
    ['Business Fax', 'ignore'], ['Pager', 'ignore'], ['E-mail Address', 'email'], ['E-mail 1 - Value', 'email'], ['Adresse de messagerie', 'email'],
    ['E-mail Display Name', 'ignore'], ['Company', 'company'], ['Société', 'company'], ['Organization 1 - Name', 'company'],
    ['Organization 1 - Title', 'ignore'], ['Job Title', 'ignore'], ['Notes', 'notes'], ['SIP Address', 'sip'], ['Given Yomi', 'ignore'],
    ['Nickname', 'ignore'], ['Web Page', 'ignore'],
  ];
  for (const [header, field] of cases) assert.equal(guessField(header), field, header);
});
