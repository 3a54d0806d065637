/**
 * `dst.set(src.subarray(from, to), at)` without the subarray: a view is a heap object, and on the
 * media path (every frame, every packet) those objects are most of what the worker's young
 * generation collects (issue 10: no allocation per frame on the send and receive paths).
 */
export function copySamples<T extends Int16Array | Uint8Array | Float32Array>(dst: T, at: number, src: T, from: number, to: number): void {
  for (let i = from, j = at; i < to; i++, j++) dst[j] = src[i]!;
}

/**
 * `array.subarray(0, length)`, kept while the length stays the same (a codec's frame or packet
 * size seldom changes): the view is made again only when the length differs.
 */
export class PrefixView<T extends Int16Array | Uint8Array> {
  private view: T;

  constructor(private readonly array: T) {
    this.view = array.subarray(0, 0) as T;
  }

  of(length: number): T {
    if (this.view.length !== length) this.view = this.array.subarray(0, length) as T;
    return this.view;
  }
}
