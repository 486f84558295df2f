/**
 * A bounded set of recently seen ids. Telegram redelivers an update when a webhook request
 * fails or the offset was not confirmed before a restart; within one process this catches
 * the copy before it reaches the core, whose (channel, platform id) check covers the rest.
 */
export class RecentIds {
  private readonly seen = new Set<number>();

  constructor(private readonly capacity: number) {}

  /** Add `id`; returns false when it was already present. Evicts the oldest id when full. */
  add(id: number): boolean {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    if (this.seen.size > this.capacity) {
      // A Set iterates in insertion order, so the first value is the oldest.
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return true;
  }

  /** Forget `id`, so a redelivery after a failed hand-off is handled. */
  delete(id: number): void {
    this.seen.delete(id);
  }
}
