import type { Logger } from 'pino';

import type { InboundMessage } from '../bus/types.js';
import { systemClock, type Clock } from '../clock.js';
import { silentLogger } from '../log.js';
import { checkInput, type InputOptions } from './input.js';
import { AdaptiveLimiter, type AdaptiveLimiterOptions, type LimitWindow } from './limiter.js';
import { GuardAdmin } from './lists.js';
import { normalizeForAnalysis } from './normalize.js';
import { RiskTracker, type RiskOptions } from './risk.js';
import { MemoryGuardStore, type GuardStore, type SenderPolicy } from './store.js';
import { senderKeyOf, type GuardDecision, type GuardStats, type SenderKey } from './types.js';

/** Base limits and floors of the two default windows. */
export interface GuardLimits {
  /** Default 20. */
  perMinute?: number;
  /** Default 200. */
  perHour?: number;
  /** Default 3. */
  floorPerMinute?: number;
  /** Default 30. */
  floorPerHour?: number;
}

/** Options of `createGuard`; every field has a default. */
export interface GuardOptions {
  /** Lists and audit. Default: in memory. */
  store?: GuardStore;
  limits?: GuardLimits;
  /** Replaces the minute and hour windows that `limits` describes. */
  windows?: LimitWindow[];
  /** Count limits in Redis so that every process shares them. */
  redis?: AdaptiveLimiterOptions['redis'];
  /** Risk options; the clock comes from `clock`. */
  risk?: Omit<RiskOptions, 'clock'>;
  input?: InputOptions;
  clock?: Clock;
  logger?: Logger;
}

/** The checks in front of the agent. */
export interface Guard {
  /** Decide what happens to one inbound message. Call once per message, in arrival order. */
  check(message: InboundMessage): Promise<GuardDecision>;
  /** Raise the risk of a sender whose input made the validator reject a reply. */
  recordValidatorRejection(sender: SenderKey): void;
  readonly admin: GuardAdmin;
  /** Counters since creation. Returns a copy. */
  stats(): GuardStats;
}

function windowsFrom(limits: GuardLimits = {}): LimitWindow[] {
  return [
    { name: 'minute', durationMs: 60_000, points: limits.perMinute ?? 20, floor: limits.floorPerMinute ?? 3 },
    { name: 'hour', durationMs: 3_600_000, points: limits.perHour ?? 200, floor: limits.floorPerHour ?? 30 },
  ];
}

// Risk analysis reads at most this many UTF-16 units. Longer texts are rejected by the input
// checks anyway, and the cap bounds the cost of normalizing and sketching a huge message.
const ANALYSIS_MAX_LENGTH = 20_000;

function emptyStats(): GuardStats {
  return { allowed: 0, blocked: 0, limited: {}, limitNotices: 0, rejectedInput: {}, allowlisted: 0 };
}

/**
 * Create the guard. Per message it checks, in order, the blocklist, the risk signals of the
 * text, the adaptive rate limit (skipped for allowlisted senders) and the input checks.
 * Limits come before input checks so that a flood of stickers is limited, not replied to.
 */
export function createGuard(options: GuardOptions = {}): Guard {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const store = options.store ?? new MemoryGuardStore();
  const risk = new RiskTracker({ ...options.risk, clock });
  const limiter = new AdaptiveLimiter({ windows: options.windows ?? windowsFrom(options.limits), redis: options.redis });
  const admin = new GuardAdmin({ store, risk, clock, logger, resetLimits: (sender) => limiter.reset(sender) });
  const stats = emptyStats();

  async function checkBlocked(sender: SenderKey, policy: SenderPolicy): Promise<GuardDecision | undefined> {
    if (!policy.block) return undefined;
    stats.blocked += 1;
    const notify = !policy.block.noticeSent && (await store.markBlockNoticeSent(sender));
    logger.debug({ event: 'guard.blocked', sender, notify }, 'message from blocked sender dropped');
    return { action: 'blocked', sender, notify };
  }

  async function checkLimit(sender: SenderKey, policy: SenderPolicy, score: number): Promise<GuardDecision | undefined> {
    if (policy.allow) {
      stats.allowlisted += 1;
      return undefined;
    }
    const result = await limiter.hit(sender, score, policy.limit?.points);
    if (!result.limited) return undefined;

    stats.limited[result.window] = (stats.limited[result.window] ?? 0) + 1;
    if (result.notify) {
      stats.limitNotices += 1;
      // Counted once per limited window, so a long flood raises risk without running away.
      risk.record(sender, 'limited');
      logger.warn(
        { event: 'guard.limited', sender, window: result.window, limit: result.limit, risk: score, retryAfterMs: result.retryAfterMs },
        'sender rate limited',
      );
    }
    return { action: 'limited', sender, window: result.window, retryAfterMs: result.retryAfterMs, notify: result.notify, risk: score };
  }

  async function check(message: InboundMessage): Promise<GuardDecision> {
    const sender = senderKeyOf(message.channel, message.sender.id);
    const policy = await store.getPolicy(sender);
    const blocked = await checkBlocked(sender, policy);
    if (blocked) return blocked;

    risk.observe(sender, normalizeForAnalysis(message.text.slice(0, ANALYSIS_MAX_LENGTH)));
    const score = risk.score(sender);
    const limited = await checkLimit(sender, policy, score);
    if (limited) return limited;

    const input = checkInput(message, options.input);
    if (!input.ok) {
      stats.rejectedInput[input.reason] = (stats.rejectedInput[input.reason] ?? 0) + 1;
      logger.warn({ event: 'guard.input_rejected', sender, reason: input.reason }, 'input rejected');
      return { action: 'reject_input', sender, reason: input.reason, replyKey: input.replyKey, replyVars: input.replyVars };
    }
    stats.allowed += 1;
    return { action: 'allow', sender, normalizedText: input.text, risk: score };
  }

  return {
    check,
    recordValidatorRejection: (sender) => risk.recordValidatorRejection(sender),
    admin,
    stats: () => structuredClone(stats),
  };
}
