/**
 * Issue 10 (private memory of a call): libphonenumber-js and fast-xml-parser load at first use,
 * not with the modules that use them, and a phone without stored numbers never parses a caller's
 * number. Run in a fresh process, where nothing else has loaded them.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { it } from 'node:test';

const script = `
import { createRequire } from 'node:module';
const { freshDirectory } = await import('./tests/unit/contacts/contact-fixtures.ts');
const { parseXmlBody } = await import('./src-main/sip/ua/event-package/xml-body.ts');
const loaded = () => [...new Set(Object.keys(createRequire(import.meta.url).cache)
  .map((k) => /node_modules\\/(libphonenumber-js|fast-xml-parser)\\//.exec(k)?.[1]).filter(Boolean))].sort();
const { directory, close } = freshDirectory();
const steps = { imported: loaded() };
steps.emptyMatch = directory.identify('sip:0612345678@example.com', 'FR') ?? null;
steps.identifiedInEmptyBook = loaded();
steps.saved = directory.save({ name: 'Jean', numbers: [{ label: 'mobile', value: '+33 6 12 34 56 78' }] }).ok;
steps.match = directory.identify('sip:0612345678@example.com', 'FR')?.name ?? null;
steps.afterNumbers = loaded();
steps.xml = parseXmlBody('<presence><tuple/></presence>').ok;
steps.afterXml = loaded();
close();
console.log(JSON.stringify(steps));
`;

it('loads libphonenumber-js at the first number it parses and fast-xml-parser at the first XML body', () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), {
    imported: [],
    emptyMatch: null,
    identifiedInEmptyBook: [],
    saved: true,
    match: 'Jean',
    afterNumbers: ['libphonenumber-js'],
    xml: true,
    afterXml: ['fast-xml-parser', 'libphonenumber-js'],
  });
});
