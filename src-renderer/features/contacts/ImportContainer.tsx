/** The import flow: pick a file, preview (dry run; CSV mapping), import with progress, report. */
import { useImperativeHandle, useRef, useState, type Ref } from 'react';
import { useLink } from '../../app/link-context.js';
import { base64OfDataUrl, importFormat, mappingOf, type Mapping } from './contact-import.js';
import { runImport } from './contacts-actions.js';
import { useContactsStore } from './contacts-store.js';
import { ImportDialog, type ImportStep } from './ImportDialog.js';

export interface ImportHandle { pick(): void }

interface Loaded { fileName: string; format: 'vcard' | 'csv'; data: string }

const readFile = (file: File): Promise<{ data: string; head: string }> => new Promise((resolve, reject) => {
  const reader = new FileReader();
  reader.onerror = () => reject(reader.error ?? new Error('unreadable file'));
  reader.onload = () => {
    const data = base64OfDataUrl(String(reader.result));
    let head = '';
    try { head = atob(data.slice(0, 64)); } catch { /* not text */ }
    resolve({ data, head });
  };
  reader.readAsDataURL(file);
});

export function ImportContainer({ ref }: { ref: Ref<ImportHandle> }) {
  const link = useLink();
  const input = useRef<HTMLInputElement>(null);
  const file = useRef<Loaded | undefined>(undefined);
  const [state, setState] = useState<ImportStep>();
  const progress = useContactsStore((s) => s.progress);
  const check = useRef(0);

  useImperativeHandle(ref, () => ({ pick: () => input.current?.click() }), []);

  const preview = async (loaded: Loaded, mapping: Mapping | undefined): Promise<void> => {
    const mine = ++check.current;
    setState((s) => ({ step: 'preview', fileName: loaded.fileName, format: loaded.format, mapping: mapping ?? (s?.step === 'preview' ? s.mapping : {}), report: s?.step === 'preview' ? s.report : undefined, checking: true, error: undefined }));
    const result = await runImport(link, { format: loaded.format, data: loaded.data, dryRun: true, ...(mapping ? { mapping } : {}) });
    if (mine !== check.current) return;
    setState((s) => {
      if (s?.step !== 'preview') return s;
      if (!result.ok) return { ...s, checking: false, error: result.error, report: undefined };
      return { ...s, checking: false, error: undefined, report: result.report, mapping: mapping ?? mappingOf(result.report.columns) };
    });
  };

  const onFile = async (f: File | undefined): Promise<void> => {
    if (!f) return;
    try {
      const { data, head } = await readFile(f);
      file.current = { fileName: f.name, format: importFormat(f.name, head), data };
      await preview(file.current, undefined);
    } catch (e) {
      setState({ step: 'failed', fileName: f.name, error: (e as Error).message });
    }
  };

  const doImport = async (): Promise<void> => {
    const loaded = file.current;
    if (!loaded || state?.step !== 'preview') return;
    const mapping = loaded.format === 'csv' ? state.mapping : undefined;
    setState({ step: 'importing', fileName: loaded.fileName, progress: undefined });
    const result = await runImport(link, { format: loaded.format, data: loaded.data, ...(mapping ? { mapping } : {}) });
    setState(result.ok ? { step: 'done', fileName: loaded.fileName, report: result.report } : { step: 'failed', fileName: loaded.fileName, error: result.error });
  };

  const close = () => { check.current++; file.current = undefined; setState(undefined); };

  return (
    <>
      <input ref={input} type="file" className="visually-hidden" tabIndex={-1} aria-hidden="true"
        accept=".vcf,.vcard,.csv,.txt,text/vcard,text/x-vcard,text/csv"
        onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; void onFile(f); }} />
      {state && (
        <ImportDialog
          state={state.step === 'importing' || (state.step === 'preview' && state.checking) ? { ...state, progress } : state}
          onMap={(header, field) => {
            if (state.step !== 'preview' || !file.current) return;
            const mapping = { ...state.mapping, [header]: field };
            void preview(file.current, mapping);
          }}
          onImport={() => void doImport()}
          onClose={close}
        />
      )}
    </>
  );
}
