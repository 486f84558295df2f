import type { CacheScope } from './key.js';

/** An answer as stored in the cache. */
export interface CachedAnswer {
  text: string;
  provider: string;
  model: string;
  /** Milliseconds since the epoch when the answer was stored. */
  storedAt: number;
}

export interface CacheStoreOptions {
  /**
   * True when the answer used customer-specific data: a personal tool call (account,
   * orders) or personal facts in the context. Such answers are never stored.
   */
  personal: boolean;
}

export interface CacheLookupOptions {
  /** True when the conversation contains personal facts. The lookup is then skipped and counted as a bypass. */
  personal: boolean;
}

export type CacheStoreResult =
  | { stored: true }
  | { stored: false; reason: 'personal' | 'empty_question' | 'disabled' };

export interface CacheStats {
  hits: number;
  misses: number;
  /** Lookups skipped because the conversation was personal or the cache is off. */
  bypasses: number;
  stores: number;
  /** Store requests rejected because the answer was personal. */
  rejectedPersonal: number;
  /** hits / (hits + misses), or null before any lookup. */
  hitRate: number | null;
}

/**
 * Response cache for answers that used no customer-specific data.
 *
 * Callers must:
 * - check that the conversation contains no personal facts before serving, and pass that as
 *   `{ personal }` to `get` (the cache cannot see the conversation);
 * - pass `{ personal: true }` to `set` for any answer that used a personal tool call or
 *   personal facts, which the cache then rejects;
 * - run a cached answer through the validator before sending it, like a fresh answer.
 */
export interface ResponseCache {
  get(question: string, scope: CacheScope, options: CacheLookupOptions): Promise<CachedAnswer | undefined>;
  set(
    question: string,
    scope: CacheScope,
    answer: Omit<CachedAnswer, 'storedAt'>,
    options: CacheStoreOptions,
  ): Promise<CacheStoreResult>;
  /** Remove every entry, of every knowledge-base version. */
  clear(): Promise<void>;
  stats(): CacheStats;
}

/** Lookup and store counters shared by the cache implementations. */
export class CacheCounters {
  hits = 0;
  misses = 0;
  bypasses = 0;
  stores = 0;
  rejectedPersonal = 0;

  snapshot(): CacheStats {
    const lookups = this.hits + this.misses;
    return {
      hits: this.hits,
      misses: this.misses,
      bypasses: this.bypasses,
      stores: this.stores,
      rejectedPersonal: this.rejectedPersonal,
      hitRate: lookups === 0 ? null : this.hits / lookups,
    };
  }
}
