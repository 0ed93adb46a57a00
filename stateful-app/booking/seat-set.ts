/** Index of the lowest set bit of a non-zero 32-bit word. */
function lowestBit(word: number): number {
  return 31 - Math.clz32(word & -word);
}

/**
 * A set of seat indexes `[0, size)` that finds the next member from any position fast: a bitset (one bit per
 * seat) plus a summary bitset (one bit per non-empty word of 32 seats). `next` skips 1,024 absent seats per
 * summary word, so a listing finds the `limit` available seats of a mostly sold-out event without visiting the
 * sold ones: O(limit + size / 1024), with ~0.13 bytes per seat.
 */
export class SeatSet {
  private readonly words: Uint32Array;
  private readonly summary: Uint32Array;

  constructor(readonly size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
    this.summary = new Uint32Array(Math.ceil(this.words.length / 32));
  }

  /** Every seat in the set (a fresh event: all available). */
  fill(): this {
    for (let i = 0; i < this.size; i++) this.add(i);
    return this;
  }

  has(i: number): boolean {
    return ((this.words[i >>> 5] ?? 0) & (1 << (i & 31))) !== 0;
  }

  add(i: number): void {
    const w = i >>> 5;
    this.words[w] = (this.words[w] ?? 0) | (1 << (i & 31));
    this.summary[w >>> 5] = (this.summary[w >>> 5] ?? 0) | (1 << (w & 31));
  }

  delete(i: number): void {
    const w = i >>> 5;
    const word = (this.words[w] ?? 0) & ~(1 << (i & 31));
    this.words[w] = word;
    if (word === 0) this.summary[w >>> 5] = (this.summary[w >>> 5] ?? 0) & ~(1 << (w & 31));
  }

  /** The smallest member in `[from, end)`, or -1. */
  next(from: number, end = this.size): number {
    if (from >= end) return -1;
    let w = from >>> 5;
    const first = ((this.words[w] ?? 0) & (-1 << (from & 31))) >>> 0;
    if (first !== 0) return this.within(w * 32 + lowestBit(first), end);
    // Find the next non-empty word through the summary, 32 words (1,024 seats) per step.
    w++;
    let s = w >>> 5;
    let bits = ((this.summary[s] ?? 0) & (-1 << (w & 31))) >>> 0;
    while (bits === 0) {
      s++;
      if (s >= this.summary.length || s * 1024 >= end) return -1;
      bits = this.summary[s] ?? 0;
    }
    w = s * 32 + lowestBit(bits);
    return this.within(w * 32 + lowestBit(this.words[w] ?? 0), end);
  }

  private within(i: number, end: number): number {
    return i < end ? i : -1;
  }
}
