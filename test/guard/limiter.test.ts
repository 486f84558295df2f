import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { createGuard } from '../../src/guard/guard.js';
import { AdaptiveLimiter, adaptiveLimit, type LimitWindow } from '../../src/guard/limiter.js';
import { GuardError } from '../../src/guard/errors.js';
import { fakeTime, inbound } from './helpers.js';

const MINUTE: LimitWindow = { name: 'minute', durationMs: 60_000, points: 20, floor: 3 };

async function allowedBeforeLimit(limiter: AdaptiveLimiter, sender: string, risk: number, tries = 50): Promise<number> {
  for (let i = 0; i < tries; i += 1) {
    const result = await limiter.hit(sender, risk);
    if (result.limited) return i;
  }
  return tries;
}

describe('adaptiveLimit', () => {
  it.each([
    [20, 3, 0, 20],
    [20, 3, 0.5, 10],
    [20, 3, 0.74, 5],
    [20, 3, 0.9, 3],
    [20, 3, 1, 3],
    [200, 30, 0.5, 100],
    [2, 3, 0.5, 2],
    [2, 3, 1, 2],
    [20, 3, -1, 20],
  ])('base %i floor %i risk %f gives %i', (base, floor, risk, expected) => {
    expect(adaptiveLimit(base, floor, risk)).toBe(expected);
  });
});

describe('AdaptiveLimiter in memory', () => {
  let time: ReturnType<typeof fakeTime> | undefined;
  afterEach(() => time?.restore());

  it('limits at the adaptive limit for the risk', async () => {
    time = fakeTime();
    const limiter = new AdaptiveLimiter({ windows: [MINUTE] });
    expect(await allowedBeforeLimit(limiter, 'test:calm', 0)).toBe(20);
    expect(await allowedBeforeLimit(limiter, 'test:risky', 0.75)).toBe(5);
    expect(await allowedBeforeLimit(limiter, 'test:worst', 1)).toBe(3);
  });

  it('relaxes within the window when risk drops', async () => {
    time = fakeTime();
    const limiter = new AdaptiveLimiter({ windows: [MINUTE] });
    expect(await allowedBeforeLimit(limiter, 'test:a', 0.8)).toBe(4);
    expect((await limiter.hit('test:a', 0)).limited).toBe(false);
  });

  it('notifies once per window', async () => {
    time = fakeTime();
    const limiter = new AdaptiveLimiter({ windows: [{ ...MINUTE, points: 3 }] });
    const notifies: boolean[] = [];
    for (let i = 0; i < 10; i += 1) {
      const result = await limiter.hit('test:a', 0);
      if (result.limited) notifies.push(result.notify);
    }
    expect(notifies).toEqual([true, false, false, false, false, false, false]);

    time.advance(60_000);
    const nextWindow: boolean[] = [];
    for (let i = 0; i < 6; i += 1) {
      const result = await limiter.hit('test:a', 0);
      if (result.limited) nextWindow.push(result.notify);
    }
    expect(nextWindow).toEqual([true, false, false]);
  });

  it('reports the time until the window resets', async () => {
    time = fakeTime();
    const limiter = new AdaptiveLimiter({ windows: [{ ...MINUTE, points: 1, floor: 1 }] });
    await limiter.hit('test:a', 0);
    time.advance(15_000);
    const result = await limiter.hit('test:a', 0);
    expect(result).toMatchObject({ limited: true, window: 'minute', retryAfterMs: 45_000, limit: 1, consumed: 2 });
  });

  it('reports the window that resets last', async () => {
    time = fakeTime();
    const limiter = new AdaptiveLimiter({
      windows: [
        { name: 'minute', durationMs: 60_000, points: 2, floor: 1 },
        { name: 'hour', durationMs: 3_600_000, points: 2, floor: 1 },
      ],
    });
    await limiter.hit('test:a', 0);
    await limiter.hit('test:a', 0);
    expect(await limiter.hit('test:a', 0)).toMatchObject({ limited: true, window: 'hour', retryAfterMs: 3_600_000 });
  });

  it('applies per-sender overrides', async () => {
    time = fakeTime();
    const limiter = new AdaptiveLimiter({ windows: [MINUTE] });
    const hits = [];
    for (let i = 0; i < 3; i += 1) hits.push(await limiter.hit('test:a', 0, { minute: 2 }));
    expect(hits.map((hit) => hit.limited)).toEqual([false, false, true]);
  });

  it('rejects windows that are not whole seconds', () => {
    expect(() => new AdaptiveLimiter({ windows: [{ ...MINUTE, durationMs: 1500 }] })).toThrow(GuardError);
    expect(() => new AdaptiveLimiter({ windows: [{ ...MINUTE, points: 0 }] })).toThrow(/points and floor/);
  });
});

