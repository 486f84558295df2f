import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

import { GuardError } from './errors.js';
import type { SenderKey } from './types.js';

/** One fixed window of the per-sender limit. */
export interface LimitWindow {
  /** Name used in decisions, overrides and keys, such as `minute`. */
  name: string;
  /** Window length in ms; must be a whole number of seconds (rate-limiter-flexible counts in seconds). */
  durationMs: number;
  /** Messages allowed per window at risk 0. */
  points: number;
  /** Lowest limit that risk can push the window down to. */
  floor: number;
}

/** Default windows: 20 per minute (floor 3) and 200 per hour (floor 30). */
export const DEFAULT_WINDOWS: LimitWindow[] = [
  { name: 'minute', durationMs: 60_000, points: 20, floor: 3 },
  { name: 'hour', durationMs: 3_600_000, points: 200, floor: 30 },
];

/** Options of `AdaptiveLimiter`. */
export interface AdaptiveLimiterOptions {
  windows?: LimitWindow[];
  /** Count in Redis, shared by every process, instead of process memory. */
  redis?: { client: Redis; keyPrefix: string };
  /** Prefix of the in-memory keys. Default `guard`. */
  keyPrefix?: string;
}

/** Result of counting one message. `notify` is true for the first limited message per window. */
export type LimitResult =
  | { limited: false }
  | { limited: true; window: string; retryAfterMs: number; notify: boolean; limit: number; consumed: number };

/**
 * Effective limit of a window at a given risk: `max(floor, round(base * (1 - risk)))`.
 * The floor never exceeds the base, so an admin override below the floor still applies.
 */
export function adaptiveLimit(base: number, floor: number, risk: number): number {
  const clampedRisk = Math.min(1, Math.max(0, risk));
  return Math.max(Math.min(floor, base), Math.round(base * (1 - clampedRisk)));
}

interface WindowLimiters {
  window: LimitWindow;
  counter: RateLimiterAbstract;
  /** One point per window and sender: the first limited message takes it and gets the notice. */
  notices: RateLimiterAbstract;
}

/**
 * Per-sender fixed-window counters whose limit adapts to a risk score.
 *
 * rate-limiter-flexible limiters have a fixed number of points, so every message consumes
 * one point in each window and the guard compares the window's consumed points with the
 * adaptive limit computed at that moment. The alternative, consuming `ceil(1/(1-risk))`
 * points per message, would keep charging a sender for risk that has since decayed.
 * Comparing counts lets the limit relax as soon as the score drops, and per-sender
 * overrides need no separate limiter. Limited messages count too, so a sender who keeps flooding stays limited
 * in the longer windows.
 *
 * Time: the memory store reads `Date.now()` and the Redis store uses key TTLs in Redis, so
 * neither follows an injected Clock. Tests move `Date` with fake timers.
 */
export class AdaptiveLimiter {
  private readonly windows: WindowLimiters[];

  constructor(options: AdaptiveLimiterOptions = {}) {
    const windows = options.windows ?? DEFAULT_WINDOWS;
    for (const window of windows) validateWindow(window);
    this.windows = windows.map((window) => createWindowLimiters(window, options));
  }

  /** Window names in order, such as `['minute', 'hour']`. */
  get windowNames(): string[] {
    return this.windows.map((entry) => entry.window.name);
  }

  /**
   * Count one message from `sender` in every window and report whether it is over the
   * adaptive limit. `overrides` replaces a window's base points for this sender; risk still
   * tightens an override.
   */
  async hit(sender: SenderKey, risk: number, overrides: Record<string, number> = {}): Promise<LimitResult> {
    const counts = await Promise.all(this.windows.map((entry) => consumeOne(entry.counter, sender)));
    let worst: { entry: WindowLimiters; res: RateLimiterRes; limit: number } | undefined;

    counts.forEach((res, index) => {
      const entry = this.windows[index]!;
      const base = overrides[entry.window.name] ?? entry.window.points;
      const limit = adaptiveLimit(base, entry.window.floor, risk);
      if (res.consumedPoints <= limit) return;
      // When several windows are full the sender must wait for the one that resets last.
      if (!worst || res.msBeforeNext > worst.res.msBeforeNext) worst = { entry, res, limit };
    });
    if (!worst) return { limited: false };

    const retryAfterMs = Math.max(0, worst.res.msBeforeNext);
    const notify = await takeNotice(worst.entry.notices, sender, retryAfterMs);
    return {
      limited: true,
      window: worst.entry.window.name,
      retryAfterMs,
      notify,
      limit: worst.limit,
      consumed: worst.res.consumedPoints,
    };
  }

  /** Clear every window and notice of a sender, such as after an admin unblock. */
  async reset(sender: SenderKey): Promise<void> {
    await Promise.all(
      this.windows.flatMap((entry) => [entry.counter.delete(sender), entry.notices.delete(sender)]),
    );
  }
}

function validateWindow(window: LimitWindow): void {
  const durationSec = window.durationMs / 1000;
  if (!Number.isInteger(durationSec) || durationSec < 1) {
    throw new GuardError('invalid_window', `limit window "${window.name}" has durationMs ${window.durationMs}; use a whole number of seconds`);
  }
  if (!Number.isInteger(window.points) || window.points < 1 || !Number.isInteger(window.floor) || window.floor < 1) {
    throw new GuardError('invalid_window', `limit window "${window.name}" needs whole points and floor of at least 1`);
  }
}

function createWindowLimiters(window: LimitWindow, options: AdaptiveLimiterOptions): WindowLimiters {
  const duration = window.durationMs / 1000;
  const make = (kind: string, points: number): RateLimiterAbstract => {
    if (!options.redis) {
      return new RateLimiterMemory({ keyPrefix: `${options.keyPrefix ?? 'guard'}:${kind}:${window.name}`, points, duration });
    }
    const keyPrefix = `${options.redis.keyPrefix}:${kind}:${window.name}`;
    // When Redis fails, the insurance limiter counts in this process so limits still hold,
    // per process, until Redis responds again.
    return new RateLimiterRedis({
      storeClient: options.redis.client,
      keyPrefix,
      points,
      duration,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
    });
  };
  return { window, counter: make('count', window.points), notices: make('notice', 1) };
}

/** Consume one point; a rejection that carries a RateLimiterRes is a count, not a failure. */
async function consumeOne(
  limiter: RateLimiterAbstract,
  key: string,
  options: { customDuration?: number } = {},
): Promise<RateLimiterRes> {
  try {
    return await limiter.consume(key, 1, options);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return rejection;
    throw rejection;
  }
}

async function takeNotice(notices: RateLimiterAbstract, key: string, retryAfterMs: number): Promise<boolean> {
  // The notice key lives as long as the limited window, rounded up to whole seconds, so the
  // next window can notify again. customDuration only applies when the key is created.
  const customDuration = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const res = await consumeOne(notices, key, { customDuration });
  return res.consumedPoints === 1;
}
