import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { cacheEnv } from '../../src/cache/config.js';
import { createResponseCache, MemoryResponseCache } from '../../src/cache/index.js';

const scope = { locale: 'en', kbVersion: 'kb-1' };
const answer = { text: 'We open at 9:00.', provider: 'openai', model: 'gpt-4o-mini' };
const shared = { personal: false };

function setup(options: { ttlMs?: number; maxEntries?: number } = {}) {
  const clock = new ManualClock();
  const cache = new MemoryResponseCache({ ttlMs: options.ttlMs ?? 60_000, maxEntries: options.maxEntries ?? 100, clock });
  return { clock, cache };
}

describe('MemoryResponseCache', () => {
  it('misses then hits', async () => {
    const { clock, cache } = setup();
    expect(await cache.get('Opening hours?', scope, shared)).toBeUndefined();
    expect(await cache.set('Opening hours?', scope, answer, shared)).toEqual({ stored: true });
    const hit = await cache.get('opening  HOURS', scope, shared);

    expect(hit).toEqual({ ...answer, storedAt: clock.now() });
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, stores: 1, hitRate: 0.5 });
  });

  it('expires entries after the TTL', async () => {
    const { clock, cache } = setup({ ttlMs: 1000 });
    await cache.set('hours', scope, answer, shared);
    clock.advance(999);
    expect(await cache.get('hours', scope, shared)).toBeDefined();
    clock.advance(2);
    expect(await cache.get('hours', scope, shared)).toBeUndefined();
  });

  it('evicts the least recently used beyond the bound', async () => {
    const { cache } = setup({ maxEntries: 2 });
    await cache.set('a', scope, answer, shared);
    await cache.set('b', scope, answer, shared);
    await cache.get('a', scope, shared);
    await cache.set('c', scope, answer, shared);

    expect(cache.size).toBe(2);
    expect(await cache.get('b', scope, shared)).toBeUndefined();
    expect(await cache.get('a', scope, shared)).toBeDefined();
    expect(await cache.get('c', scope, shared)).toBeDefined();
  });

  it('misses after a knowledge-base version change', async () => {
    const { cache } = setup();
    await cache.set('hours', scope, answer, shared);
    expect(await cache.get('hours', { ...scope, kbVersion: 'kb-2' }, shared)).toBeUndefined();
    expect(await cache.get('hours', { ...scope, locale: 'pt-BR' }, shared)).toBeUndefined();
  });

  it('empties on clear', async () => {
    const { cache } = setup();
    await cache.set('hours', scope, answer, shared);
    await cache.clear();
    expect(await cache.get('hours', scope, shared)).toBeUndefined();
  });

  it('never stores or serves a personal answer', async () => {
    const { cache } = setup();
    // Alice asked about her balance; the answer came from her account tool.
    const personal = { text: 'Your balance is $120.', provider: 'openai', model: 'gpt-4o-mini' };
    expect(await cache.set('what is my balance', scope, personal, { personal: true })).toEqual({
      stored: false,
      reason: 'personal',
    });
    // Bob asks the same words in a conversation without personal facts.
    expect(await cache.get('What is my balance?', scope, shared)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.stats().rejectedPersonal).toBe(1);
  });

  it('bypasses lookups for personal conversations', async () => {
    const { cache } = setup();
    await cache.set('hours', scope, answer, shared);
    expect(await cache.get('hours', scope, { personal: true })).toBeUndefined();
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 0, bypasses: 1 });
  });

  it('does nothing when disabled', async () => {
    const cache = createResponseCache(cacheEnv.parse({ CACHE_ENABLED: 'false' }));
    expect(await cache.set('hours', scope, answer, shared)).toEqual({ stored: false, reason: 'disabled' });
    expect(await cache.get('hours', scope, shared)).toBeUndefined();
    expect(cache.stats().bypasses).toBe(1);
  });

  it('rejects invalid bounds', () => {
    expect(() => new MemoryResponseCache({ ttlMs: 0, maxEntries: 1 })).toThrow(/ttlMs must be positive/);
    expect(() => new MemoryResponseCache({ ttlMs: 1, maxEntries: 0 })).toThrow(/maxEntries must be at least 1/);
  });
});
