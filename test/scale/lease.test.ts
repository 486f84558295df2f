import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LeaseManager } from '../../src/scale/lease.js';
import { LeaseRunner } from '../../src/scale/lease-runner.js';
import { REDIS_URL, redisAvailable, uniqueName } from './services.js';

/** Poll `condition` every 20 ms until it is true or `timeoutMs` passes. */
async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}

describe.skipIf(!redisAvailable)('Redis lease', () => {
  let prefix: string;
  let connections: Redis[];

  const connect = () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    connections.push(redis);
    return redis;
  };

  beforeEach(() => {
    prefix = uniqueName('fdtest');
    connections = [];
  });

  afterEach(async () => {
    const cleaner = new Redis(REDIS_URL);
    const keys = await cleaner.keys(`${prefix}:*`);
    if (keys.length > 0) await cleaner.del(...keys);
    await cleaner.quit();
    for (const redis of connections) redis.disconnect();
  });

  it('grants one holder at a time', async () => {
    const a = new LeaseManager({ redis: connect(), prefix, ttlMs: 1500 });
    const b = new LeaseManager({ redis: connect(), prefix, ttlMs: 1500 });

    const first = await a.acquire('telegram');
    const second = await b.acquire('telegram');
    const other = await b.acquire('whatsapp');

    expect(first?.held).toBe(true);
    expect(second).toBeUndefined();
    expect(other?.held).toBe(true);
    await first!.release();
    await other!.release();
  });

  it('renews past its TTL', async () => {
    const a = new LeaseManager({ redis: connect(), prefix, ttlMs: 300 });
    const b = new LeaseManager({ redis: connect(), prefix, ttlMs: 300 });
    const lease = await a.acquire('telegram');

    await new Promise((resolve) => setTimeout(resolve, 900));

    expect(lease?.held).toBe(true);
    expect(await b.acquire('telegram')).toBeUndefined();
    await lease!.release();
  });

  it('increases the fence on each acquisition', async () => {
    const a = new LeaseManager({ redis: connect(), prefix, ttlMs: 1500 });
    const b = new LeaseManager({ redis: connect(), prefix, ttlMs: 1500 });

    const first = await a.acquire('telegram');
    await first!.release();
    const second = await b.acquire('telegram');

    expect(second).toBeDefined();
    expect(second!.fence).toBeGreaterThan(first!.fence);
    await second!.release();
  });

  it('keeps a lease another took', async () => {
    const redis = connect();
    const a = new LeaseManager({ redis, prefix, ttlMs: 300 });
    let lost = 0;
    const lease = await a.acquire('telegram', { onLost: () => (lost += 1) });
    // Someone else's token replaces ours, as after an expiry and a takeover.
    await redis.set(a.keyOf('telegram'), 'other-token', 'PX', 5000);

    expect(await waitFor(() => lost === 1, 2000)).toBe(true);
    expect(lease!.held).toBe(false);
    await lease!.release();
    expect(await redis.get(a.keyOf('telegram'))).toBe('other-token');
  });

  it('hands work over when the holder dies', async () => {
    const events: string[] = [];
    const holderRedis = connect();
    const runner = (label: string, redis: Redis) =>
      new LeaseRunner({
        leases: new LeaseManager({ redis, prefix, ttlMs: 1200 }),
        name: 'channel:telegram',
        start: async () => void events.push(`${label} start`),
        stop: async () => void events.push(`${label} stop`),
        retryMs: 100,
      });
    const holder = runner('a', holderRedis);
    holder.start();
    expect(await waitFor(() => holder.holding, 2000)).toBe(true);
    const standby = runner('b', connect());
    standby.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(standby.holding).toBe(false);
    const firstFence = holder.fence!;

    // The holder's connection drops for good: it can no longer renew.
    holderRedis.disconnect();

    expect(await waitFor(() => standby.holding, 5000)).toBe(true);
    expect(standby.fence).toBeGreaterThan(firstFence);
    expect(events.indexOf('a stop')).toBeGreaterThan(-1);
    expect(events.indexOf('a stop')).toBeLessThan(events.indexOf('b start'));
    await holder.stop();
    await standby.stop();
    expect(events.at(-1)).toBe('b stop');
  });
});
