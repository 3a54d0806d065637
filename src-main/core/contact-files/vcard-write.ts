/**
 * Export: every contact as one vCard 4.0 file (RFC 6350), serialised by ical.js. Telephone numbers
 * are TEL text values as the person wrote them, SIP addresses IMPP URIs; a label with no vCard TYPE
 * travels in X-NIMBUS-LABEL and the favourite flag in X-NIMBUS-FAVOURITE, so an export imports back
 * as the same contacts.
 */
import ICAL from 'ical.js';
import type { Contact } from '../../contract/directory.js';
import { addressOf, isTelephoneNumber } from '../../store/contact-numbers.js';
import { vcardTypeOf } from './number-labels.js';

export function contactsToVCard(contacts: Iterable<Contact>): string {
  const cards: string[] = [];
  for (const c of contacts) cards.push(contactToVCard(c));
  return cards.join('');
}

function contactToVCard(c: Contact): string {
  const card = new ICAL.Component(['vcard', [], []]);
  card.addPropertyWithValue('version', '4.0');
  card.addPropertyWithValue('fn', c.name);
  if (c.company) {
    // ORG is structured (RFC 6350 §6.6.4): one unit, its ';' escaped.
    const org = new ICAL.Property('org');
    org.setValue([c.company] as unknown as string);
    card.addProperty(org);
  }
  for (const n of c.numbers) {
    const sip = !isTelephoneNumber(addressOf(n.value).user) || /^sips?:/i.test(n.value);
    const p = new ICAL.Property(sip ? 'impp' : 'tel');
    if (sip) {
      p.setValue(/^sips?:/i.test(n.value) ? n.value : `sip:${n.value}`);
      if (n.label !== 'sip') p.setParameter('x-nimbus-label', n.label);
    } else {
      p.resetType('text');
      p.setValue(n.value);
      const type = vcardTypeOf(n.label);
      if (type) p.setParameter('type', type);
      else if (n.label !== 'other') p.setParameter('x-nimbus-label', n.label);
    }
    card.addProperty(p);
  }
  if (c.email) card.addPropertyWithValue('email', c.email);
  if (c.notes) card.addPropertyWithValue('note', c.notes);
  if (c.favourite) card.addPropertyWithValue('x-nimbus-favourite', 'true');
  return `${card.toString()}\r\n`;
}
