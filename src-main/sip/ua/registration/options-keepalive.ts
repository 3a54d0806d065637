/**
 * OPTIONS ping (RFC 3261 §11) to the registrar while registered over UDP: keeps the NAT binding
 * open and notices a dead network or registrar sooner than the next refresh. Any final response
 * means the path works; a timeout or transport error reports the flow as failed.
 * (Stream flows use RFC 5626 CRLF keep-alive in the transport instead.)
 */
import { formatNameAddr, Headers } from '../../message/index.js';
import type { NameAddr, SipRequest, SipResponse, SipUri } from '../../message/index.js';
import type { Clock } from '../../../util/clock.js';
import type { TransportProtocol } from '../../transport/types.js';
import { OutgoingRequest, type RequestContext } from '../core/outgoing-request.js';
import { KeepAliveTimer } from './keepalive-timer.js';

export interface OptionsKeepAliveDeps {
  ctx: RequestContext;
  clock: Clock;
  target: SipUri;
  protocol: TransportProtocol;
  from: NameAddr;
  userAgent: string;
  intervalMs: number;
  /** Every final response (its Via shows how the registrar sees us now, RFC 3581 §4). */
  onResponse?(response: SipResponse): void;
  onFailure(detail: string): void;
}

export class OptionsKeepAlive {
  private seq = 0;
  private readonly callId: string;
  private readonly timer: KeepAliveTimer;

  constructor(private readonly deps: OptionsKeepAliveDeps) {
    this.callId = deps.ctx.random.token(120);
    this.timer = new KeepAliveTimer(deps.clock, () => deps.intervalMs, () => this.ping());
  }

  /** `now`: the first OPTIONS at once (a flow no keep-alive has confirmed yet), else after an interval. */
  start(now = false): void {
    this.timer.start(now);
  }

  stop(): void {
    this.timer.stop();
  }

  private ping(): void {
    const h = new Headers();
    h.append('Max-Forwards', '70');
    h.append('From', `${formatNameAddr(this.deps.from)};tag=${this.deps.ctx.random.token(64)}`);
    h.append('To', formatNameAddr({ uri: this.deps.target, params: new Map() }));
    h.append('Call-ID', this.callId);
    h.append('CSeq', `${++this.seq} OPTIONS`);
    h.append('Accept', 'application/sdp');
    h.append('User-Agent', this.deps.userAgent);
    const request: SipRequest = { kind: 'request', method: 'OPTIONS', uri: this.deps.target, headers: h, body: Buffer.alloc(0) };
    void new OutgoingRequest(this.deps.ctx, request, { nextHop: this.deps.target, protocol: this.deps.protocol }, {
      onFinal: (response) => {
        if (!this.timer.running) return;
        this.timer.next();
        this.deps.onResponse?.(response);
      },
      onFailure: (_reason, detail) => {
        if (!this.timer.running) return;
        this.timer.stop();
        this.deps.onFailure(detail);
      },
    }).start();
  }
}
