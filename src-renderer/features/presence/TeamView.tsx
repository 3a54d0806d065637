/**
 * The Team screen (presentational): the busy lamp panel — a region "Busy lamps" listing the
 * monitored colleagues in a stable order — with Add (extension or SIP address) and Edit (Remove
 * buttons). One tab stop for the list: ↑/↓, Home/End move between lamps; Enter or Space acts.
 */
import { Check, Pencil, Plus, Users } from 'lucide-react';
import { useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../ui/EmptyState.js';
import { LampRow, type LampItem } from './LampRow.js';

export interface TeamViewProps {
  items: readonly LampItem[];
  loaded: boolean;
  editing: boolean;
  adding: boolean;
  addError: 'invalid' | 'no-account' | undefined;
  onActivate(item: LampItem): void;
  onPickUp(item: LampItem): void;
  onTransfer(item: LampItem): void;
  onMessage(item: LampItem): void;
  onRemove(item: LampItem): void;
  onAdd(text: string): void;
  onAdding(open: boolean): void;
  onEditing(on: boolean): void;
}

export function TeamView(props: TeamViewProps) {
  const { t } = useTranslation();
  const { items } = props;
  const [active, setActive] = useState(0);
  const list = useRef<HTMLUListElement>(null);
  const current = Math.min(active, Math.max(0, items.length - 1));

  const move = (e: KeyboardEvent<HTMLButtonElement>, index: number): void => {
    const to = e.key === 'ArrowDown' ? index + 1 : e.key === 'ArrowUp' ? index - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? items.length - 1 : undefined;
    if (to === undefined || to < 0 || to >= items.length) return;
    e.preventDefault();
    setActive(to);
    list.current?.querySelector<HTMLElement>(`[data-lamp-index="${to}"]`)?.focus();
  };

  return (
    <div className="list-view team">
      <div className="list-view__head">
        <h1 className="list-view__title">{t('presence.title')}</h1>
        <div className="list-view__buttons">
          {items.length > 0 && (
            <button type="button" className="button button--quiet" aria-pressed={props.editing} onClick={() => props.onEditing(!props.editing)}>
              {props.editing ? <Check size={16} aria-hidden="true" /> : <Pencil size={16} aria-hidden="true" />}
              {t(props.editing ? 'presence.done' : 'presence.edit')}
            </button>
          )}
          {!props.adding && (
            <button type="button" className="button button--primary" onClick={() => props.onAdding(true)}>
              <Plus size={16} aria-hidden="true" />{t('presence.add')}
            </button>
          )}
        </div>
      </div>
      {props.adding && <AddForm error={props.addError} onAdd={props.onAdd} onCancel={() => props.onAdding(false)} />}
      <section className="blf" aria-label={t('presence.region')}>
        {props.loaded && items.length === 0 ? (
          <EmptyState icon={Users} title={t('presence.empty')} text={t('presence.emptyText')} level={2} />
        ) : (
          <ul className="blf__list" ref={list}>
            {items.map((item, i) => (
              <LampRow key={item.uri} item={item} index={i} active={i === current} editing={props.editing}
                onActivate={() => props.onActivate(item)} onPickUp={() => props.onPickUp(item)} onTransfer={() => props.onTransfer(item)}
                onMessage={() => props.onMessage(item)} onRemove={() => props.onRemove(item)}
                onKeyDown={(e) => move(e, i)} onFocus={() => setActive(i)} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function AddForm({ error, onAdd, onCancel }: { error: TeamViewProps['addError']; onAdd(text: string): void; onCancel(): void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  return (
    <form className="team__add" onSubmit={(e) => { e.preventDefault(); if (text.trim() !== '') onAdd(text); }}
      onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); onCancel(); } }}>
      <label className="field__label" htmlFor="team-add-input">{t('presence.addLabel')}</label>
      <div className="team__add-row">
        <input id="team-add-input" className="text-input" type="text" autoComplete="off" spellCheck={false} autoFocus
          value={text} placeholder={t('presence.addPlaceholder')} aria-invalid={error ? true : undefined} aria-describedby="team-add-hint"
          onChange={(e) => setText(e.target.value)} />
        <button type="submit" className="button button--primary">{t('presence.addSubmit')}</button>
        <button type="button" className="button" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
      <p id="team-add-hint" className={`field__hint ${error ? 'field__hint--error' : ''}`} role={error ? 'alert' : undefined}>
        {error === 'no-account' ? t('dialpad.noAccount') : error === 'invalid' ? t('presence.addInvalid') : t('presence.addHint')}
      </p>
    </form>
  );
}
