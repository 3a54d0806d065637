/** Contact requests over the link, applied to the slice (the container and sync call these). */
import type { Contact, ContactImport, ContactImportReport } from '../../../src-main/contract/directory.js';
import { request } from '../../app/request.js';
import type { HostLink } from '../../transport/link.js';
import { checkContact, draftFromContact, fieldOfError, type ContactDraft } from './contact-form.js';
import { useContactsStore } from './contacts-store.js';

export const PAGE_SIZE = 200;

export async function loadContacts(link: HostLink, append: boolean): Promise<void> {
  const s = useContactsStore.getState();
  if (append && (s.loading || !s.loaded || s.contacts.length >= s.total)) return;
  const generation = s.generation;
  s.startLoading(generation);
  const reply = await request(link, 'contacts.search', { query: s.query.trim(), offset: append ? s.contacts.length : 0, limit: PAGE_SIZE }, { quiet: true });
  if (reply.ok) useContactsStore.getState().applyPage(generation, reply.value, append);
  else useContactsStore.getState().failed(generation);
}

export function openNew(prefill: Partial<ContactDraft> = {}): void {
  useContactsStore.getState().openEditor({ draft: draftFromContact(undefined, prefill), showAll: false, touched: {}, saving: false, saveError: undefined });
}

export async function openEdit(link: HostLink, contact: Contact): Promise<void> {
  // The row may be from an older page: edit what is stored now.
  const fresh = await request(link, 'contacts.get', { id: contact.id }, { quiet: true });
  const current = fresh.ok ? fresh.value : contact;
  useContactsStore.getState().openEditor({ draft: draftFromContact(current), showAll: false, touched: {}, saving: false, saveError: undefined });
}

/** Save the editor's draft; true when saved (the editor closes). */
export async function saveEditor(link: HostLink): Promise<boolean> {
  const { editor, openEditor } = useContactsStore.getState();
  if (!editor) return false;
  const checked = checkContact(editor.draft);
  if (!checked.ok) {
    openEditor({ ...editor, showAll: true, saveError: undefined });
    return false;
  }
  openEditor({ ...editor, saving: true, saveError: undefined });
  const reply = await request(link, 'contacts.save', checked.input, { quiet: true });
  const now = useContactsStore.getState().editor ?? editor;
  if (reply.ok) {
    useContactsStore.getState().openEditor(undefined);
    useContactsStore.getState().reload();
    return true;
  }
  useContactsStore.getState().openEditor({ ...now, saving: false, showAll: true, saveError: { text: reply.error, field: fieldOfError(reply.error, now.draft) } });
  return false;
}

export async function removeContact(link: HostLink, id: number): Promise<void> {
  const reply = await request(link, 'contacts.remove', { id });
  if (reply.ok) {
    useContactsStore.getState().openEditor(undefined);
    useContactsStore.getState().reload();
  }
}

export async function runImport(link: HostLink, body: ContactImport): Promise<{ ok: true; report: ContactImportReport } | { ok: false; error: string }> {
  // Progress for the preview's dry run too: it reads the whole file as the import does.
  useContactsStore.getState().setProgress({ done: 0, total: 0 });
  const reply = await request(link, 'contacts.import', body, { quiet: true });
  useContactsStore.getState().setProgress(undefined);
  if (!reply.ok) return { ok: false, error: reply.error };
  if (!body.dryRun) useContactsStore.getState().reload();
  return { ok: true, report: reply.value };
}

/** All contacts as a vCard file the browser downloads. */
export async function exportContacts(link: HostLink, fileName: string): Promise<void> {
  const reply = await request(link, 'contacts.export', {});
  if (!reply.ok) return;
  const url = URL.createObjectURL(new Blob([reply.value], { type: 'text/vcard;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