async function connectRedis(): Promise<Redis | undefined> {
  const client = new Redis({
    host: '127.0.0.1',
    port: 6379,
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch {
    client.disconnect();
    return undefined;
  }
}

const redis = await connectRedis();
const prefix = `frontdesk-test:guard:${process.pid}:${Date.now()}`;
if (!redis) console.warn('Skipping the Redis limiter tests: Redis is unreachable at 127.0.0.1:6379.');

describe.skipIf(!redis)('AdaptiveLimiter in Redis', () => {
  afterAll(async () => {
    if (!redis) return;
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
    redis.disconnect();
  });

  it('shares counts and notices between limiters', async () => {
    const options = { windows: [{ ...MINUTE, points: 3 }], redis: { client: redis!, keyPrefix: `${prefix}:shared` } };
    const first = new AdaptiveLimiter(options);
    const second = new AdaptiveLimiter(options);
    const results = [
      await first.hit('test:a', 0),
      await second.hit('test:a', 0),
      await first.hit('test:a', 0),
      await second.hit('test:a', 0),
      await first.hit('test:a', 0),
    ];
    expect(results.map((result) => result.limited)).toEqual([false, false, false, true, true]);
    expect(results[3]).toMatchObject({ notify: true, window: 'minute', consumed: 4 });
    expect(results[4]).toMatchObject({ notify: false, consumed: 5 });
    const retryAfter = results[3]!.limited ? results[3]!.retryAfterMs : 0;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60_000);
    expect(await redis!.exists(`${prefix}:shared:count:minute:test:a`)).toBe(1);
  });

  it('tightens with risk and keeps senders apart', async () => {
    const limiter = new AdaptiveLimiter({ windows: [MINUTE], redis: { client: redis!, keyPrefix: `${prefix}:risk` } });
    expect(await allowedBeforeLimit(limiter, 'test:risky', 0.75)).toBe(5);
    expect(await allowedBeforeLimit(limiter, 'test:calm', 0)).toBe(20);
  });

  it('clears a sender on reset', async () => {
    const limiter = new AdaptiveLimiter({ windows: [{ ...MINUTE, points: 1, floor: 1 }], redis: { client: redis!, keyPrefix: `${prefix}:reset` } });
    await limiter.hit('test:a', 0);
    expect((await limiter.hit('test:a', 0)).limited).toBe(true);
    await limiter.reset('test:a');
    expect((await limiter.hit('test:a', 0)).limited).toBe(false);
  });

  it('backs a guard end to end', async () => {
    const guard = createGuard({ limits: { perMinute: 3, floorPerMinute: 3 }, redis: { client: redis!, keyPrefix: `${prefix}:guard` } });
    const actions = [];
    for (let i = 0; i < 5; i += 1) actions.push((await guard.check(inbound('flooder', `question ${i}`))).action);
    expect(actions).toEqual(['allow', 'allow', 'allow', 'limited', 'limited']);
    expect(guard.stats().limited).toEqual({ minute: 2 });
    expect(guard.stats().limitNotices).toBe(1);
  });
});
