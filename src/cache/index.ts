import type { Redis } from 'ioredis';
import type { Clock } from '../clock.js';
import type { CacheEnv } from './config.js';
import { MemoryResponseCache } from './memory.js';
import { RedisResponseCache } from './redis.js';
import type { ResponseCache } from './types.js';

export { cacheKey, normalizeQuestion, type CacheScope } from './key.js';
export { MemoryResponseCache } from './memory.js';
export { RedisResponseCache } from './redis.js';
export type * from './types.js';

/** Create the response cache from its environment: in Redis when a client is given, else in memory. */
export function createResponseCache(
  env: CacheEnv,
  options: { redis?: Redis; keyPrefix?: string; clock?: Clock } = {},
): ResponseCache {
  const common = {
    ttlMs: env.CACHE_TTL_MS,
    maxEntries: env.CACHE_MAX_ENTRIES,
    enabled: env.CACHE_ENABLED,
    clock: options.clock,
  };
  if (options.redis) {
    return new RedisResponseCache({ ...common, redis: options.redis, keyPrefix: options.keyPrefix });
  }
  return new MemoryResponseCache(common);
}
