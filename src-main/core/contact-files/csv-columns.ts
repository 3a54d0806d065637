/**
 * Which contact field a CSV column holds, guessed from its header as Outlook and Google write them
 * in English and French ("First Name", "Prénom", "Mobile Phone", "Téléphone mobile", "Tél. bureau",
 * "E-mail Address", "Adresse de messagerie", "Phone 1 - Value", "Téléphone 1 - Valeur", …). A
 * mapping in the request overrides the guess column by column.
 */
import type { ContactImport } from '../../contract/directory.js';
import { fold } from '../../store/contact-text.js';

export type ColumnField = NonNullable<ContactImport['mapping']>[string];

export interface Column {
  header: string;
  field: ColumnField;
  /** Google's "Phone 1 - Type" beside "Phone 1 - Value": the column index holding this number's label. */
  labelColumn: number | undefined;
}

const words = (header: string) => fold(header).replace(/[^a-z0-9]+/g, ' ').trim();
const has = (h: string, ...w: string[]) => new RegExp(`\\b(${w.join('|')})\\b`).test(h);

/** The field a header names; 'nom' alone is settled by `columnsOf` (a last name beside "Prénom"). */
export function guessField(header: string): ColumnField | 'nom' {
  const h = words(header);
  if (!h) return 'ignore';
  if (has(h, 'yomi', 'phonetic', 'phonetique')) return 'ignore';
  // "Phone 1 - Type": read together with its value column.
  if (has(h, 'type', 'label', 'libelle')) return 'ignore';
  if (has(h, 'sip')) return 'sip';
  if (has(h, 'phone', 'telephone', 'tel', 'mobile', 'cell', 'cellular', 'portable', 'gsm')) {
    if (has(h, 'fax', 'telecopie', 'pager', 'telex', 'tty', 'tdd', 'isdn', 'radiomessagerie', 'id')) return 'ignore';
    if (has(h, 'mobile', 'cell', 'cellular', 'portable', 'gsm')) return 'mobile';
    if (has(h, 'home', 'domicile', 'personal', 'perso', 'personnel', 'prive')) return 'home';
    if (has(h, 'business', 'work', 'bureau', 'office', 'professionnel', 'travail')) return 'work';
    return 'phone';
  }
  if (has(h, 'e mail', 'email', 'courriel', 'mail', 'messagerie')) return has(h, 'display', 'affiche', 'affichage') ? 'ignore' : 'email';
  if (has(h, 'first', 'given', 'prenom')) return has(h, 'middle', 'additional', 'deuxieme', 'second', 'autre') ? 'ignore' : 'firstName';
  if (has(h, 'last', 'family', 'surname') || h === 'nom de famille') return 'lastName';
  if (/^(name|full name|display name|nom complet|nom affiche|contact|contact name)$/.test(h)) return 'name';
  if (h === 'nom') return 'nom';
  if (has(h, 'company', 'organization', 'organisation', 'societe', 'entreprise', 'employer', 'employeur')) {
    return has(h, 'title', 'titre', 'department', 'departement', 'service', 'job', 'location', 'symbol', 'symbole') ? 'ignore' : 'company';
  }
  if (/^(notes?|remarques?|comments?|commentaires?)$/.test(h)) return 'notes';
  return 'ignore';
}

/** Columns of a header row: guessed fields, the request's mapping on top, label columns linked. */
export function columnsOf(header: string[], mapping: ContactImport['mapping']): Column[] {
  const guessed = header.map(guessField);
  // "Nom" is the last name beside "Prénom" (Outlook FR), the full name otherwise.
  const split = guessed.includes('firstName') && !guessed.includes('lastName');
  const folded = header.map(words);
  return header.map((h, i) => {
    const guess = guessed[i]!;
    const field: ColumnField = mapping?.[h] ?? (guess === 'nom' ? (split ? 'lastName' : 'name') : guess);
    const value = /^(.*\d+) (value|valeur)$/.exec(folded[i]!);
    const labelAt = value ? folded.findIndex((f) => new RegExp(`^${value[1]} (type|label|libelle)$`).test(f)) : -1;
    return { header: h, field, labelColumn: labelAt >= 0 ? labelAt : undefined };
  });
}
