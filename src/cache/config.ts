import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** Environment variables of the response cache, with their defaults. */
export const cacheEnv = z.object({
  CACHE_ENABLED: booleanFlag.default(true),
  /** How long a cached answer may be served, in milliseconds. */
  CACHE_TTL_MS: z.coerce.number().int().positive().default(3_600_000),
  /** Maximum number of cached answers; the least recently used go first. */
  CACHE_MAX_ENTRIES: z.coerce.number().int().positive().default(5000),
});
export type CacheEnv = z.infer<typeof cacheEnv>;
