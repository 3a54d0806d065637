/** A labelled icon button (the label is its accessible name). */
import type { LucideIcon } from 'lucide-react';

export interface ActionButtonProps {
  icon: LucideIcon;
  label: string;
  onClick(): void;
  tone?: 'neutral' | 'accept' | 'danger' | 'primary';
  /** Shown as switched on (muted, keypad open); the label says what a press does. */
  active?: boolean;
  expanded?: boolean;
  disabled?: boolean;
  wide?: boolean;
  shortcut?: string;
}

export function ActionButton(props: ActionButtonProps) {
  const { icon: Icon, label, tone = 'neutral' } = props;
  const classes = ['action', `action--${tone}`, props.wide ? 'action--wide' : '', props.active ? 'is-on' : ''];
  return (
    <button
      type="button"
      className={classes.filter(Boolean).join(' ')}
      onClick={props.onClick}
      disabled={props.disabled}
      aria-expanded={props.expanded}
      aria-keyshortcuts={props.shortcut}
    >
      <span className="action__icon"><Icon size={20} strokeWidth={2} aria-hidden="true" /></span>
      <span className="action__label">{label}</span>
    </button>
  );
}
