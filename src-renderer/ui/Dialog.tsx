/**
 * A modal dialog on the native <dialog> (showModal): focus moves in and stays in, the page behind
 * is inert, Escape closes it (onClose), and focus returns to what opened it.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface DialogProps {
  title: string;
  /** Extra class for sizing (e.g. the import dialog is wider). */
  className?: string;
  onClose(): void;
  children: ReactNode;
}

export function Dialog({ title, className, onClose, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = useRef(onClose);
  useEffect(() => { close.current = onClose; });
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const onCancel = (e: Event) => { e.preventDefault(); close.current(); };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog ref={ref} className={`dialog ${className ?? ''}`} aria-labelledby={titleId}>
      <h2 id={titleId} className="dialog__title">{title}</h2>
      {children}
    </dialog>
  );
}

export interface ConfirmDialogProps {
  title: string;
  text: string;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm(): void;
  onCancel(): void;
}

/** "Delete all calls?" — the safe answer has focus. */
export function ConfirmDialog({ title, text, confirmLabel, cancelLabel, onConfirm, onCancel }: ConfirmDialogProps) {
  return (
    <Dialog title={title} onClose={onCancel}>
      <p className="dialog__text">{text}</p>
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onCancel} autoFocus>{cancelLabel}</button>
        <button type="button" className="button button--danger" onClick={onConfirm}>{confirmLabel}</button>
      </div>
    </Dialog>
  );
}
