import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisResponseCache } from '../../src/cache/redis.js';

// The machine and CI run Redis on 127.0.0.1:6379; each run writes under its own key prefix.
const prefix = `frontdesk-test:${randomUUID()}:`;
const scope = { locale: 'en', kbVersion: 'kb-1' };
const answer = { text: 'We open at 9:00.', provider: 'openai', model: 'gpt-4o-mini' };
const shared = { personal: false };

let redis: Redis;

async function keysUnder(subPrefix: string): Promise<string[]> {
  return redis.keys(`${subPrefix}*`);
}

beforeAll(async () => {
  redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
});

afterAll(async () => {
  const left = await keysUnder(prefix);
  if (left.length > 0) await redis.del(...left);
  await redis.quit();
});

function makeCache(name: string, options: { ttlMs?: number; maxEntries?: number } = {}) {
  return new RedisResponseCache({
    redis,
    keyPrefix: `${prefix}${name}:`,
    ttlMs: options.ttlMs ?? 60_000,
    maxEntries: options.maxEntries ?? 100,
  });
}

describe('RedisResponseCache', () => {
  it('misses then hits', async () => {
    const cache = makeCache('hit');
    expect(await cache.get('Opening hours?', scope, shared)).toBeUndefined();
    await cache.set('Opening hours?', scope, answer, shared);
    const hit = await cache.get('opening hours', scope, shared);

    expect(hit?.text).toBe(answer.text);
    expect(hit?.model).toBe(answer.model);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, hitRate: 0.5 });
  });

  it('sets the TTL on each entry', async () => {
    const cache = makeCache('ttl', { ttlMs: 5000 });
    await cache.set('hours', scope, answer, shared);
    const [key] = (await keysUnder(`${prefix}ttl:`)).filter((name) => !name.endsWith('~index'));
    const remaining = await redis.pttl(key!);

    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(5000);
  });

  it('expires entries after the TTL', async () => {
    const cache = makeCache('expiry', { ttlMs: 50 });
    await cache.set('hours', scope, answer, shared);
    // Redis expires by its own clock, so wait for it in a bounded loop.
    let found = await cache.get('hours', scope, shared);
    for (let attempt = 0; found && attempt < 40; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      found = await cache.get('hours', scope, shared);
    }
    expect(found).toBeUndefined();
  });

  it('keeps at most maxEntries', async () => {
    const cache = makeCache('bound', { maxEntries: 3 });
    for (const question of ['one', 'two', 'three', 'four', 'five']) await cache.set(question, scope, answer, shared);
    const entries = (await keysUnder(`${prefix}bound:`)).filter((name) => !name.endsWith('~index'));

    expect(entries).toHaveLength(3);
    expect(await cache.get('one', scope, shared)).toBeUndefined();
    expect(await cache.get('five', scope, shared)).toBeDefined();
  });

  it('misses after a knowledge-base version change', async () => {
    const cache = makeCache('version');
    await cache.set('hours', scope, answer, shared);
    expect(await cache.get('hours', { ...scope, kbVersion: 'kb-2' }, shared)).toBeUndefined();
  });

  it('clears only its own prefix', async () => {
    const cache = makeCache('clear');
    const neighbour = makeCache('neighbour');
    await cache.set('hours', scope, answer, shared);
    await neighbour.set('hours', scope, answer, shared);
    await cache.clear();

    expect(await keysUnder(`${prefix}clear:`)).toEqual([]);
    expect(await neighbour.get('hours', scope, shared)).toBeDefined();
  });

  it('never stores a personal answer', async () => {
    const cache = makeCache('personal');
    const result = await cache.set('what is my balance', scope, { ...answer, text: 'Your balance is $120.' }, { personal: true });

    expect(result).toEqual({ stored: false, reason: 'personal' });
    expect(await keysUnder(`${prefix}personal:`)).toEqual([]);
    expect(await cache.get('what is my balance', scope, shared)).toBeUndefined();
  });

  it('treats a corrupt entry as a miss', async () => {
    const cache = makeCache('corrupt');
    await cache.set('hours', scope, answer, shared);
    const [key] = (await keysUnder(`${prefix}corrupt:`)).filter((name) => !name.endsWith('~index'));
    await redis.set(key!, 'not json');

    expect(await cache.get('hours', scope, shared)).toBeUndefined();
    expect(await redis.exists(key!)).toBe(0);
  });
});
