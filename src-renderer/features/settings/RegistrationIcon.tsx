/** Registration state as an icon whose shape (not only its colour) tells the state. Decorative. */
import { CircleCheck, CircleMinus, LoaderCircle, TriangleAlert } from 'lucide-react';
import type { RegistrationText } from './registration.js';

const icons = { ok: CircleCheck, busy: LoaderCircle, off: CircleMinus, error: TriangleAlert };

export function RegistrationIcon({ tone, size = 14 }: { tone: RegistrationText['tone']; size?: number }) {
  const Icon = icons[tone];
  return <Icon size={size} aria-hidden="true" className={`registration__icon registration__icon--${tone}`} />;
}
