/**
 * Shapes the pipeline hands to monitoring: one record per handled message, customer
 * feedback, and operational events. `MonitorSink` is the port the pipeline calls.
 */

/** Where in the fallback chain the final answer came from. */
export const FALLBACK_LEVELS = { primary: 0, secondary: 1, rules: 2, handoff: 3 } as const;
export type FallbackLevel = (typeof FALLBACK_LEVELS)[keyof typeof FALLBACK_LEVELS];

export type ValidatorOutcome = 'passed' | 'rejected' | 'skipped';
export type RateLimitOutcome = 'allowed' | 'limited' | 'blocked' | 'rejected_input';
export type OutcomeKind = 'answer' | 'notice' | 'handoff' | 'relay' | 'busy';

/** Everything monitoring needs to know about one inbound message once it has its outcome. */
export interface RequestRecord {
  messageId: string;
  conversationId: string;
  channel: string;
  customerId: string;
  /** Milliseconds since the Unix epoch, taken when the bus accepted the message. */
  receivedAt: number;
  /** From acceptance to the outcome being sent, in milliseconds. */
  endToEndMs: number;
  queueWaitMs: number;
  /** Time spent inside provider calls, summed over retries and fallbacks; 0 when none ran. */
  providerMs: number;
  /** Provider that produced the final answer (`openai`, `anthropic`, `rules`), or `none`. */
  provider: string;
  model: string;
  fallbackLevel: FallbackLevel;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  cacheHit: boolean;
  /** `rejected` when at least one candidate answer was rejected during the turn. */
  validatorOutcome: ValidatorOutcome;
  /** Reason codes of every rejection in the turn; keep them a small fixed set (metric label). */
  validatorReasons: string[];
  rateLimitOutcome: RateLimitOutcome;
  outcome: OutcomeKind;
  /**
   * Error class or code met while handling the message (such as `provider_timeout` or
   * `send_failed`), also when a fallback still answered. Counts toward the error rate.
   */
  errorType?: string;
}

/** A thumb is 1 (up) or 0 (down); a rating is an integer from 1 to 5. */
export interface FeedbackEvent {
  conversationId: string;
  customerId: string;
  kind: 'thumb' | 'rating';
  value: number;
}

export type BreakerState = 'closed' | 'half_open' | 'open';

/** Operational events that can start or end an alert without being tied to one message. */
export type MonitorEvent =
  | { type: 'breaker'; provider: string; state: BreakerState }
  | { type: 'provider_auth'; provider: string; ok: boolean }
  | { type: 'queue_depth'; depth: number; capacity: number };

/** The port the pipeline calls. Implementations must catch and log their own failures, not throw. */
export interface MonitorSink {
  recordRequest(record: RequestRecord): void;
  recordFeedback(feedback: FeedbackEvent): void;
  recordEvent(event: MonitorEvent): void;
}
