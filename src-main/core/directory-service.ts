/**
 * What the core needs from the address book (implemented in ./contacts.ts over src-main/store):
 * the channel handlers' contact operations and caller identification for calls and history. A
 * directory source (LDAP, CardDAV) can implement the same interface later.
 */
import type { Result } from '../contract/calls.js';
import type {
  Contact, ContactImport, ContactImportReport, ContactInput, ContactPage, ContactSearch,
} from '../contract/directory.js';

export interface ContactDirectory {
  search(query: ContactSearch): ContactPage;
  get(id: number): Contact | undefined;
  save(input: ContactInput): Result<Contact>;
  remove(id: number): boolean;
  /** `onProgress` is called at most every few hundred rows. */
  import(request: ContactImport, onProgress: (done: number, total: number) => void): Promise<Result<ContactImportReport>>;
  exportVCard(): Promise<string>;
  /** Caller identification: the contact a number or SIP URI belongs to (country for national numbers). */
  identify(uriOrNumber: string, defaultCountry: string | undefined): { id: number; name: string } | undefined;
}
