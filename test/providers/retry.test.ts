import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { ProviderError, type ProviderErrorCode } from '../../src/providers/errors.js';
import { backoffDelay, callWithRetry, decideRetry, DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src/providers/retry.js';

const policy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 };
const error = (code: ProviderErrorCode, retryAfterMs?: number) => new ProviderError('openai', code, code, { retryAfterMs });

describe('backoffDelay', () => {
  it('grows exponentially up to the cap', () => {
    const top = () => 0.999_999;
    expect(backoffDelay(1, policy, top)).toBe(99);
    expect(backoffDelay(2, policy, top)).toBe(199);
    expect(backoffDelay(4, policy, top)).toBe(799);
    expect(backoffDelay(9, policy, top)).toBe(999);
  });

  it('full jitter reaches zero', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });
});

describe('decideRetry', () => {
  const state = { attempts: 1, remainingMs: 10_000, policy, random: () => 0.5 };

  it('waits retry-after when it fits', () => {
    expect(decideRetry(error('rate_limited', 2_000), state)).toEqual({ kind: 'wait', delayMs: 2_000 });
  });

  it('gives up when retry-after exceeds the deadline', () => {
    expect(decideRetry(error('rate_limited', 20_000), state)).toEqual({ kind: 'give_up', reason: 'deadline' });
  });

  it('backs off on server errors', () => {
    expect(decideRetry(error('server_error'), state)).toEqual({ kind: 'wait', delayMs: 50 });
  });

  it('shrinks on context length', () => {
    expect(decideRetry(error('context_length'), state)).toEqual({ kind: 'shrink' });
  });

  it.each(['bad_request', 'auth', 'overloaded', 'content_filter', 'truncated'] as const)('%s gives up', (code) => {
    expect(decideRetry(error(code), state).kind).toBe('give_up');
  });

  it('stops after max attempts', () => {
    expect(decideRetry(error('server_error'), { ...state, attempts: 3 })).toEqual({ kind: 'give_up', reason: 'attempts_exhausted' });
  });
});

describe('callWithRetry', () => {
  it('honours retry-after on a manual clock', async () => {
    const clock = new ManualClock(0);
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
      clock.advance(ms);
    };
    const failures = [error('rate_limited', 1_500), error('rate_limited', 2_500)];
    const outcome = await callWithRetry(
      async () => {
        const next = failures.shift();
        if (next) throw next;
        return 'answer';
      },
      { policy: DEFAULT_RETRY_POLICY, clock, sleep, deadlineAt: 20_000 },
    );
    expect(outcome).toEqual({ ok: true, value: 'answer', attempts: 3, errors: ['rate_limited', 'rate_limited'] });
    expect(waits).toEqual([1_500, 2_500]);
    expect(clock.now()).toBe(4_000);
  });

  it('returns the last error when exhausted', async () => {
    const clock = new ManualClock(0);
    const outcome = await callWithRetry(() => Promise.reject(error('server_error')), {
      policy,
      clock,
      sleep: async (ms) => clock.advance(ms),
      deadlineAt: 20_000,
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.attempts).toBe(3);
    expect(outcome.errors).toEqual(['server_error', 'server_error', 'server_error']);
  });

  it('stops when shrink cannot help', async () => {
    let shrinks = 0;
    const outcome = await callWithRetry(() => Promise.reject(error('context_length')), {
      policy,
      clock: new ManualClock(0),
      sleep: async () => undefined,
      deadlineAt: 20_000,
      shrink: () => ++shrinks < 2,
    });
    expect(outcome.attempts).toBe(2);
    expect(shrinks).toBe(2);
  });

  it('rethrows errors that are not ProviderError', async () => {
    const pending = callWithRetry(() => Promise.reject(new TypeError('bug')), {
      policy,
      clock: new ManualClock(0),
      sleep: async () => undefined,
      deadlineAt: 20_000,
    });
    await expect(pending).rejects.toBeInstanceOf(TypeError);
  });
});
