import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { cacheKey, type CacheScope } from './key.js';
import {
  CacheCounters,
  type CacheLookupOptions,
  type CachedAnswer,
  type CacheStats,
  type CacheStoreOptions,
  type CacheStoreResult,
  type ResponseCache,
} from './types.js';

export interface ResponseCacheOptions {
  /** How long an answer may be served, in milliseconds. */
  ttlMs: number;
  /** Maximum number of entries. */
  maxEntries: number;
  /** When false every lookup is a bypass and nothing is stored; default true. */
  enabled?: boolean;
  clock?: Clock;
}

/** Rules common to every storage: personal answers, empty questions, the off switch and counters. */
export abstract class BaseResponseCache implements ResponseCache {
  protected readonly counters = new CacheCounters();
  protected readonly ttlMs: number;
  protected readonly maxEntries: number;
  protected readonly enabled: boolean;
  protected readonly clock: Clock;

  constructor(options: ResponseCacheOptions) {
    if (!(options.ttlMs > 0)) throw new RangeError(`cache ttlMs must be positive, got ${options.ttlMs}`);
    if (!(options.maxEntries >= 1)) {
      throw new RangeError(`cache maxEntries must be at least 1, got ${options.maxEntries}`);
    }
    this.ttlMs = options.ttlMs;
    this.maxEntries = options.maxEntries;
    this.enabled = options.enabled ?? true;
    this.clock = options.clock ?? systemClock;
  }

  protected abstract read(key: string): Promise<CachedAnswer | undefined>;
  protected abstract write(key: string, answer: CachedAnswer): Promise<void>;
  abstract clear(): Promise<void>;

  async get(question: string, scope: CacheScope, options: CacheLookupOptions): Promise<CachedAnswer | undefined> {
    const key = cacheKey(question, scope);
    if (!this.enabled || options.personal || key === undefined) {
      this.counters.bypasses += 1;
      return undefined;
    }
    const answer = await this.read(key);
    if (answer) this.counters.hits += 1;
    else this.counters.misses += 1;
    return answer;
  }

  async set(
    question: string,
    scope: CacheScope,
    answer: Omit<CachedAnswer, 'storedAt'>,
    options: CacheStoreOptions,
  ): Promise<CacheStoreResult> {
    if (!this.enabled) return { stored: false, reason: 'disabled' };
    if (options.personal) {
      this.counters.rejectedPersonal += 1;
      return { stored: false, reason: 'personal' };
    }
    const key = cacheKey(question, scope);
    if (key === undefined) return { stored: false, reason: 'empty_question' };
    const entry = { text: answer.text, provider: answer.provider, model: answer.model, storedAt: this.clock.now() };
    await this.write(key, entry);
    this.counters.stores += 1;
    return { stored: true };
  }

  stats(): CacheStats {
    return this.counters.snapshot();
  }
}
