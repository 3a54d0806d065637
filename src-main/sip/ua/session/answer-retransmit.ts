/**
 * The 2xx to an INVITE is the UAS core's to retransmit (RFC 3261 §13.3.1.4): T1 doubling to T2
 * until the ACK with the same CSeq arrives, giving up after 64*T1.
 *
 *   idle ──start()──► waiting ──ACK (same CSeq)──► idle (onAck)
 *                     waiting ──64*T1──► idle (onGiveUp)      waiting ──stop()──► idle
 */
import { getCSeq } from '../../message/index.js';
import type { SipRequest, SipResponse } from '../../message/index.js';
import type { ServerTransaction } from '../../transaction/index.js';
import type { Clock, TimerHandle } from '../../../util/clock.js';

export class AnswerRetransmitter {
  /** The INVITE whose 2xx awaits its ACK (§14.2: a second re-INVITE meanwhile gets 500). */
  pending: ServerTransaction | undefined;
  private seq = 0;
  private timer: TimerHandle | undefined;
  private giveUp: TimerHandle | undefined;
  private onAck: ((ack: SipRequest) => void) | undefined;

  constructor(private readonly clock: Clock, private readonly t1: number, private readonly t2: number) {}

  start(request: SipRequest, tx: ServerTransaction, ok: SipResponse, onAck: (ack: SipRequest) => void, onGiveUp: () => void): void {
    this.stop();
    this.pending = tx;
    this.seq = getCSeq(request).seq;
    this.onAck = onAck;
    tx.respond(ok);
    let interval = this.t1;
    const tick = () => {
      tx.respond(ok);
      interval = Math.min(interval * 2, this.t2);
      this.timer = this.clock.setTimeout(tick, interval);
    };
    this.timer = this.clock.setTimeout(tick, interval);
    // §13.3.1.4: "If the server retransmits the 2xx response for 64*T1 seconds without receiving
    // an ACK, the dialog is confirmed, but the session SHOULD be terminated" (with a BYE).
    this.giveUp = this.clock.setTimeout(() => {
      this.stop();
      onGiveUp();
    }, 64 * this.t1);
  }

  /** An ACK in the dialog; true when it was the one awaited. */
  ack(ack: SipRequest): boolean {
    const onAck = this.onAck;
    if (!this.pending || !onAck || getCSeq(ack).seq !== this.seq) return false;
    this.stop();
    onAck(ack);
    return true;
  }

  stop(): void {
    this.clock.clearTimeout(this.timer);
    this.clock.clearTimeout(this.giveUp);
    this.pending = undefined;
    this.onAck = undefined;
  }
}
