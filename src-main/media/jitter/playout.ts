/** Types shared by the jitter buffer and its callers. */

export interface RtpAudioPacket {
  sequence: number;
  timestamp: number;
  ssrc: number;
  marker: boolean;
  payload: Uint8Array;
}

/**
 * What the engine does for one frame. The object and its payload views are reused: valid until the
 * next pop(). `timestamp` is the RTP timestamp the frame stands for.
 * - play: decode `payload`. When `dropped` is set, the buffer skipped that packet to shrink its
 *   delay (clock drift): a stateful decoder may decode it into scratch and discard the audio.
 * - conceal: the packet is missing (lost or late): run the codec's concealment; `next` is the
 *   packet after the gap when it is already here (Opus in-band FEC).
 * - insert: one extra frame to grow the delay (clock drift): conceal without consuming a packet.
 * - silence: nothing to play (buffering, the sender's silence/DTX, or a long gap).
 */
export type PlayoutDecision =
  | { readonly kind: 'play'; readonly payload: Uint8Array; readonly timestamp: number; readonly marker: boolean; readonly dropped: Uint8Array | undefined }
  | { readonly kind: 'conceal'; readonly timestamp: number; readonly next: Uint8Array | undefined }
  | { readonly kind: 'insert'; readonly timestamp: number }
  | { readonly kind: 'silence'; readonly timestamp: number };

export type JitterState = 'idle' | 'buffering' | 'playing';

/** Named events, for diagnostics (never called with allocated data). */
export type JitterEvent =
  | 'buffering' | 'playing' | 'underflow' | 'overflow' | 'late' | 'duplicate'
  | 'resync' | 'ssrc-change' | 'drop' | 'insert';

export interface JitterBufferOptions {
  /** RTP clock rate, Hz. */
  clockRate: number;
  /** Frame duration pop() is called at (ptime), ms. */
  frameMs: number;
  /** Bounds of the target delay, ms (default 20 and 200). */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Target before enough packets were measured, ms (default 60). */
  initialDelayMs?: number;
  /** Share of packets that must arrive in time: target = quantile(spread) + frame (default 0.98). */
  quantile?: number;
  /** Packets in the delay statistics window (default 100, ≈ 2 s at 20 ms). */
  historyPackets?: number;
  /** Packet slots, a power of two (default: ≥ 2 × maxDelay / frame + 16). */
  capacity?: number;
  /** Largest payload kept, bytes (default 1500). */
  maxPayload?: number;
  /** Longest run of concealment before the buffer plays silence instead, ms (default 100). */
  maxConcealMs?: number;
  /** How long a wanted drop / insert waits for a silent moment before it is done anyway, ms (default 3000 / 100). */
  dropWaitMs?: number;
  insertWaitMs?: number;
  /** A packet this far outside the playout window re-syncs the timeline, ms (default 1000). */
  resyncMs?: number;
  onEvent?: (event: JitterEvent) => void;
}

export interface JitterStats {
  state: JitterState;
  received: number;
  played: number;
  concealed: number;
  silence: number;
  /** Arrived after their playout time, dropped. */
  late: number;
  duplicate: number;
  reordered: number;
  /** Sequence numbers skipped at playout (never arrived by then). */
  lost: number;
  /** Frames dropped / inserted to follow the target delay (drift compensation). */
  dropped: number;
  inserted: number;
  resyncs: number;
  ssrcChanges: number;
  overflows: number;
  underflows: number;
  /** Playout delay over the fastest packet, and its target, ms. */
  delayMs: number;
  targetMs: number;
  /** RFC 3550 interarrival jitter, ms. */
  jitterMs: number;
}
