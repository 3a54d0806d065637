/** Call history and contacts as the renderer sees them (part 2 of the app). No Node imports. */
import { z } from 'zod';
import type { CallOutcome } from './calls.js';

// ---- History ----
export const historyFilterSchema = z.enum(['all', 'missed', 'incoming', 'outgoing']);
export const historyQuerySchema = z.strictObject({
  filter: historyFilterSchema.default('all'),
  /** Matches name or number (digits match whatever separators the number has). */
  search: z.string().max(128).default(''),
  /** Paging: entries that started before this (Unix ms) and, at equal times, with a smaller id. */
  before: z.strictObject({ startedAt: z.number().int().nonnegative(), id: z.number().int().nonnegative() }).optional(),
  limit: z.number().int().min(1).max(500).default(100),
});
export type HistoryQuery = z.input<typeof historyQuerySchema>;

export interface HistoryEntry {
  id: number;
  callId: string;
  account: string | undefined;
  peer: { uri: string; displayName: string | undefined };
  /** The contact whose number matched, if any (caller identification). */
  contact: { id: number; name: string } | undefined;
  direction: 'incoming' | 'outgoing';
  startedAt: number;
  answeredAt: number | undefined;
  endedAt: number;
  durationS: number;
  outcome: CallOutcome;
  status: number | undefined;
}

export interface HistoryPage {
  entries: HistoryEntry[];
  /** Pass as `before` for the next page; absent on the last page. */
  next: { startedAt: number; id: number } | undefined;
  total: number;
}

// ---- Contacts ----
export const contactNumberSchema = z.strictObject({
  label: z.string().trim().max(32).default('work'),
  /** A phone number (any formatting) or a SIP address. */
  value: z.string().trim().min(1).max(256),
});

export const contactInputSchema = z.strictObject({
  id: z.number().int().positive().optional(),
  name: z.string().trim().min(1, 'a contact needs a name').max(256),
  company: z.string().trim().max(256).default(''),
  numbers: z.array(contactNumberSchema).max(32).default([]),
  email: z.string().trim().max(256).default(''),
  notes: z.string().max(4096).default(''),
  favourite: z.boolean().default(false),
});
export type ContactInput = z.input<typeof contactInputSchema>;
export type Contact = Required<z.output<typeof contactInputSchema>> & { id: number };

export const contactSearchSchema = z.strictObject({
  /** Over name, company and digits (`0612` finds `+33 6 12 …`); empty lists everyone. */
  query: z.string().max(128).default(''),
  offset: z.number().int().min(0).max(10_000_000).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});
export type ContactSearch = z.input<typeof contactSearchSchema>;

export interface ContactPage {
  contacts: Contact[];
  total: number;
}

/** An import: the file's bytes (base64, ≤ 32 MiB), its format, and for CSV the column mapping. */
export const contactImportSchema = z.strictObject({
  format: z.enum(['vcard', 'csv']),
  data: z.string().max(Math.ceil((32 * 1024 * 1024 * 4) / 3)),
  /** CSV header name → field; absent: guessed from the header (Outlook and Google exports). */
  mapping: z.record(z.string().max(128), z.enum(['name', 'firstName', 'lastName', 'company', 'email', 'notes', 'phone', 'mobile', 'home', 'work', 'sip', 'ignore'])).optional(),
  /** Parse and report without storing (the mapping step's preview). */
  dryRun: z.boolean().default(false),
});
export type ContactImport = z.input<typeof contactImportSchema>;

export interface ContactImportReport {
  imported: number;
  merged: number;
  skipped: Array<{ row: number; reason: string }>;
  /** CSV: the header row and the mapping used (guessed or given). */
  columns: Array<{ header: string; field: string }> | undefined;
  encoding: 'utf-8' | 'windows-1252';
}
