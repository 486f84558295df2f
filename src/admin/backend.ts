/**
 * Port through which admin commands read and steer the running bot. The composition root
 * implements it with the real guard, provider health, queue and metrics.
 */

/** Identity of the user running an admin command: their channel and user id on it. */
export interface AdminUser {
  /** `slack`, `telegram`, ... */
  channel: string;
  id: string;
  name?: string;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface ProviderStatus {
  name: string;
  /** False when an admin switched the provider off. */
  enabled: boolean;
  healthy: boolean;
  breaker: BreakerState;
}

export interface SystemStatus {
  providers: ProviderStatus[];
  /** Messages accepted but not yet processed. */
  queueDepth: number;
  /** Share of failed turns in the recent window, 0..1. */
  errorRate: number;
  /** 95th percentile of turn latency in milliseconds, recent window. */
  p95LatencyMs: number;
  /** True while maintenance mode is on. */
  paused: boolean;
}

export interface UsageStats {
  /** The period the numbers cover, as given (`1h`, `24h`, `7d`). */
  period: string;
  messages: number;
  conversations: number;
  handoffs: number;
  /** Fallback level counts, such as `{ primary: 90, secondary: 5, rules: 3, human: 2 }`. */
  answeredBy: Record<string, number>;
  costUsd: number;
  averageRating?: number;
}

export interface OpenHandoffSummary {
  id: string;
  conversationId: string;
  customerName: string;
  channel: string;
  state: 'waiting' | 'staff';
  claimedBy?: string;
  /** Epoch milliseconds. */
  openedAt: number;
}

/** Result of forcing a handoff; `not_found` when no conversation has that id. */
export type ForceHandoffResult = { status: 'opened'; handoffId: string } | { status: 'not_found' };

export interface AdminBackend {
  status(): Promise<SystemStatus>;
  stats(period: string): Promise<UsageStats>;
  openHandoffs(): Promise<OpenHandoffSummary[]>;
  /** Block a sender (`channel:id` or a bare id, as the guard understands it). */
  block(sender: string, by: AdminUser): Promise<void>;
  unblock(sender: string, by: AdminUser): Promise<void>;
  /** Customers who spent their daily token or cost budget on `day` (`YYYY-MM-DD`, UTC). */
  overBudget(day: string): Promise<string[]>;
  /** Let a sender skip rate limits (input checks still apply). */
  allow(sender: string, by: AdminUser): Promise<void>;
  /** A sender's current risk score (0..1) and the signals behind it. */
  risk(sender: string): Promise<{ score: number; reasons: Array<{ signal: string; contribution: number }> }>;
  /** Set a per-sender rate limit in messages per minute. */
  limit(sender: string, perMinute: number, by: AdminUser): Promise<void>;
  /** Switch a provider on or off; returns false when no provider has that name. */
  setProviderEnabled(name: string, enabled: boolean, by: AdminUser): Promise<boolean>;
  /** Switch maintenance mode; while paused only the rules engine and handoff reply. */
  setPaused(paused: boolean, by: AdminUser): Promise<void>;
  forceHandoff(conversationId: string, by: AdminUser): Promise<ForceHandoffResult>;
}
