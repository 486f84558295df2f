import { LRUCache } from 'lru-cache';
import { BaseResponseCache, type ResponseCacheOptions } from './base.js';
import type { CachedAnswer } from './types.js';

/** Response cache in process memory: least recently used entries go first once full. */
export class MemoryResponseCache extends BaseResponseCache {
  private readonly lru: LRUCache<string, CachedAnswer>;

  constructor(options: ResponseCacheOptions) {
    super(options);
    this.lru = new LRUCache<string, CachedAnswer>({
      max: this.maxEntries,
      ttl: this.ttlMs,
      // Read time from the injected clock, uncached, so tests can expire entries by hand.
      perf: { now: () => this.clock.now() },
      ttlResolution: 0,
    });
  }

  /** Number of entries held, including expired ones not yet purged. */
  get size(): number {
    return this.lru.size;
  }

  protected async read(key: string): Promise<CachedAnswer | undefined> {
    return this.lru.get(key);
  }

  protected async write(key: string, answer: CachedAnswer): Promise<void> {
    this.lru.set(key, answer);
  }

  async clear(): Promise<void> {
    this.lru.clear();
  }
}
