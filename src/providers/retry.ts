/**
 * Retries of one provider call, decided by `ProviderError.action`: exponential backoff with
 * full jitter for transient failures, the server's Retry-After for rate limits, and a
 * context shrink for oversized prompts. Anything that does not fit in the remaining
 * deadline gives up, so the caller can move on to the next provider.
 */
import type { Clock } from '../clock.js';
import { ProviderError, type ProviderErrorCode } from './errors.js';

export interface RetryPolicy {
  /** Calls per provider, the first one included. Default 3. */
  maxAttempts: number;
  /** Backoff cap before jitter for the first retry, in ms; doubles per retry. Default 250. */
  baseDelayMs: number;
  /** Largest backoff before jitter, in ms. Default 4000. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 4_000 };

/** Waits `ms` milliseconds; rejects or resolves early when `signal` aborts. Injected in tests. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A sleep on real timers that ends early when the signal aborts. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });

/**
 * Backoff before retry number `retry` (1 for the first retry): a uniform random delay
 * between 0 and min(maxDelayMs, baseDelayMs * 2^(retry-1)), the "full jitter" scheme
 * that spreads retries of many clients apart.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/** Decision after a failed attempt. */
export type RetryDecision = { kind: 'wait'; delayMs: number } | { kind: 'shrink' } | { kind: 'give_up'; reason: string };

export interface RetryState {
  /** Attempts made so far, the failed one included. */
  attempts: number;
  /** Time left until the message deadline, in ms. */
  remainingMs: number;
  policy: RetryPolicy;
  random?: () => number;
}

/** Decide from the error's action alone whether and how to try the same provider again. */
export function decideRetry(error: ProviderError, state: RetryState): RetryDecision {
  if (state.attempts >= state.policy.maxAttempts) return { kind: 'give_up', reason: 'attempts_exhausted' };
  switch (error.action) {
    case 'shrink_context':
      return { kind: 'shrink' };
    case 'retry_after':
      if (error.retryAfterMs === undefined) return fitInDeadline(backoffDelay(state.attempts, state.policy, state.random), state);
      // A wait longer than the deadline allows is better spent on the next provider.
      return fitInDeadline(error.retryAfterMs, state);
    case 'backoff':
      return fitInDeadline(backoffDelay(state.attempts, state.policy, state.random), state);
    default:
      return { kind: 'give_up', reason: error.action };
  }
}

function fitInDeadline(delayMs: number, state: RetryState): RetryDecision {
  if (delayMs >= state.remainingMs) return { kind: 'give_up', reason: 'deadline' };
  return { kind: 'wait', delayMs };
}

export interface RetryOptions {
  policy: RetryPolicy;
  clock: Clock;
  sleep: Sleep;
  /** Absolute deadline in ms since epoch, read from `clock`. */
  deadlineAt: number;
  signal?: AbortSignal;
  random?: () => number;
  /** Called on `shrink_context`; returns false when nothing is left to drop. */
  shrink?: (attempt: number) => boolean | Promise<boolean>;
  /** Called after each failed attempt with the decision taken, for logging. */
  onFailure?: (error: ProviderError, decision: RetryDecision, attempt: number) => void;
}

export type RetryOutcome<T> =
  | { ok: true; value: T; attempts: number; errors: ProviderErrorCode[] }
  | { ok: false; error: ProviderError; attempts: number; errors: ProviderErrorCode[] };

/**
 * Call `attempt` until it succeeds or `decideRetry` gives up. Only `ProviderError`s are
 * handled; any other error is re-thrown to the caller.
 */
export async function callWithRetry<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<RetryOutcome<T>> {
  const errors: ProviderErrorCode[] = [];
  for (let attempts = 1; ; attempts += 1) {
    try {
      return { ok: true, value: await attempt(attempts), attempts, errors };
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      errors.push(error.code);

      const remainingMs = options.deadlineAt - options.clock.now();
      const decision = options.signal?.aborted
        ? ({ kind: 'give_up', reason: 'aborted' } as const)
        : decideRetry(error, { attempts, remainingMs, policy: options.policy, random: options.random });
      options.onFailure?.(error, decision, attempts);

      if (decision.kind === 'give_up') return { ok: false, error, attempts, errors };
      if (decision.kind === 'shrink' && !(await options.shrink?.(attempts))) return { ok: false, error, attempts, errors };
      if (decision.kind === 'wait') await options.sleep(decision.delayMs, options.signal);
    }
  }
}
