/** Time-bounded sample storage and percentile math shared by alerts, satisfaction and stats. */

/**
 * Return the `q` quantile (0..1) of ascending `sorted` values by the nearest-rank method,
 * or null when there are no values.
 */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null;
}

/** Samples kept for a fixed span of time; older ones are dropped as time moves on. */
export class SlidingWindow<T> {
  private readonly entries: Array<{ at: number; value: T }> = [];
  /** Index of the oldest live entry; the array is compacted lazily to keep pushes cheap. */
  private head = 0;

  constructor(readonly spanMs: number) {}

  push(at: number, value: T): void {
    this.entries.push({ at, value });
  }

  /** Return the values whose time is within `spanMs` before `now`, oldest first. */
  values(now: number): T[] {
    this.evict(now);
    const live: T[] = [];
    for (let i = this.head; i < this.entries.length; i++) live.push(this.entries[i]!.value);
    return live;
  }

  size(now: number): number {
    this.evict(now);
    return this.entries.length - this.head;
  }

  private evict(now: number): void {
    const cutoff = now - this.spanMs;
    while (this.head < this.entries.length && this.entries[this.head]!.at <= cutoff) this.head++;
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
  }
}
