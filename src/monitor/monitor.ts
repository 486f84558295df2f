import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { silentLogger } from '../log.js';
import { AlertEngine, alertThresholdsFromEnv, type AlertNotifier } from './alerts.js';
import { BudgetGuard, budgetLimitsFromEnv, type UsageStore } from './budget.js';
import type { MonitorEnv } from './config.js';
import { PriceTable } from './cost.js';
import { Metrics, type MetricsGetters } from './metrics.js';
import type { FeedbackEvent, MonitorEvent, MonitorSink, RequestRecord } from './record.js';
import { SatisfactionTracker } from './satisfaction.js';
import { InMemoryStats } from './stats.js';

export interface MonitorOptions extends MetricsGetters {
  env: MonitorEnv;
  notifier?: AlertNotifier;
  usageStore?: UsageStore;
  /** Add Node's process metrics to /metrics; default true. */
  defaultMetrics?: boolean;
  /** Queue bound; with `queueDepth` set, the timer of `start()` checks the queue-depth alert. */
  queueCapacity?: number;
  /** Period of the alert evaluation timer started by `start()`; default 15 s. */
  evaluateEveryMs?: number;
  logger?: Logger;
  clock?: Clock;
}

/**
 * The MonitorSink the pipeline calls. It fans each record, feedback event and operational
 * event out to metrics, statistics, alerts, satisfaction and budgets. Its record methods
 * catch and log their own failures, so they never throw into the pipeline.
 */
export class Monitor implements MonitorSink {
  readonly prices: PriceTable;
  readonly metrics: Metrics;
  readonly satisfaction: SatisfactionTracker;
  readonly stats: InMemoryStats;
  readonly alerts: AlertEngine;
  readonly budget: BudgetGuard;
  private readonly logger: Logger;
  private readonly evaluateEveryMs: number;
  private timer?: NodeJS.Timeout;
  private pendingUsage: Promise<void> = Promise.resolve();
  private readonly queueDepth?: () => number;
  private readonly queueCapacity?: number;

  constructor(options: MonitorOptions) {
    const { env } = options;
    const clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.evaluateEveryMs = options.evaluateEveryMs ?? 15_000;
    this.queueDepth = options.queueDepth;
    this.queueCapacity = options.queueCapacity;
    this.prices = new PriceTable({ overrides: env.MODEL_PRICES, logger: this.logger });
    this.metrics = new Metrics({ ...options, defaultMetrics: options.defaultMetrics });
    this.satisfaction = new SatisfactionTracker({ windowMs: env.ALERT_WINDOW_MS, clock });
    this.stats = new InMemoryStats({
      windowMs: env.ALERT_WINDOW_MS,
      openHandoffs: options.openHandoffs,
      satisfaction: this.satisfaction,
      clock,
    });
    this.alerts = new AlertEngine({
      thresholds: alertThresholdsFromEnv(env),
      notifier: options.notifier,
      satisfaction: () => this.satisfaction.summary(),
      logger: this.logger,
      clock,
    });
    this.budget = new BudgetGuard({ limits: budgetLimitsFromEnv(env), store: options.usageStore, logger: this.logger });
  }

  /** Compute the cost of a call from the price table; fill `RequestRecord.costUsd` with it. */
  costUsd(model: string, tokensIn: number, tokensOut: number): number {
    return this.prices.costUsd(model, tokensIn, tokensOut);
  }

  recordRequest(record: RequestRecord): void {
    try {
      this.metrics.observeRequest(record);
      this.stats.add(record);
      this.alerts.observeRequest(record);
    } catch (error) {
      this.logger.error({ err: error, messageId: record.messageId }, 'recording a request failed');
    }
    const tokens = record.tokensIn + record.tokensOut;
    const usage = this.budget
      .recordUsage(record.customerId, record.receivedAt, tokens, record.costUsd)
      .catch((error: unknown) => {
        this.logger.error({ err: error, customerId: record.customerId }, 'recording budget usage failed');
      });
    this.pendingUsage = Promise.all([this.pendingUsage, usage]).then(() => undefined);
  }

  recordFeedback(feedback: FeedbackEvent): void {
    const fields = { conversationId: feedback.conversationId, kind: feedback.kind, value: feedback.value };
    try {
      if (this.satisfaction.add(feedback) === null) {
        this.logger.warn(fields, 'feedback ignored: a thumb must be 0 or 1 and a rating an integer from 1 to 5');
        return;
      }
      this.metrics.observeFeedback(feedback);
      this.alerts.evaluate();
    } catch (error) {
      this.logger.error({ ...fields, err: error }, 'recording feedback failed');
    }
  }

  recordEvent(event: MonitorEvent): void {
    try {
      this.alerts.observeEvent(event);
    } catch (error) {
      this.logger.error({ err: error, event: event.type }, 'recording a monitor event failed');
    }
  }

  /** Start the timers: alert evaluation (so alerts clear when traffic stops) and the uptime heartbeat. */
  start(): void {
    this.clearTimers();
    this.stats.startHeartbeat();
    this.timer = setInterval(() => this.tick(), this.evaluateEveryMs);
    this.timer.unref();
  }

  /** Stop the timers and wait for alert notifications still in flight. */
  async stop(): Promise<void> {
    this.clearTimers();
    await this.idle();
  }

  /** Resolve once budget writes and alert notifications started so far have settled. */
  async idle(): Promise<void> {
    await Promise.all([this.pendingUsage, this.alerts.idle()]);
  }

  /** Evaluate the window rules and, when the queue is known, its depth. */
  tick(): void {
    if (this.queueDepth && this.queueCapacity) {
      this.recordEvent({ type: 'queue_depth', depth: this.queueDepth(), capacity: this.queueCapacity });
    }
    try {
      this.alerts.evaluate();
    } catch (error) {
      this.logger.error({ err: error }, 'evaluating alerts failed');
    }
  }

  private clearTimers(): void {
    this.stats.stopHeartbeat();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
