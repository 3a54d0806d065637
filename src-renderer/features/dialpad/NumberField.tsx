/** The Number field: shows the formatted number, reports edits with the caret, takes focus on request. */
import { useLayoutEffect, useRef } from 'react';

export interface NumberFieldProps {
  label: string;
  placeholder: string;
  display: string;
  caret: number;
  /** The window asked for focus (the user typed elsewhere); `onFocused` clears the request. */
  focusPending: boolean;
  onFocused(): void;
  errorId: string | undefined;
  onEdit(text: string, caret: number, inputType: string | undefined): void;
  onPaste(text: string, start: number, end: number): void;
  onEnter(): void;
}

export function NumberField(props: NumberFieldProps) {
  const input = useRef<HTMLInputElement>(null);
  const { display, caret, focusPending, onFocused } = props;

  useLayoutEffect(() => {
    const el = input.current;
    if (el && document.activeElement === el && el.selectionStart !== caret) el.setSelectionRange(caret, caret);
  }, [display, caret]);

  useLayoutEffect(() => {
    const el = input.current;
    if (!focusPending || !el) return;
    el.focus();
    el.setSelectionRange(caret, caret);
    onFocused();
  }, [focusPending, caret, onFocused]);

  return (
    <input
      ref={input}
      className="number-field"
      type="text"
      inputMode="tel"
      autoComplete="off"
      spellCheck={false}
      aria-label={props.label}
      aria-invalid={props.errorId ? true : undefined}
      aria-describedby={props.errorId}
      placeholder={props.placeholder}
      value={display}
      onChange={(e) => props.onEdit(e.target.value, e.target.selectionStart ?? e.target.value.length,
        (e.nativeEvent as InputEvent).inputType)}
      onPaste={(e) => {
        e.preventDefault();
        const el = e.currentTarget;
        props.onPaste(e.clipboardData.getData('text'), el.selectionStart ?? display.length, el.selectionEnd ?? display.length);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') { e.preventDefault(); props.onEnter(); }
      }}
    />
  );
}
