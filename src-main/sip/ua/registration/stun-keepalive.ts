/**
 * STUN keep-alive on a UDP flow to the registrar (RFC 5626 §4.4.2): a Binding request from the SIP
 * socket to the registrar's own address and port (the same 5-tuple as the REGISTER), repeated at a
 * random 80–100 % of the keep-alive interval (§4.4.1). Each answer carries XOR-MAPPED-ADDRESS, the
 * NAT mapping of the flow: when it differs from the previous one the flow has failed (§4.4.2) and
 * the registerer registers again.
 *
 * A registrar that has not said it does STUN (no Flow-Timer, no outbound) is probed at once, right
 * after its 2xx proved the flow, with a short transaction (PROBE_SENDS): no answer while the flow is
 * known to work means it does not do STUN, decided in 11.5 s instead of one interval plus 39.5 s, and
 * a dead flow found one interval later is not taken for a registrar without STUN.
 *
 *   waiting ─timer─► pinging ─answer─► waiting            (mapping changed: onRemapped)
 *                       │ no answer, never answered ─► stopped (onUnanswered: registrar without STUN)
 *                       └ no answer after answers  ─► stopped (onFailure: the flow is gone)
 */
import type { Clock } from '../../../util/clock.js';
import type { Random } from '../../../util/random.js';
import type { StunBindingOutcome } from '../../transport/udp-stun.js';
import { KeepAliveTimer } from './keepalive-timer.js';

/**
 * Sends of the probe transaction (RFC 8489 §6.2.1: Rc SHOULD be configurable): at 0, 0.5, 1.5 and
 * 3.5 s, given up 8 s (Rm·RTO) after the last. A false "no STUN" needs all four requests or
 * answers lost on a flow that just answered, and costs only OPTIONS keep-alives instead.
 */
export const PROBE_SENDS = 4;

export interface MappedAddress {
  address: string;
  port: number;
}

export interface StunKeepAliveDeps {
  clock: Clock;
  random: Random;
  /** One Binding transaction to the registrar's flow (retransmissions included; `sends` caps them). */
  binding(sends?: number): Promise<StunBindingOutcome>;
  /** Keep-alive interval [ms]: each wait is 80–100 % of it. */
  intervalMs: number;
  /** The registrar said it does STUN keep-alives (RFC 5626 outbound or Flow-Timer): no answer is a failure. */
  expected: boolean;
  /** Every answer (the flow's public mapping). */
  onMapped?(mapped: MappedAddress): void;
  /** The mapping differs from the previous answer's. */
  onRemapped(previous: MappedAddress, current: MappedAddress): void;
  /** No answer and none ever came (nor was one promised): use another keep-alive. */
  onUnanswered(detail: string): void;
  /** No answer on a flow that answered before (or promised to): the flow failed. */
  onFailure(detail: string): void;
}

export class StunKeepAlive {
  private readonly timer: KeepAliveTimer;
  private mapped: MappedAddress | undefined;
  /** Answers received; 0 until the registrar has shown it does STUN. */
  answers = 0;

  constructor(private readonly deps: StunKeepAliveDeps) {
    this.timer = new KeepAliveTimer(deps.clock, () => this.nextDelay(), () => void this.ping());
  }

  /** The flow's mapping from the latest answer. */
  get mapping(): MappedAddress | undefined {
    return this.mapped;
  }

  /** The first Binding after one interval, or at once as a probe when STUN support is unknown. */
  start(): void {
    this.timer.start(this.probing);
  }

  /** No answer yet and none promised: the next Binding asks whether the registrar does STUN at all. */
  private get probing(): boolean {
    return this.answers === 0 && !this.deps.expected;
  }

  stop(): void {
    this.timer.stop();
  }

  /** RFC 5626 §4.4.1: a random 80–100 % of the interval, so phones behind one NAT do not ping together. */
  nextDelay(): number {
    return Math.round(this.deps.intervalMs * (0.8 + (0.2 * this.deps.random.int(1001)) / 1000));
  }

  private async ping(): Promise<void> {
    const outcome = await this.deps.binding(this.probing ? PROBE_SENDS : undefined);
    if (!this.timer.running) return;
    if (!outcome.ok) {
      this.timer.stop();
      if (this.answers === 0 && !this.deps.expected) this.deps.onUnanswered(outcome.detail);
      else this.deps.onFailure(outcome.detail);
      return;
    }
    this.answers++;
    const previous = this.mapped;
    this.mapped = outcome.mapped;
    this.timer.next();
    this.deps.onMapped?.(outcome.mapped);
    if (previous && (previous.address !== outcome.mapped.address || previous.port !== outcome.mapped.port)) {
      this.deps.onRemapped(previous, outcome.mapped);
    }
  }
}
