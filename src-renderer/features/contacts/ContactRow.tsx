/** One contact: a button that calls its first number (click or Enter), and Edit. */
import { Pencil, Star } from 'lucide-react';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact } from '../../../src-main/contract/directory.js';
import { Avatar } from '../../ui/Avatar.js';
import { MessageContactButton } from '../messages/MessageContactButton.js';
import { ContactPresenceDot } from '../presence/ContactPresenceDot.js';

export interface ContactRowProps {
  contact: Contact;
  onCall(): void;
  onEdit(): void;
}

/** Memoised on the contact (see HistoryRow): callbacks must always do the latest thing. */
export const ContactRow = memo(ContactRowImpl, (a, b) => a.contact === b.contact);

function ContactRowImpl({ contact, onCall, onEdit }: ContactRowProps) {
  const { t } = useTranslation();
  const first = contact.numbers[0];
  const more = contact.numbers.length - 1;
  const nameId = `contact-${contact.id}-name`;
  const detail = [contact.company, first ? `${first.value}${more > 0 ? ` (+${more})` : ''}` : t('contacts.noNumber')].filter(Boolean).join(' · ');
  return (
    <div className="contact-row">
      <button type="button" className="contact-row__main" onClick={onCall} disabled={!first}
        title={first ? t('contacts.callNumber', { number: first.value }) : undefined}>
        <span className="avatar-with-dot">
          <Avatar name={contact.name} />
          <ContactPresenceDot numbers={contact.numbers} />
        </span>
        <span className="contact-row__text">
          <span className="contact-row__name" id={nameId}>
            {contact.name}
            {contact.favourite && <Star size={13} className="contact-row__star" aria-label={t('contacts.favourite')} role="img" />}
          </span>
          <span className="contact-row__detail">{detail}</span>
        </span>
      </button>
      <MessageContactButton name={contact.name} numbers={contact.numbers} />
      <button type="button" className="icon-button" onClick={onEdit} aria-label={t('contacts.edit')} aria-describedby={nameId} title={t('contacts.edit')}>
        <Pencil size={18} aria-hidden="true" />
      </button>
    </div>
  );
}
