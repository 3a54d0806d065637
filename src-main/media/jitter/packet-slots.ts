/**
 * Preallocated packet storage for the jitter buffer: `capacity` slots (a power of two) indexed by
 * extended sequence number, payloads copied into one arena. A slot remembers its packet after
 * playout (state PLAYED) so a late duplicate is still recognised. No allocation per packet; the
 * payload view of a slot is cached and only rebuilt when its length changes.
 */
export const SLOT_EMPTY = 0;
export const SLOT_FILLED = 1;
export const SLOT_PLAYED = 2;

export class PacketSlots {
  readonly mask: number;
  /** Extended sequence number held by each slot (NaN when never used). */
  readonly seq: Float64Array;
  /** Playout-timeline timestamp [RTP units, extended]. */
  readonly ts: Float64Array;
  /** Timestamp as received (32-bit). */
  readonly rawTs: Float64Array;
  readonly marker: Uint8Array;
  readonly state: Uint8Array;
  private readonly length: Int32Array;
  private readonly arena: Uint8Array;
  private readonly views: Uint8Array[];

  constructor(readonly capacity: number, readonly maxPayload: number) {
    if (capacity & (capacity - 1)) throw new RangeError('capacity must be a power of two');
    this.mask = capacity - 1;
    this.seq = new Float64Array(capacity).fill(NaN);
    this.ts = new Float64Array(capacity);
    this.rawTs = new Float64Array(capacity);
    this.marker = new Uint8Array(capacity);
    this.state = new Uint8Array(capacity);
    this.length = new Int32Array(capacity);
    this.arena = new Uint8Array(capacity * maxPayload);
    this.views = Array.from({ length: capacity }, (_, i) => this.arena.subarray(i * maxPayload, i * maxPayload));
  }

  index(extSeq: number): number {
    return extSeq & this.mask;
  }

  /** The slot holding `extSeq` in `state`, or -1. */
  find(extSeq: number, state: number): number {
    const i = extSeq & this.mask;
    return this.seq[i] === extSeq && this.state[i] === state ? i : -1;
  }

  /** The slot's current state for `extSeq` (SLOT_EMPTY when it holds another packet). */
  stateOf(extSeq: number): number {
    const i = extSeq & this.mask;
    return this.seq[i] === extSeq ? this.state[i]! : SLOT_EMPTY;
  }

  store(extSeq: number, ts: number, rawTs: number, marker: boolean, payload: Uint8Array): void {
    const i = extSeq & this.mask;
    const n = Math.min(payload.length, this.maxPayload);
    this.arena.set(n === payload.length ? payload : payload.subarray(0, n), i * this.maxPayload);
    this.seq[i] = extSeq;
    this.ts[i] = ts;
    this.rawTs[i] = rawTs;
    this.marker[i] = marker ? 1 : 0;
    this.state[i] = SLOT_FILLED;
    this.length[i] = n;
  }

  payload(i: number): Uint8Array {
    let view = this.views[i]!;
    if (view.length !== this.length[i]) {
      view = this.arena.subarray(i * this.maxPayload, i * this.maxPayload + this.length[i]!);
      this.views[i] = view;
    }
    return view;
  }

  clear(): void {
    this.seq.fill(NaN);
    this.state.fill(SLOT_EMPTY);
  }
}
