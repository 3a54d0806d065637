/**
 * The Messages screen's list (presentational): New message (an address field), Search messages,
 * then the conversations newest first — name with presence, last message, time, unread count —
 * or, while searching, the matching messages. Each row opens its conversation.
 */
import { Bell, MessageSquare, Plus, SearchX } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PresenceStatus } from '../../../src-main/contract/presence.js';
import { Avatar } from '../../ui/Avatar.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { SearchBox } from '../../ui/SearchBox.js';
import { PresenceDot } from '../presence/PresenceDot.js';

export interface ConversationItem {
  peer: string;
  name: string;
  /** The last message's text, one line, with "You: " for ours. */
  preview: string;
  time: string;
  fullTime: string;
  unread: number;
  status: PresenceStatus | undefined;
  failed: boolean;
}

export interface ResultItem {
  id: number;
  peer: string;
  name: string;
  preview: string;
  time: string;
}

export interface ConversationListProps {
  conversations: readonly ConversationItem[];
  loaded: boolean;
  search: string;
  results: readonly ResultItem[] | undefined;
  composing: boolean;
  composeError: 'invalid' | 'no-account' | undefined;
  /** The web host can ask for notification permission (shown while it was never asked). */
  canAskNotifications: boolean;
  onOpen(peer: string): void;
  onSearch(text: string): void;
  onComposing(open: boolean): void;
  onCompose(to: string): void;
  onAskNotifications(): void;
}

export function ConversationList(props: ConversationListProps) {
  const { t } = useTranslation();
  const searching = props.search.trim() !== '';
  return (
    <div className="list-view messages">
      <div className="list-view__head">
        <h1 className="list-view__title">{t('messages.title')}</h1>
        <div className="list-view__buttons">
          {props.canAskNotifications && (
            <button type="button" className="icon-button" onClick={props.onAskNotifications}
              aria-label={t('messages.notifyMe')} title={t('messages.notifyMeHint')}>
              <Bell size={18} aria-hidden="true" />
            </button>
          )}
          {!props.composing && (
            <button type="button" className="button button--primary" onClick={() => props.onComposing(true)}>
              <Plus size={16} aria-hidden="true" />{t('messages.new')}
            </button>
          )}
        </div>
      </div>
      {props.composing && <ComposeForm error={props.composeError} onCompose={props.onCompose} onCancel={() => props.onComposing(false)} />}
      <div className="list-view__tools">
        <SearchBox label={t('messages.search')} placeholder={t('messages.searchPlaceholder')} value={props.search} onChange={props.onSearch} />
      </div>
      {searching ? (
        props.results && props.results.length === 0
          ? <EmptyState icon={SearchX} title={t('messages.noMatch')} text={t('messages.noMatchText')} level={2} />
          : (
            <ul className="conversations" aria-label={t('messages.results')}>
              {(props.results ?? []).map((r) => (
                <li key={r.id}>
                  <button type="button" className="conversation-row" onClick={() => props.onOpen(r.peer)}>
                    <Avatar name={r.name} />
                    <span className="conversation-row__text">
                      <span className="conversation-row__name">{r.name}</span>
                      <Sep />
                      <span className="conversation-row__preview">{r.preview}</span>
                    </span>
                    <Sep />
                    <span className="conversation-row__side"><span className="conversation-row__time">{r.time}</span></span>
                  </button>
                </li>
              ))}
            </ul>
          )
      ) : props.loaded && props.conversations.length === 0 ? (
        <EmptyState icon={MessageSquare} title={t('messages.empty')} text={t('messages.emptyText')} level={2} />
      ) : (
        <ul className="conversations" aria-label={t('messages.listLabel')}>
          {props.conversations.map((c) => (
            <li key={c.peer}>
              <button type="button" className={`conversation-row ${c.unread > 0 ? 'conversation-row--unread' : ''}`} onClick={() => props.onOpen(c.peer)}>
                <span className="avatar-with-dot">
                  <Avatar name={c.name} />
                  {c.status && <PresenceDot status={c.status} className="presence-dot--badge" label={t(`presence.status.${c.status}`)} />}
                </span>
                <span className="conversation-row__text">
                  <span className="conversation-row__name">{c.name}</span>
                  <Sep />
                  <span className={`conversation-row__preview ${c.failed ? 'conversation-row__preview--failed' : ''}`}>{c.preview}</span>
                </span>
                <Sep />
                <span className="conversation-row__side">
                  <span className="conversation-row__time" title={c.fullTime}>{c.time}</span>
                  {c.unread > 0 && (
                    <span className="unread-badge"><span aria-hidden="true">{c.unread > 99 ? '99+' : c.unread}</span>
                      <span className="visually-hidden">, {t('messages.unread', { count: c.unread })}</span></span>
                  )}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A pause between the parts of a row's name ("1003, Et demain ?, 10:49"), heard but not seen. */
const Sep = () => <span className="visually-hidden">, </span>;

function ComposeForm({ error, onCompose, onCancel }: { error: ConversationListProps['composeError']; onCompose(to: string): void; onCancel(): void }) {
  const { t } = useTranslation();
  const [to, setTo] = useState('');
  return (
    <form className="team__add" onSubmit={(e) => { e.preventDefault(); if (to.trim() !== '') onCompose(to); }}
      onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); onCancel(); } }}>
      <label className="field__label" htmlFor="message-to">{t('messages.to')}</label>
      <div className="team__add-row">
        <input id="message-to" className="text-input" type="text" autoComplete="off" spellCheck={false} autoFocus value={to}
          placeholder={t('presence.addPlaceholder')} aria-invalid={error ? true : undefined} aria-describedby="message-to-hint"
          onChange={(e) => setTo(e.target.value)} />
        <button type="submit" className="button button--primary">{t('messages.start')}</button>
        <button type="button" className="button" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
      <p id="message-to-hint" className={`field__hint ${error ? 'field__hint--error' : ''}`} role={error ? 'alert' : undefined}>
        {error === 'no-account' ? t('dialpad.noAccount') : error === 'invalid' ? t('presence.addInvalid') : t('messages.toHint')}
      </p>
    </form>
  );
}
