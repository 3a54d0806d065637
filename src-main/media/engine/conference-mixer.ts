/**
 * The local 3-way conference: the streams bridged together, and for each member the frame it
 * sends — our microphone plus what every other member played in the last period (N−1 mix),
 * saturating to 16 bits. Owns its buffers: no allocation per frame once the frame size is known.
 */
export class ConferenceMixer {
  private readonly members = new Set<string>();
  private frame = new Int16Array(960);
  /** The other members' last periods, gathered once per frame (reused). */
  private readonly others: Int16Array[] = [];

  /** Bridges exactly these streams (an empty list ends the conference). */
  set(streams: readonly string[]): void {
    this.members.clear();
    for (const id of streams) this.members.add(id);
  }

  has(stream: string): boolean {
    return this.members.has(stream);
  }

  delete(stream: string): void {
    this.members.delete(stream);
  }

  /**
   * What `member` sends this period: `mic` plus every other member's last played frame
   * (`lastPlayed` answers for a stream id, undefined for one that is gone). The result is valid
   * until the next call.
   */
  mix(mic: Int16Array, member: string, lastPlayed: (stream: string) => Int16Array | undefined): Int16Array {
    if (this.frame.length !== mic.length) this.frame = new Int16Array(mic.length);
    const others = this.others;
    others.length = 0;
    for (const id of this.members) {
      const played = id === member ? undefined : lastPlayed(id);
      if (played) others.push(played);
    }
    const frame = this.frame;
    for (let i = 0; i < mic.length; i++) {
      let v = mic[i]!;
      for (const played of others) v += played[i] ?? 0;
      frame[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    return frame;
  }
}
