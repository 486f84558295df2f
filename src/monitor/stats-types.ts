/** Shapes of the aggregates shown on the dashboard and by the admin `status` and `stats` commands. */

/** Totals of one UTC month for the monthly report. */
export interface MonthlyReport {
  /** UTC month, `YYYY-MM`. */
  month: string;
  messagesHandled: number;
  /** Mean end-to-end time in milliseconds, or null without messages. */
  averageResponseMs: number | null;
  /**
   * Share (0..1) of the minutes since the first heartbeat seen in the month in which the
   * process was up, or null before any heartbeat.
   */
  uptime: number | null;
  totalCostUsd: number;
  costPerMessageUsd: number | null;
  /** Mean feedback score (0..1), or null without feedback. */
  satisfaction: number | null;
  hallucinationsCaught: number;
  abuseBlocked: number;
  fallbackActivations: number;
}

export interface MinutePoint {
  /** Start of the minute, ISO 8601 in UTC. */
  minute: string;
  messages: number;
  errors: number;
  /** End-to-end latency percentiles in milliseconds; null in a minute without samples. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface DayCost {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  costUsd: number;
  messages: number;
}

/** Everything the dashboard draws, computed at one instant. */
export interface StatsSnapshot {
  generatedAt: string;
  /** Span of the `latency`, `errorRate` and `messagesPerMinute` figures, in milliseconds. */
  windowMs: number;
  /** Last 60 minutes, oldest first; minutes without traffic are present with zeros. */
  perMinute: MinutePoint[];
  /** Messages per minute averaged over the window. */
  messagesPerMinute: number;
  latency: { p50: number | null; p95: number | null; p99: number | null; samples: number };
  /** Fraction (0..1) of messages in the window that met an error. */
  errorRate: number | null;
  /** Last 30 UTC days, oldest first, with zeros for days without traffic. */
  costPerDay: DayCost[];
  /** Since start, by fallback level. */
  fallbackActivations: { secondary: number; rules: number; handoff: number };
  /** Messages with at least one answer rejected by the validator, since start. */
  hallucinationsCaught: number;
  /** Messages the guard did not allow (limited, blocked or rejected input), since start. */
  abuseBlocked: number;
  openHandoffs: number;
  satisfaction: { window: number | null; total: number | null; samples: number };
  /** Fraction of answers served from the response cache in the window. */
  cacheHitRate: number | null;
  totals: { messages: number; costUsd: number; errors: number };
  month: MonthlyReport;
}

/** Read side of the statistics; the lead may back it with the request_log table. */
export interface StatsSource {
  snapshot(): Promise<StatsSnapshot>;
  /** Report of a UTC month (`YYYY-MM`), the current one by default. */
  monthlyReport(month?: string): Promise<MonthlyReport>;
}
