import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PUSH } from '../../src/scale/lane-scripts.js';
import { RedisConversationQueue } from '../../src/scale/redis-queue.js';
import { REDIS_URL, redisAvailable, uniqueName } from './services.js';

interface TestJob {
  conversation: string;
  seq: number;
  sleepMs: number;
  /** Name of the fixture worker that sleeps for a minute on this job instead. */
  hangIn?: string;
}

const FIXTURE = join(import.meta.dirname, 'fixtures', 'queue-worker.ts');
// Small values so that a killed worker's job is redelivered within about two seconds.
const LOCK_MS = 1000;
const STALLED_MS = 500;

/** Check that in every conversation each entry started only after the previous one was done, in push order. */
function expectLaneOrder(events: string[], conversations: string[], perConversation: number): void {
  for (const conversation of conversations) {
    const lane = events
      .map((line) => line.split('|'))
      .filter(([, , name]) => name === conversation)
      .map(([kind, , , seq]) => `${kind}:${seq}`);
    const expected = Array.from({ length: perConversation }, (_, seq) => [`start:${seq}`, `done:${seq}`]).flat();
    expect(lane, `order of ${conversation}`).toEqual(expected);
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe.skipIf(!redisAvailable)('RedisConversationQueue', () => {
  let prefix: string;
  let redis: Redis;
  let queues: Array<RedisConversationQueue<TestJob>>;
  let children: ChildProcess[];

  const open = (options: Partial<ConstructorParameters<typeof RedisConversationQueue<TestJob>>[0]> = {}) => {
    const queue = new RedisConversationQueue<TestJob>({
      redisUrl: REDIS_URL,
      prefix,
      maxPending: 1000,
      lockDurationMs: LOCK_MS,
      stalledIntervalMs: STALLED_MS,
      ...options,
    });
    queues.push(queue);
    return queue;
  };

  const spawnWorker = (name: string) => {
    const settings = { redisUrl: REDIS_URL, prefix, name, lockDurationMs: LOCK_MS, stalledIntervalMs: STALLED_MS };
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, JSON.stringify(settings)], { stdio: 'inherit' });
    children.push(child);
    return child;
  };

  const logLines = () => redis.lrange(`${prefix}:log`, 0, -1);

  beforeEach(() => {
    prefix = uniqueName('fdtest');
    redis = new Redis(REDIS_URL);
    queues = [];
    children = [];
  });

  afterEach(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(queues.map((queue) => queue.close()));
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('keeps order across two workers', async () => {
    const events: string[] = [];
    const worker = (name: string) =>
      open({
        concurrency: 4,
        run: async (job) => {
          events.push(`start|${name}|${job.conversation}|${job.seq}`);
          await new Promise((resolve) => setTimeout(resolve, job.sleepMs));
          events.push(`done|${name}|${job.conversation}|${job.seq}`);
        },
      });
    worker('w1');
    worker('w2');
    const producer = open();
    const conversations = ['c1', 'c2', 'c3', 'c4'];

    for (let seq = 0; seq < 8; seq += 1) {
      for (const conversation of conversations) {
        expect(await producer.push(conversation, { conversation, seq, sleepMs: (seq * 7) % 15 })).toBe(true);
      }
    }
    await producer.onIdle();

    expectLaneOrder(events, conversations, 8);
    const workersUsed = new Set(events.map((line) => line.split('|')[1]));
    expect(workersUsed).toEqual(new Set(['w1', 'w2']));
    expect(producer.depth).toBe(0);
  });

  it('rejects pushes beyond maxPending', async () => {
    const producer = open({ maxPending: 3 });

    const accepted = [];
    for (let seq = 0; seq < 4; seq += 1) accepted.push(await producer.push(`c${seq}`, { conversation: `c${seq}`, seq, sleepMs: 0 }));

    expect(accepted).toEqual([true, true, true, false]);
    expect(await producer.pendingCount()).toBe(3);
    const done: number[] = [];
    open({ run: async (job) => void done.push(job.seq) });
    await producer.onIdle();
    expect(done.sort()).toEqual([0, 1, 2]);
    expect(await producer.push('c9', { conversation: 'c9', seq: 9, sleepMs: 0 })).toBe(true);
  });

  it('keeps order across two processes', async () => {
    spawnWorker('p1');
    spawnWorker('p2');
    expect(await waitFor(async () => (await logLines()).filter((line) => line.startsWith('ready')).length === 2, 15_000)).toBe(true);
    const producer = open();
    const conversations = ['c1', 'c2', 'c3', 'c4', 'c5'];

    for (let seq = 0; seq < 6; seq += 1) {
      for (const conversation of conversations) await producer.push(conversation, { conversation, seq, sleepMs: 5 + (seq % 3) * 5 });
    }
    await producer.onIdle();

    const events = (await logLines()).filter((line) => !line.startsWith('ready'));
    expectLaneOrder(events, conversations, 6);
    expect(new Set(events.map((line) => line.split('|')[1]))).toEqual(new Set(['p1', 'p2']));
  });

  it('redelivers a killed worker job once', async () => {
    const first = spawnWorker('p1');
    expect(await waitFor(async () => (await logLines()).includes('ready|p1'), 15_000)).toBe(true);
    const producer = open();
    // Only p1 hangs on this entry; the worker that gets it next runs it at once.
    await producer.push('c1', { conversation: 'c1', seq: 0, sleepMs: 0, hangIn: 'p1' });
    await producer.push('c1', { conversation: 'c1', seq: 1, sleepMs: 0 });
    expect(await waitFor(async () => (await logLines()).includes('start|p1|c1|0'), 10_000)).toBe(true);

    first.kill('SIGKILL');
    spawnWorker('p2');
    await producer.onIdle();

    const events = (await logLines()).filter((line) => !line.startsWith('ready'));
    expect(events).toEqual(['start|p1|c1|0', 'start|p2|c1|0', 'done|p2|c1|0', 'start|p2|c1|1', 'done|p2|c1|1']);
  });

  it('repairs a lane whose owner job was never added', async () => {
    // A producer that died right after its push script ran: entry and owner exist, the BullMQ job does not.
    const entry = JSON.stringify({ id: 'entry-1', job: { conversation: 'c1', seq: 0, sleepMs: 0 } });
    await redis.eval(PUSH, 3, `${prefix}:queue:lane:c1`, `${prefix}:queue:pending`, `${prefix}:queue:owner:c1`, entry, '10', 'never-added');
    const done: number[] = [];
    const worker = open({ run: async (job) => void done.push(job.seq), repairIntervalMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(done).toEqual([]);

    expect(await worker.repair()).toBe(1);
    await worker.onIdle();

    expect(done).toEqual([0]);
    expect(await redis.exists(`${prefix}:queue:owner:c1`)).toBe(0);
    expect(await worker.repair()).toBe(0);
  });
});
