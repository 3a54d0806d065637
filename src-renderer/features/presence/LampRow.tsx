/**
 * One monitored colleague: the lamp button (named "<name>, <state>", e.g. "1002, ringing") calls
 * them, or picks up the call ringing there; Pick up on a ringing lamp; during a call, Transfer to
 * them; Message; Remove while editing. Presence (status and note) is the button's description.
 */
import { MessageSquare, PhoneForwarded, PhoneIncoming, X } from 'lucide-react';
import type { KeyboardEvent, Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { LampState, PresenceStatus } from '../../../src-main/contract/presence.js';
import { Lamp } from './Lamp.js';
import { PresenceDot } from './PresenceDot.js';

export interface LampItem {
  uri: string;
  name: string;
  /** The extension or address, when the name is a contact's. */
  address: string | undefined;
  lamp: LampState;
  /** Presence beside the lamp (presence-model.ts lampPresence): the dot, the status word if it adds anything, the note. */
  dot: PresenceStatus | undefined;
  status: PresenceStatus | undefined;
  note: string | undefined;
  /** During a call: the current call can be transferred here (not to the party on it). */
  transferable: boolean;
}

export interface LampRowProps {
  item: LampItem;
  index: number;
  /** This row holds the list's tab stop (roving focus: arrows move between rows). */
  active: boolean;
  editing: boolean;
  mainRef?: Ref<HTMLButtonElement>;
  onActivate(): void;
  onPickUp(): void;
  onTransfer(): void;
  onMessage(): void;
  onRemove(): void;
  onKeyDown(e: KeyboardEvent<HTMLButtonElement>): void;
  onFocus(): void;
}

export function LampRow({ item, index, active, editing, mainRef, ...on }: LampRowProps) {
  const { t } = useTranslation();
  const id = `lamp-${index}`;
  const stop = active ? 0 : -1;
  const state = t(`presence.lamp.${item.lamp}`);
  const presence = [item.status ? t(`presence.status.${item.status}`) : undefined, item.note].filter(Boolean).join(' — ') || undefined;
  return (
    <li className={`lamp-row lamp-row--${item.lamp}`}>
      <button ref={mainRef} type="button" className="lamp-row__main" tabIndex={stop} data-lamp-index={index}
        aria-label={t('presence.lampName', { name: item.name, state })}
        aria-describedby={presence || item.address ? `${id}-about` : undefined}
        title={item.lamp === 'ringing' ? t('presence.pickUpHint', { name: item.name }) : t('presence.callHint', { name: item.name })}
        onClick={on.onActivate} onKeyDown={on.onKeyDown} onFocus={on.onFocus}>
        <Lamp state={item.lamp} />
        <span className="lamp-row__text">
          <span className="lamp-row__name" id={`${id}-name`}>{item.name}</span>
          <span className="lamp-row__spacer" aria-hidden="true">&nbsp;</span>
        </span>
      </button>
      {/* Under the name, over the button (clicks go through): the state is in the button's name,
          the rest is its description — so the button's visible text stays within its name. */}
      <span className="lamp-row__detail" aria-hidden="true">
        <span className={`lamp-row__state lamp-row__state--${item.lamp}`}>{state}</span>
        <span id={`${id}-about`} className="lamp-row__about">
          {item.address && <span className="lamp-row__address">{item.address}</span>}
          {presence && item.dot && (
            <span className="lamp-row__presence"><PresenceDot status={item.dot} />{presence}</span>
          )}
        </span>
      </span>
      <span className="lamp-row__actions">
        {item.lamp === 'ringing' && (
          <button type="button" className="button button--accept lamp-row__pickup" onClick={on.onPickUp} aria-describedby={`${id}-name`}>
            <PhoneIncoming size={16} aria-hidden="true" />{t('presence.pickUp')}
          </button>
        )}
        {item.transferable && item.lamp !== 'ringing' && (
          <button type="button" className="button lamp-row__transfer" tabIndex={stop} onClick={on.onTransfer}
            aria-label={t('presence.transferTo', { name: item.name })} title={t('presence.transferTo', { name: item.name })}>
            <PhoneForwarded size={16} aria-hidden="true" />{t('call.transfer')}
          </button>
        )}
        {editing ? (
          <button type="button" className="icon-button" onClick={on.onRemove}
            aria-label={t('presence.remove', { name: item.name })} title={t('presence.remove', { name: item.name })}>
            <X size={18} aria-hidden="true" />
          </button>
        ) : (
          <button type="button" className="icon-button" tabIndex={stop} onClick={on.onMessage}
            aria-label={t('presence.messageTo', { name: item.name })} title={t('presence.messageTo', { name: item.name })}>
            <MessageSquare size={18} aria-hidden="true" />
          </button>
        )}
      </span>
    </li>
  );
}
