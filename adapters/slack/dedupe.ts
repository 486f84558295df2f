import type { Clock } from '../../src/clock.js';

/**
 * Remembers recently seen Slack event ids so that a redelivered event (Slack retries
 * with `X-Slack-Retry-Num` when an ack was late) is handled once. Entries expire after
 * `ttlMs`; at `maxEntries` the oldest entry is dropped, which bounds memory under floods.
 */
export class RecentEventIds {
  private readonly seenAt = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 60 * 60 * 1000,
    private readonly maxEntries = 10_000,
  ) {}

  /** Record `id`; returns false when it was already recorded within the TTL. */
  add(id: string): boolean {
    const now = this.clock.now();
    this.evictExpired(now);
    if (this.seenAt.has(id)) return false;
    if (this.seenAt.size >= this.maxEntries) {
      const oldest = this.seenAt.keys().next().value;
      if (oldest !== undefined) this.seenAt.delete(oldest);
    }
    this.seenAt.set(id, now);
    return true;
  }

  /** Forget `id`, so a redelivery after a failed first attempt is handled. */
  delete(id: string): void {
    this.seenAt.delete(id);
  }

  private evictExpired(now: number): void {
    // Map iteration follows insertion order, which is also time order here.
    for (const [id, at] of this.seenAt) {
      if (now - at < this.ttlMs) break;
      this.seenAt.delete(id);
    }
  }
}
