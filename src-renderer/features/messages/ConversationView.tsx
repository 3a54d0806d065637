/**
 * One conversation (presentational): who (name, address, presence), Call, the messages as a log
 * (day headings, time, delivery status of ours, Retry on a failed one, earlier pages on demand),
 * and the composer — textbox "Message" (Enter sends, Shift+Enter a new line) and button "Send".
 * Esc goes back to the conversations (the draft is kept).
 */
import { ArrowLeft, Phone, SendHorizontal } from 'lucide-react';
import { useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { PresenceStatus } from '../../../src-main/contract/presence.js';
import { Avatar } from '../../ui/Avatar.js';
import { PresenceDot } from '../presence/PresenceDot.js';

export interface BubbleItem {
  id: number;
  direction: 'in' | 'out';
  text: string;
  time: string;
  fullTime: string;
  /** The day heading this message starts, if it is the first of its day. */
  day: string | undefined;
  status: 'sending' | 'delivered' | 'failed' | undefined;
  code: number | undefined;
}

export interface ConversationViewProps {
  name: string;
  address: string;
  status: PresenceStatus | undefined;
  note: string | undefined;
  messages: readonly BubbleItem[];
  hasOlder: boolean;
  draft: string;
  canSend: boolean;
  onDraft(text: string): void;
  onSend(): void;
  onRetry(text: string): void;
  onOlder(): void;
  onBack(): void;
  onCall(): void;
}

export function ConversationView(props: ConversationViewProps) {
  const { t } = useTranslation();
  const log = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const last = props.messages[props.messages.length - 1];

  // Stay at the newest message while the user is at the bottom (or just sent one).
  useLayoutEffect(() => {
    const el = log.current;
    if (el && (pinned.current || last?.direction === 'out')) el.scrollTop = el.scrollHeight;
  }, [last?.id, last?.direction]);

  const lines = Math.min(5, props.draft.split('\n').length);
  const empty = props.draft.trim() === '';
  const presence = props.status ? [t(`presence.status.${props.status}`), props.note].filter(Boolean).join(' — ') : undefined;

  return (
    <div className="chat" onKeyDown={(e) => {
      if (e.key === 'Escape' && !e.defaultPrevented) { e.preventDefault(); props.onBack(); }
    }}>
      <div className="chat__head">
        <button type="button" className="icon-button" onClick={props.onBack} aria-label={t('messages.back')} title={t('messages.back')}>
          <ArrowLeft size={20} aria-hidden="true" />
        </button>
        <span className="avatar-with-dot">
          <Avatar name={props.name} />
          {props.status && <PresenceDot status={props.status} className="presence-dot--badge" />}
        </span>
        <div className="chat__who">
          <h1 className="chat__name">{props.name}</h1>
          <p className="chat__address">{[props.address !== props.name ? props.address : undefined, presence].filter(Boolean).join(' · ')}</p>
        </div>
        <button type="button" className="icon-button chat__call" onClick={props.onCall} aria-label={t('messages.call', { name: props.name })} title={t('messages.call', { name: props.name })}>
          <Phone size={18} aria-hidden="true" />
        </button>
      </div>
      <div className="chat__log" ref={log} role="log" aria-label={t('messages.conversationWith', { name: props.name })} tabIndex={0}
        onScroll={(e) => { const el = e.currentTarget; pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40; }}>
        {props.hasOlder && (
          <p className="chat__older"><button type="button" className="button button--quiet" onClick={props.onOlder}>{t('messages.older')}</button></p>
        )}
        {props.messages.length === 0 && <p className="chat__empty">{t('messages.noMessages', { name: props.name })}</p>}
        {props.messages.map((m) => (
          <div key={m.id} className="chat__item">
            {m.day && <h2 className="chat__day">{m.day}</h2>}
            <div className={`bubble bubble--${m.direction} ${m.status === 'failed' ? 'bubble--failed' : ''}`}>
              <p className="bubble__text">
                <span className="visually-hidden">{m.direction === 'out' ? t('messages.you') : props.name}: </span>
                {m.text}
              </p>
              <p className="bubble__meta">
                <time title={m.fullTime}>{m.time}</time>
                {m.status && <span className={`bubble__status bubble__status--${m.status}`}>
                  {m.status === 'failed' && m.code ? t('messages.status.failedCode', { code: m.code }) : t(`messages.status.${m.status}`)}
                </span>}
              </p>
            </div>
            {m.status === 'failed' && (
              <p className="bubble__retry"><button type="button" className="link-button" onClick={() => props.onRetry(m.text)}>{t('messages.retry')}</button></p>
            )}
          </div>
        ))}
      </div>
      <form className="chat__composer" onSubmit={(e) => { e.preventDefault(); if (!empty && props.canSend) props.onSend(); }}>
        <textarea className="text-input chat__input" aria-label={t('messages.message')} placeholder={t('messages.placeholder', { name: props.name })}
          rows={lines} value={props.draft} autoFocus maxLength={16_384}
          onChange={(e) => props.onDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              if (!empty && props.canSend) props.onSend();
            }
          }} />
        <button type="submit" className="chat__send" aria-label={t('messages.send')} title={t('messages.sendHint')} aria-disabled={empty || !props.canSend}>
          <SendHorizontal size={20} aria-hidden="true" />
        </button>
      </form>
    </div>
  );
}
