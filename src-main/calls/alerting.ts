/** How a new call announces itself: the ringer when idle, a call-waiting beep in the earpiece during a call. */
import type { Call } from './call.js';
import type { CallEngine } from './ports.js';

export class Alerting {
  private mode: 'none' | 'ring' | 'waiting' = 'none';
  private beeping: Call | undefined;

  constructor(private readonly engine: Pick<CallEngine, 'ring' | 'tone'>) {}

  update(calls: Iterable<Call>): void {
    const all = [...calls];
    const ringing = all.some((c) => c.state === 'incoming');
    const active = all.find((c) => c.signalling === 'confirmed' && !c.onHold);
    const next = !ringing ? 'none' : active ? 'waiting' : 'ring';
    if (next === this.mode && this.beeping === (next === 'waiting' ? active : undefined)) return;
    if ((next === 'ring') !== (this.mode === 'ring')) this.engine.ring(next === 'ring');
    if (this.beeping && this.beeping !== active) this.engine.tone(this.beeping.media.stream, 'none');
    if (active) this.engine.tone(active.media.stream, next === 'waiting' ? 'call-waiting' : 'none');
    this.beeping = next === 'waiting' ? active : undefined;
    this.mode = next;
  }
}
