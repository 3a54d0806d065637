/** A busy lamp: idle, ringing (blinks unless reduced motion is asked; a bell says it too), busy, unknown. Decorative. */
import { BellRing } from 'lucide-react';
import type { LampState } from '../../../src-main/contract/presence.js';

export function Lamp({ state }: { state: LampState }) {
  return (
    <span className={`lamp lamp--${state}`} aria-hidden="true">
      {state === 'ringing' && <BellRing size={12} strokeWidth={2.5} />}
    </span>
  );
}
