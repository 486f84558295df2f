import { LRUCache } from 'lru-cache';
import type { Clock } from '../../../src/clock.js';

/** Length of WhatsApp's customer-service window after a customer's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60_000;

/** Time of a customer's last inbound message, from storage; undefined when never seen. */
export type LastInboundLookup = (chatId: string) => Promise<Date | undefined>;

/**
 * The 24-hour customer-service window per customer: free-form messages are allowed only
 * within 24 hours of the customer's last message; outside it only templates are.
 */
export class ServiceWindow {
  private readonly lastInbound = new LRUCache<string, number>({ max: 100_000 });

  constructor(
    private readonly clock: Clock,
    private readonly lookup?: LastInboundLookup,
  ) {}

  /** Note an inbound message sent at `atMs`; an older time never replaces a newer one. */
  record(chatId: string, atMs: number): void {
    const known = this.lastInbound.get(chatId) ?? 0;
    if (atMs > known) this.lastInbound.set(chatId, atMs);
  }

  async isOpen(chatId: string): Promise<boolean> {
    if (this.openAt(this.lastInbound.get(chatId))) return true;
    // Memory misses customers seen before a restart or by another process, so ask storage.
    const stored = await this.lookup?.(chatId);
    if (!stored) return false;
    this.record(chatId, stored.getTime());
    return this.openAt(stored.getTime());
  }

  private openAt(lastMs: number | undefined): boolean {
    return lastMs !== undefined && this.clock.now() - lastMs < SERVICE_WINDOW_MS;
  }
}
