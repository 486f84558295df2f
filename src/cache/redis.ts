import type { Redis } from 'ioredis';
import { BaseResponseCache, type ResponseCacheOptions } from './base.js';
import type { CachedAnswer } from './types.js';

export interface RedisResponseCacheOptions extends ResponseCacheOptions {
  redis: Redis;
  /** Prefix of every key this cache writes; default `frontdesk:cache:`. */
  keyPrefix?: string;
}

const SCAN_BATCH = 500;

/**
 * Response cache in Redis, shared by every process. Entries expire through Redis (PX).
 * The size bound is kept with a sorted-set index of entries by store time: once it contains
 * more than `maxEntries` live keys, the oldest stored entries are deleted. That evicts by
 * age, not by last use, and concurrent writers may overshoot the bound by a few entries.
 */
export class RedisResponseCache extends BaseResponseCache {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly indexKey: string;

  constructor(options: RedisResponseCacheOptions) {
    super(options);
    this.redis = options.redis;
    this.prefix = options.keyPrefix ?? 'frontdesk:cache:';
    // Entry keys always contain `:` after the prefix, so this name never collides with one.
    this.indexKey = `${this.prefix}~index`;
  }

  protected async read(key: string): Promise<CachedAnswer | undefined> {
    const raw = await this.redis.get(this.prefix + key);
    if (raw === null) return undefined;
    const answer = parseAnswer(raw);
    if (!answer) await this.redis.del(this.prefix + key);
    return answer;
  }

  protected async write(key: string, answer: CachedAnswer): Promise<void> {
    const now = this.clock.now();
    const fullKey = this.prefix + key;
    const results = await this.redis
      .multi()
      .set(fullKey, JSON.stringify(answer), 'PX', this.ttlMs)
      .zadd(this.indexKey, now, fullKey)
      // Index members older than the TTL point at keys Redis has already expired.
      .zremrangebyscore(this.indexKey, '-inf', now - this.ttlMs)
      .pexpire(this.indexKey, this.ttlMs)
      .zcard(this.indexKey)
      .exec();
    const count = Number(results?.[4]?.[1] ?? 0);
    if (count <= this.maxEntries) return;

    const popped = await this.redis.zpopmin(this.indexKey, count - this.maxEntries);
    // ZPOPMIN returns member, score, member, score, ...
    const evicted = popped.filter((_, index) => index % 2 === 0);
    if (evicted.length > 0) await this.redis.del(...evicted);
  }

  async clear(): Promise<void> {
    const pattern = `${escapeGlob(this.prefix)}*`;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_BATCH);
      if (keys.length > 0) await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

function parseAnswer(raw: string): CachedAnswer | undefined {
  try {
    const value = JSON.parse(raw) as Partial<CachedAnswer>;
    if (typeof value.text !== 'string' || typeof value.storedAt !== 'number') return undefined;
    return {
      text: value.text,
      provider: String(value.provider ?? ''),
      model: String(value.model ?? ''),
      storedAt: value.storedAt,
    };
  } catch {
    return undefined;
  }
}
