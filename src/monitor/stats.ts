import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { RequestRecord } from './record.js';
import type { SatisfactionTracker } from './satisfaction.js';
import type { DayCost, MinutePoint, MonthlyReport, StatsSnapshot, StatsSource } from './stats-types.js';
import { percentile } from './window.js';

export type * from './stats-types.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const SERIES_MINUTES = 60;
const SERIES_DAYS = 30;

export interface InMemoryStatsOptions {
  /** Span of the windowed figures; default 5 minutes. */
  windowMs?: number;
  /** Recent records kept for percentiles; default 20 000. */
  ringSize?: number;
  openHandoffs?: () => number;
  satisfaction?: SatisfactionTracker;
  clock?: Clock;
}

interface Sample {
  at: number;
  latencyMs: number;
  failed: boolean;
  cacheHit: boolean;
  answer: boolean;
}

interface MonthTally {
  messages: number;
  latencySumMs: number;
  costUsd: number;
  hallucinations: number;
  abuse: number;
  fallbacks: number;
  /** Minute numbers (ms / 60 000) in which the process was seen alive. */
  aliveMinutes: Set<number>;
  firstMinute: number;
}

const monthOf = (ms: number): string => new Date(ms).toISOString().slice(0, 7);
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * StatsSource over a ring of recent records plus running counters, all in memory.
 * Percentiles cover what the ring still holds; counts per minute, day and month are exact.
 */
export class InMemoryStats implements StatsSource {
  private readonly windowMs: number;
  private readonly ring: Sample[] = [];
  private readonly ringSize: number;
  private ringNext = 0;
  private readonly minutes = new Map<number, { messages: number; errors: number }>();
  private readonly days = new Map<string, DayCost>();
  private readonly months = new Map<string, MonthTally>();
  private readonly totals = { messages: 0, costUsd: 0, errors: 0, hallucinations: 0, abuse: 0 };
  private readonly fallbacks = { secondary: 0, rules: 0, handoff: 0 };
  private readonly openHandoffs: () => number;
  private readonly satisfaction?: SatisfactionTracker;
  private readonly clock: Clock;
  private heartbeatTimer?: NodeJS.Timeout;

  constructor(options: InMemoryStatsOptions = {}) {
    this.windowMs = options.windowMs ?? 5 * MINUTE_MS;
    this.ringSize = options.ringSize ?? 20_000;
    this.openHandoffs = options.openHandoffs ?? (() => 0);
    this.satisfaction = options.satisfaction;
    this.clock = options.clock ?? systemClock;
  }

  add(record: RequestRecord): void {
    const now = this.clock.now();
    const failed = record.errorType !== undefined;
    const sample: Sample = {
      at: now,
      latencyMs: record.endToEndMs,
      failed,
      cacheHit: record.cacheHit,
      answer: record.outcome === 'answer',
    };
    if (this.ring.length < this.ringSize) this.ring.push(sample);
    else this.ring[this.ringNext] = sample;
    this.ringNext = (this.ringNext + 1) % this.ringSize;

    this.countMinute(now, failed);
    const day = this.days.get(dayOf(now)) ?? { day: dayOf(now), costUsd: 0, messages: 0 };
    day.costUsd += record.costUsd;
    day.messages += 1;
    this.days.set(day.day, day);

    const hallucination = record.validatorOutcome === 'rejected';
    const abuse = record.rateLimitOutcome !== 'allowed';
    this.totals.messages += 1;
    this.totals.costUsd += record.costUsd;
    if (failed) this.totals.errors += 1;
    if (hallucination) this.totals.hallucinations += 1;
    if (abuse) this.totals.abuse += 1;
    if (record.fallbackLevel === 1) this.fallbacks.secondary += 1;
    if (record.fallbackLevel === 2) this.fallbacks.rules += 1;
    if (record.fallbackLevel === 3) this.fallbacks.handoff += 1;

    const month = this.monthTally(now);
    month.messages += 1;
    month.latencySumMs += record.endToEndMs;
    month.costUsd += record.costUsd;
    if (hallucination) month.hallucinations += 1;
    if (abuse) month.abuse += 1;
    if (record.fallbackLevel > 0) month.fallbacks += 1;
    this.prune(now);
  }

  /** Mark the current minute as up; `add` and the timer of `startHeartbeat` call it. */
  heartbeat(now = this.clock.now()): void {
    this.monthTally(now);
  }

  private monthTally(now: number): MonthTally {
    const key = monthOf(now);
    const minute = Math.floor(now / MINUTE_MS);
    let month = this.months.get(key);
    if (!month) {
      month = {
        messages: 0,
        latencySumMs: 0,
        costUsd: 0,
        hallucinations: 0,
        abuse: 0,
        fallbacks: 0,
        aliveMinutes: new Set(),
        firstMinute: minute,
      };
      this.months.set(key, month);
    }
    month.aliveMinutes.add(minute);
    return month;
  }

  /** Beat every `intervalMs` (default 30 s) so idle minutes still count as up. */
  startHeartbeat(intervalMs = 30_000): void {
    this.stopHeartbeat();
    this.heartbeat();
    this.heartbeatTimer = setInterval(() => this.heartbeat(), intervalMs);
    this.heartbeatTimer.unref();
  }

  stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  async snapshot(): Promise<StatsSnapshot> {
    const now = this.clock.now();
    const windowed = this.ring.filter((sample) => sample.at > now - this.windowMs);
    const latencies = windowed.map((sample) => sample.latencyMs).sort((a, b) => a - b);
    const answers = windowed.filter((sample) => sample.answer);
    const satisfaction = this.satisfaction?.summary();
    return {
      generatedAt: new Date(now).toISOString(),
      windowMs: this.windowMs,
      perMinute: this.perMinute(now),
      messagesPerMinute: windowed.length / (this.windowMs / MINUTE_MS),
      latency: {
        p50: percentile(latencies, 0.5),
        p95: percentile(latencies, 0.95),
        p99: percentile(latencies, 0.99),
        samples: latencies.length,
      },
      errorRate: windowed.length === 0 ? null : windowed.filter((sample) => sample.failed).length / windowed.length,
      costPerDay: this.costPerDay(now),
      fallbackActivations: { ...this.fallbacks },
      hallucinationsCaught: this.totals.hallucinations,
      abuseBlocked: this.totals.abuse,
      openHandoffs: this.openHandoffs(),
      satisfaction: {
        window: satisfaction?.window ?? null,
        total: satisfaction?.total ?? null,
        samples: satisfaction?.totalSamples ?? 0,
      },
      cacheHitRate: answers.length === 0 ? null : answers.filter((sample) => sample.cacheHit).length / answers.length,
      totals: { messages: this.totals.messages, costUsd: this.totals.costUsd, errors: this.totals.errors },
      month: this.report(monthOf(now), now),
    };
  }

  async monthlyReport(month?: string): Promise<MonthlyReport> {
    const now = this.clock.now();
    return this.report(month ?? monthOf(now), now);
  }

  private report(key: string, now: number): MonthlyReport {
    const tally = this.months.get(key);
    const satisfaction = this.satisfaction?.month(key) ?? null;
    if (!tally) {
      return {
        month: key,
        messagesHandled: 0,
        averageResponseMs: null,
        uptime: null,
        totalCostUsd: 0,
        costPerMessageUsd: null,
        satisfaction,
        hallucinationsCaught: 0,
        abuseBlocked: 0,
        fallbackActivations: 0,
      };
    }
    const end = new Date(`${key}-01T00:00:00Z`);
    end.setUTCMonth(end.getUTCMonth() + 1);
    let lastMinute = Math.floor(Math.min(now, end.getTime() - 1) / MINUTE_MS);
    // The minute in progress counts only once a heartbeat has marked it.
    if (!tally.aliveMinutes.has(lastMinute)) lastMinute -= 1;
    const elapsedMinutes = lastMinute - tally.firstMinute + 1;
    const handled = tally.messages;
    return {
      month: key,
      messagesHandled: handled,
      averageResponseMs: handled === 0 ? null : tally.latencySumMs / handled,
      uptime: elapsedMinutes > 0 ? Math.min(1, tally.aliveMinutes.size / elapsedMinutes) : null,
      totalCostUsd: tally.costUsd,
      costPerMessageUsd: handled === 0 ? null : tally.costUsd / handled,
      satisfaction,
      hallucinationsCaught: tally.hallucinations,
      abuseBlocked: tally.abuse,
      fallbackActivations: tally.fallbacks,
    };
  }

  private perMinute(now: number): MinutePoint[] {
    const current = Math.floor(now / MINUTE_MS);
    const first = current - SERIES_MINUTES + 1;
    const latencies = new Map<number, number[]>();
    for (const sample of this.ring) {
      const minute = Math.floor(sample.at / MINUTE_MS);
      if (minute < first || minute > current) continue;
      const list = latencies.get(minute) ?? [];
      list.push(sample.latencyMs);
      latencies.set(minute, list);
    }
    const points: MinutePoint[] = [];
    for (let minute = first; minute <= current; minute++) {
      const counts = this.minutes.get(minute) ?? { messages: 0, errors: 0 };
      const sorted = (latencies.get(minute) ?? []).sort((a, b) => a - b);
      points.push({
        minute: new Date(minute * MINUTE_MS).toISOString(),
        messages: counts.messages,
        errors: counts.errors,
        p50: percentile(sorted, 0.5),
        p95: percentile(sorted, 0.95),
        p99: percentile(sorted, 0.99),
      });
    }
    return points;
  }

  private costPerDay(now: number): DayCost[] {
    const series: DayCost[] = [];
    for (let back = SERIES_DAYS - 1; back >= 0; back--) {
      const day = dayOf(now - back * DAY_MS);
      series.push({ ...(this.days.get(day) ?? { day, costUsd: 0, messages: 0 }) });
    }
    return series;
  }

  private countMinute(now: number, failed: boolean): void {
    const minute = Math.floor(now / MINUTE_MS);
    const counts = this.minutes.get(minute) ?? { messages: 0, errors: 0 };
    counts.messages += 1;
    if (failed) counts.errors += 1;
    this.minutes.set(minute, counts);
  }

  /** Drop minute and day buckets that no series shows any more. */
  private prune(now: number): void {
    const oldestMinute = Math.floor(now / MINUTE_MS) - SERIES_MINUTES;
    for (const minute of this.minutes.keys()) if (minute < oldestMinute) this.minutes.delete(minute);
    const oldestDay = dayOf(now - (SERIES_DAYS + 1) * DAY_MS);
    for (const day of this.days.keys()) if (day < oldestDay) this.days.delete(day);
  }
}
