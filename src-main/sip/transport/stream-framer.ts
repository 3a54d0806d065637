/**
 * RFC 3261 §18.3 stream framing: split a TCP/TLS byte stream into whole SIP messages using the
 * end of headers (CRLFCRLF) and Content-Length, which is mandatory on streams.
 * Between messages, RFC 5626 §4.4.1 keep-alives: CRLFCRLF is a ping, a lone CRLF a pong; CRLFs
 * before a message are ignored anyway (§7.5).
 *
 * Linear time: bytes are appended to one growable buffer and each byte is scanned a bounded number
 * of times, even when the peer sends one byte per segment.
 */

export interface StreamFramerHandler {
  /** One whole message (start line through body). The buffer is the caller's to keep. */
  message(data: Buffer): void;
  /** A CRLFCRLF ping arrived between messages: answer with a CRLF pong (RFC 5626 §4.4.1). */
  ping(): void;
  /** A CRLF arrived between messages: the peer is alive (pong to our ping). */
  pong(): void;
  /** Unrecoverable framing error; the connection should be closed. The framer stops. */
  error(reason: string): void;
}

export interface StreamFramerLimits {
  /** Most bytes of start line + headers before CRLFCRLF. */
  maxHeaderBytes: number;
  /** Largest Content-Length accepted. */
  maxBodyBytes: number;
}

export const defaultFramerLimits: StreamFramerLimits = { maxHeaderBytes: 64 * 1024, maxBodyBytes: 1024 * 1024 };

const CR = 0x0d;
const LF = 0x0a;
const CRLFCRLF = Buffer.from('\r\n\r\n');

const enum State {
  /** Between messages: skipping CRLF keep-alives. */
  Idle,
  /** Inside a start line / headers: looking for CRLFCRLF. */
  Headers,
  /** Headers done: waiting for Content-Length body bytes. */
  Body,
  Failed,
}

export class StreamFramer {
  private buf: Buffer;
  /** Unconsumed bytes are buf[start, end). */
  private start = 0;
  private end = 0;
  private state = State.Idle;
  /** Where the next CRLFCRLF search begins (never rescans bytes already searched). */
  private scanFrom = 0;
  /** Offset just past the CRLFCRLF of the current message, in Body state. */
  private bodyStart = 0;
  private contentLength = 0;
  /** CRLF pairs seen in the current run between messages. */
  private crlfRun = 0;

  constructor(
    private readonly handler: StreamFramerHandler,
    private readonly limits: StreamFramerLimits = defaultFramerLimits,
  ) {
    this.buf = Buffer.allocUnsafe(4096);
  }

  /** Bytes buffered but not yet framed. */
  get buffered(): number {
    return this.end - this.start;
  }

  get failed(): boolean {
    return this.state === State.Failed;
  }

  push(chunk: Buffer): void {
    if (this.state === State.Failed || chunk.length === 0) return;
    this.append(chunk);
    this.drain();
  }

  private append(chunk: Buffer): void {
    if (this.start === this.end) this.rebase(this.start);
    if (this.end + chunk.length > this.buf.length) {
      const live = this.end - this.start;
      if (this.start > 0 && live + chunk.length <= this.buf.length) {
        // Compact in place: each byte moves at most once per doubling, so appends stay linear.
        this.buf.copyWithin(0, this.start, this.end);
        this.rebase(this.start);
      } else {
        const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, live + chunk.length));
        this.buf.copy(next, 0, this.start, this.end);
        this.buf = next;
        this.rebase(this.start);
      }
    }
    chunk.copy(this.buf, this.end);
    this.end += chunk.length;
  }

  /** Shift every offset down by `by` after moving live bytes to the front. */
  private rebase(by: number): void {
    this.end -= by;
    this.scanFrom = Math.max(0, this.scanFrom - by);
    this.bodyStart -= by;
    this.start = 0;
  }

  private drain(): void {
    for (;;) {
      switch (this.state) {
        case State.Idle:
          if (!this.skipCrlf()) return;
          break;
        case State.Headers:
          if (!this.findHeaderEnd()) return;
          break;
        case State.Body:
          if (!this.emitBody()) return;
          break;
        case State.Failed:
          return;
      }
    }
  }

  /** Idle: consume CRLF pairs; returns true when a message starts (state changed). */
  private skipCrlf(): boolean {
    const b = this.buf;
    while (this.start < this.end) {
      if (b[this.start] !== CR) {
        if (b[this.start] === LF) return this.fail('Bare LF between messages');
        this.crlfRun = 0;
        this.state = State.Headers;
        this.scanFrom = this.start;
        return true;
      }
      if (this.start + 1 >= this.end) return false; // wait for the LF
      if (b[this.start + 1] !== LF) return this.fail('Bare CR between messages');
      this.start += 2;
      this.crlfRun++;
      if (this.crlfRun === 1) this.handler.pong();
      else if (this.crlfRun % 2 === 0) this.handler.ping();
    }
    return false;
  }

  private findHeaderEnd(): boolean {
    const at = this.buf.subarray(0, this.end).indexOf(CRLFCRLF, this.scanFrom);
    if (at < 0) {
      if (this.end - this.start > this.limits.maxHeaderBytes) {
        return this.fail(`Headers exceed ${this.limits.maxHeaderBytes} bytes`);
      }
      this.scanFrom = Math.max(this.start, this.end - 3);
      return false;
    }
    if (at + 4 - this.start > this.limits.maxHeaderBytes) {
      return this.fail(`Headers exceed ${this.limits.maxHeaderBytes} bytes`);
    }
    const length = readContentLength(this.buf.toString('latin1', this.start, at));
    if (typeof length === 'string') return this.fail(length);
    if (length > this.limits.maxBodyBytes) return this.fail(`Content-Length ${length} exceeds ${this.limits.maxBodyBytes}`);
    this.contentLength = length;
    this.bodyStart = at + 4;
    this.state = State.Body;
    return true;
  }

  private emitBody(): boolean {
    const stop = this.bodyStart + this.contentLength;
    if (this.end < stop) return false;
    const message = Buffer.allocUnsafe(stop - this.start);
    this.buf.copy(message, 0, this.start, stop);
    this.start = stop;
    this.state = State.Idle;
    this.handler.message(message);
    return true;
  }

  private fail(reason: string): false {
    this.state = State.Failed;
    this.start = this.end = 0;
    this.handler.error(reason);
    return false;
  }
}

/**
 * Content-Length (or compact "l", §7.3.3) from a header block; a string is an error reason.
 * §18.3: on streams the header MUST be present; repeated values must agree.
 */
export function readContentLength(head: string): number | string {
  let found: number | undefined;
  let lineStart = head.indexOf('\r\n');
  while (lineStart >= 0) {
    const from = lineStart + 2;
    const next = head.indexOf('\r\n', from);
    const stop = next < 0 ? head.length : next;
    const c = head.charCodeAt(from) | 0x20;
    if (c === 0x63 /* c */ || c === 0x6c /* l */) {
      const colon = head.indexOf(':', from);
      if (colon > from && colon < stop) {
        const name = head.slice(from, colon).trim().toLowerCase();
        if (name === 'content-length' || name === 'l') {
          const text = head.slice(colon + 1, stop).trim();
          if (!/^\d{1,10}$/.test(text)) return `Invalid Content-Length "${text.slice(0, 32)}"`;
          const value = Number(text);
          if (found !== undefined && found !== value) return 'Conflicting Content-Length values';
          found = value;
        }
      }
    }
    lineStart = next;
  }
  return found ?? 'Missing Content-Length on a stream transport';
}
