import { describe, expect, it } from 'vitest';
import { ConversationQueue } from '../../src/bus/queue.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('ConversationQueue', () => {
  it('keeps per-conversation order under concurrency', async () => {
    const seen = new Map<string, number[]>();
    const queue = new ConversationQueue<{ key: string; n: number }>({
      concurrency: 4,
      maxPending: 1000,
      run: async (job) => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        seen.set(job.key, [...(seen.get(job.key) ?? []), job.n]);
      },
    });
    for (let n = 0; n < 30; n += 1) {
      for (const key of ['a', 'b', 'c']) expect(queue.push(key, { key, n })).toBe(true);
    }
    await queue.onIdle();
    const expected = Array.from({ length: 30 }, (_, n) => n);
    expect(seen.get('a')).toEqual(expected);
    expect(seen.get('b')).toEqual(expected);
    expect(seen.get('c')).toEqual(expected);
  });

  it('runs one job per conversation at a time', async () => {
    let runningForA = 0;
    let maxRunningForA = 0;
    const queue = new ConversationQueue<string>({
      concurrency: 8,
      maxPending: 100,
      run: async (key) => {
        if (key === 'a') runningForA += 1;
        maxRunningForA = Math.max(maxRunningForA, runningForA);
        await tick();
        if (key === 'a') runningForA -= 1;
      },
    });
    for (let i = 0; i < 10; i += 1) queue.push('a', 'a');
    await queue.onIdle();
    expect(maxRunningForA).toBe(1);
  });

  it('refuses jobs beyond maxPending', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const queue = new ConversationQueue<number>({ concurrency: 1, maxPending: 3, run: () => gate });
    expect(queue.push('a', 1)).toBe(true);
    expect(queue.push('b', 2)).toBe(true);
    expect(queue.push('c', 3)).toBe(true);
    expect(queue.push('d', 4)).toBe(false);
    expect(queue.depth).toBe(3);
    release();
    await queue.onIdle();
    expect(queue.depth).toBe(0);
    expect(queue.push('d', 4)).toBe(true);
  });

  it('gives other conversations a turn while one is busy', async () => {
    const order: string[] = [];
    const queue = new ConversationQueue<string>({
      concurrency: 1,
      maxPending: 100,
      run: async (label) => {
        order.push(label);
        await tick();
      },
    });
    for (let i = 0; i < 5; i += 1) queue.push('flood', `flood${i}`);
    queue.push('quiet', 'quiet0');
    await queue.onIdle();
    // The quiet conversation is served after at most one more flood job, not after all of them.
    expect(order.indexOf('quiet0')).toBeLessThanOrEqual(2);
  });

  it('reports errors and keeps going', async () => {
    const errors: unknown[] = [];
    const done: number[] = [];
    const queue = new ConversationQueue<number>({
      concurrency: 2,
      maxPending: 10,
      run: async (n) => {
        if (n === 1) throw new Error('boom');
        done.push(n);
      },
      onError: (error) => errors.push(error),
    });
    queue.push('a', 1);
    queue.push('a', 2);
    await queue.onIdle();
    expect(errors).toHaveLength(1);
    expect(done).toEqual([2]);
  });
});
