/**
 * The import dialog (presentational): for CSV the column mapping with a live preview (a dry run),
 * for vCard the preview figures; then the progress bar; then the report with every skipped row.
 */
import { useTranslation } from 'react-i18next';
import type { ContactImportReport } from '../../../src-main/contract/directory.js';
import { Dialog } from '../../ui/Dialog.js';
import { importFields, mappingUsable, percentDone, type ImportField, type Mapping } from './contact-import.js';

export type ImportStep =
  | { step: 'preview'; fileName: string; format: 'vcard' | 'csv'; mapping: Mapping; report: ContactImportReport | undefined; checking: boolean; error: string | undefined; progress?: Progress | undefined }
  | { step: 'importing'; fileName: string; progress: { done: number; total: number } | undefined }
  | { step: 'done'; fileName: string; report: ContactImportReport }
  | { step: 'failed'; fileName: string; error: string };

export interface ImportDialogProps {
  state: ImportStep;
  onMap(header: string, field: ImportField): void;
  onImport(): void;
  onClose(): void;
}

const SKIPPED_SHOWN = 200;

type Progress = { done: number; total: number };

/** Rows read so far, then (all read) what the core does with them: compare (dry run) or save. */
function ProgressFigures({ progress, then }: { progress: Progress | undefined; then: 'comparing' | 'storing' }) {
  const { t } = useTranslation();
  if (!progress || progress.total <= 0) return null;
  return (
    <>
      {t('contacts.importDialog.progress', { done: progress.done, total: progress.total })}
      {progress.done >= progress.total && <> · {t(`contacts.importDialog.${then}`)}</>}
    </>
  );
}

function Skipped({ report }: { report: ContactImportReport }) {
  const { t } = useTranslation();
  if (report.skipped.length === 0) return null;
  return (
    <details className="import__skipped" open={report.skipped.length <= 20}>
      <summary>{t('contacts.importDialog.skippedRows', { count: report.skipped.length })}</summary>
      <ul>
        {report.skipped.slice(0, SKIPPED_SHOWN).map((s) => (
          <li key={s.row}>{t('contacts.importDialog.row', { row: s.row, reason: s.reason })}</li>
        ))}
        {report.skipped.length > SKIPPED_SHOWN && <li>{t('contacts.importDialog.moreSkipped', { count: report.skipped.length - SKIPPED_SHOWN })}</li>}
      </ul>
    </details>
  );
}

export function ImportDialog({ state, onMap, onImport, onClose }: ImportDialogProps) {
  const { t } = useTranslation();
  const title = t('contacts.importDialog.title', { file: state.fileName });
  if (state.step === 'importing') {
    const percent = percentDone(state.progress);
    return (
      <Dialog title={title} className="dialog--wide" onClose={() => undefined}>
        <label className="import__progress">
          <span>{t('contacts.importDialog.importing')}</span>
          <progress max={100} {...(percent !== undefined ? { value: percent } : {})} />
        </label>
        <p className="muted" aria-live="polite"><ProgressFigures progress={state.progress} then="storing" /></p>
      </Dialog>
    );
  }
  if (state.step === 'failed') {
    return (
      <Dialog title={title} className="dialog--wide" onClose={onClose}>
        <p className="form-error" role="alert">{t('contacts.importDialog.failed', { error: state.error })}</p>
        <div className="dialog__actions"><button type="button" className="button button--primary" onClick={onClose} autoFocus>{t('common.close')}</button></div>
      </Dialog>
    );
  }
  if (state.step === 'done') {
    const r = state.report;
    return (
      <Dialog title={title} className="dialog--wide" onClose={onClose}>
        <p role="status">{t('contacts.importDialog.done', { count: r.imported })}{r.merged > 0 ? ` ${t('contacts.importDialog.merged', { count: r.merged })}` : ''}</p>
        <Skipped report={r} />
        <div className="dialog__actions"><button type="button" className="button button--primary" onClick={onClose} autoFocus>{t('common.close')}</button></div>
      </Dialog>
    );
  }
  const r = state.report;
  const usable = state.format === 'vcard' || mappingUsable(state.mapping);
  const headers = Object.keys(state.mapping);
  return (
    <Dialog title={title} className="dialog--wide" onClose={onClose}>
      {state.format === 'csv' && (
        <fieldset className="import__mapping">
          <legend className="field__label">{t('contacts.importDialog.mapping')}</legend>
          <p className="field__hint">{t('contacts.importDialog.mappingHint')}</p>
          <div className="import__columns">
            {headers.map((h, i) => (
              <div key={h} className="import__column">
                <label htmlFor={`import-col-${i}`} className="import__header">{h}</label>
                <select id={`import-col-${i}`} className="select" value={state.mapping[h]} onChange={(e) => onMap(h, e.target.value as ImportField)}>
                  {importFields.map((f) => <option key={f} value={f}>{t(`contacts.importDialog.fields.${f}`)}</option>)}
                </select>
              </div>
            ))}
          </div>
        </fieldset>
      )}
      <div className="import__preview" aria-live="polite" aria-busy={state.checking}>
        {state.error ? <p className="form-error">{t('contacts.importDialog.failed', { error: state.error })}</p>
          : !usable ? <p className="field__hint field__hint--error">{t('contacts.importDialog.needNameOrNumber')}</p>
            : r ? (
              <>
                <p>{t('contacts.importDialog.willImport', { count: r.imported + r.merged })}{r.merged > 0 ? ` ${t('contacts.importDialog.willMerge', { count: r.merged })}` : ''}</p>
                {r.encoding === 'windows-1252' && <p className="field__hint">{t('contacts.importDialog.windows1252')}</p>}
                <Skipped report={r} />
              </>
            ) : (
              <>
                <p className="muted">{t('contacts.importDialog.checking')}</p>
                {state.progress && state.progress.total > 0 && (
                  <>
                    <progress max={100} value={percentDone(state.progress)} aria-label={t('contacts.importDialog.checking')} />
                    <p className="muted"><ProgressFigures progress={state.progress} then="comparing" /></p>
                  </>
                )}
              </>
            )}
      </div>
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose}>{t('common.cancel')}</button>
        <button type="button" className="button button--primary" onClick={onImport}
          disabled={!usable || state.checking || !r || r.imported + r.merged === 0}>{t('contacts.import')}</button>
      </div>
    </Dialog>
  );
}
