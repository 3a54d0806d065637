/**
 * CSV import (RFC 4180 and what spreadsheets write: `,` `;` or tab, quoted fields over several
 * lines) parsed by papaparse. The first row is the header; each later row is one contact, numbered
 * from 1 as a spreadsheet numbers them (the header is row 1).
 */
import Papa from 'papaparse';
import type { Result } from '../../contract/calls.js';
import type { ContactImport } from '../../contract/directory.js';
import { columnsOf, type Column } from './csv-columns.js';
import { emptyRawContact, type RawContact } from './imported-contact.js';
import { importLimits } from './limits.js';
import { labelFromText } from './number-labels.js';

export interface CsvTable {
  columns: Column[];
  /** Data rows with their row numbers; `problem` when the parser found the row malformed. */
  rows: Array<{ row: number; cells: string[]; problem: string | undefined }>;
}

export function readCsvTable(text: string, mapping: ContactImport['mapping']): Result<CsvTable> {
  const longLine = longestLine(text);
  if (longLine > importLimits.maxCsvLine) {
    return { ok: false, error: `data: a line is ${longLine} characters long (at most ${importLimits.maxCsvLine}): not a contact export` };
  }
  const parsed = Papa.parse<string[]>(text, { delimitersToGuess: [',', ';', '\t', '|'], preview: importLimits.maxRows + 2 });
  const data = parsed.data;
  const headerAt = data.findIndex((cells) => cells.some((c) => c.trim() !== ''));
  if (headerAt < 0) return { ok: false, error: 'data: the file has no header row' };
  if (data.length - headerAt - 1 > importLimits.maxRows) {
    return { ok: false, error: `data: more than ${importLimits.maxRows} rows` };
  }
  const problems = new Map<number, string>();
  for (const e of parsed.errors) {
    // A file of one column has no delimiter to detect: not an error in a row.
    if (e.row !== undefined && e.code !== 'UndetectableDelimiter') problems.set(e.row, problems.get(e.row) ?? `malformed CSV: ${e.message}`);
  }
  const header = data[headerAt]!.slice(0, importLimits.maxColumns).map((h) => h.trim());
  const rows: CsvTable['rows'] = [];
  for (let i = headerAt + 1; i < data.length; i++) {
    const cells = data[i]!;
    if (!problems.has(i) && cells.every((c) => c.trim() === '')) continue;
    rows.push({ row: i + 1, cells: cells.slice(0, importLimits.maxColumns), problem: problems.get(i) });
  }
  return { ok: true, value: { columns: columnsOf(header, mapping), rows } };
}

/** Google writes several values in one cell separated by " ::: ". */
const several = /\s*:::\s*/;

export function csvContact(cells: string[], columns: Column[]): RawContact {
  const c = emptyRawContact();
  const notes: string[] = [];
  columns.forEach((col, i) => {
    const cell = (cells[i] ?? '').trim();
    if (!cell) return;
    switch (col.field) {
      case 'name': c.name ||= cell; break;
      case 'firstName': c.firstName ||= cell; break;
      case 'lastName': c.lastName ||= cell; break;
      case 'company': c.company ||= cell; break;
      case 'email': c.email ||= cell.split(several)[0]!; break;
      case 'notes': notes.push(cell); break;
      case 'phone': case 'mobile': case 'home': case 'work': case 'sip': {
        const labels = col.labelColumn !== undefined ? (cells[col.labelColumn] ?? '').split(several) : [];
        cell.split(several).forEach((value, k) => {
          const given = labels[k]?.trim();
          const label = col.field === 'phone' ? (given ? labelFromText(given) : 'other') : col.field;
          c.numbers.push({ label, value: col.field === 'sip' && value.includes('@') && !/^sips?:/i.test(value) ? `sip:${value}` : value });
        });
        break;
      }
      case 'ignore': break;
    }
  });
  c.notes = notes.join('\n');
  return c;
}

function longestLine(text: string): number {
  let longest = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || ch === 13) {
      longest = Math.max(longest, i - start);
      start = i + 1;
    }
  }
  return Math.max(longest, text.length - start);
}
