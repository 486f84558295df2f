/**
 * A bounded set of recently seen update ids. Telegram redelivers an update when a webhook
 * request fails or when the offset was not confirmed before a restart. Within one process
 * this set drops the copy before the core sees it, and the core's check on
 * (channel, platform message id) covers restarts.
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
