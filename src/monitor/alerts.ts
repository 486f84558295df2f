import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { silentLogger } from '../log.js';
import type { MonitorEnv } from './config.js';
import type { MonitorEvent, RequestRecord } from './record.js';
import type { SatisfactionSummary } from './satisfaction.js';
import { SlidingWindow, percentile } from './window.js';

export type AlertName =
  | 'latency_p95'
  | 'error_rate'
  | 'satisfaction'
  | 'breaker_open'
  | 'provider_auth'
  | 'queue_depth';

/** One change of an alert: it started (`firing`) or its condition ended (`resolved`). */
export interface Alert {
  name: AlertName;
  /** Instance of the rule, such as the provider of a breaker alert; empty for global rules. */
  subject: string;
  state: 'firing' | 'resolved';
  /** One line for operators, in English like the logs. */
  summary: string;
  value?: number;
  threshold?: number;
  at: number;
}

/** Destination of alerts besides the log; the composition root posts them to Slack. */
export interface AlertNotifier {
  notify(alert: Alert): Promise<void> | void;
}

export interface AlertThresholds {
  windowMs: number;
  /** Messages in the window before latency and error-rate rules may fire. */
  minSamples: number;
  p95LatencyMs: number;
  /** Fraction of messages with an error, 0..1. */
  errorRate: number;
  /** Mean satisfaction score, 0..1, below which the satisfaction rule fires. */
  satisfactionMin: number;
  satisfactionMinSamples: number;
  /** Queue fill ratio at which the queue rule fires; it clears 0.1 below that. */
  queueDepthRatio: number;
}

/** Read the alert thresholds out of the parsed environment. */
export function alertThresholdsFromEnv(env: MonitorEnv): AlertThresholds {
  return {
    windowMs: env.ALERT_WINDOW_MS,
    minSamples: env.ALERT_MIN_SAMPLES,
    p95LatencyMs: env.ALERT_P95_LATENCY_MS,
    errorRate: env.ALERT_ERROR_RATE,
    satisfactionMin: env.ALERT_SATISFACTION_MIN,
    satisfactionMinSamples: env.ALERT_SATISFACTION_MIN_SAMPLES,
    queueDepthRatio: env.ALERT_QUEUE_DEPTH_RATIO,
  };
}

export interface AlertEngineOptions {
  thresholds: AlertThresholds;
  notifier?: AlertNotifier;
  /** Windowed satisfaction; without it the satisfaction rule never fires. */
  satisfaction?: () => SatisfactionSummary;
  /** Minimum time between window evaluations triggered by records; default 1000 ms. */
  evaluateIntervalMs?: number;
  logger?: Logger;
  clock?: Clock;
}

/** Result of one rule: whether its condition is met, or `hold` when the samples are too few. */
type Verdict = { firing: boolean; summary: string; value?: number; threshold: number } | 'hold';

const QUEUE_CLEAR_MARGIN = 0.1;

/**
 * Sliding-window and event-driven alert rules. Each alert is sent once when its condition
 * starts and once when it clears, never again while it holds. With fewer samples than the
 * minimum a window rule keeps its state, and once the window is empty it clears.
 */
export class AlertEngine {
  private readonly thresholds: AlertThresholds;
  private readonly window: SlidingWindow<{ latencyMs: number; failed: boolean }>;
  private readonly active = new Map<string, Alert>();
  private readonly notifier?: AlertNotifier;
  private readonly satisfaction?: () => SatisfactionSummary;
  private readonly evaluateIntervalMs: number;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private lastEvaluation = Number.NEGATIVE_INFINITY;
  private pending: Promise<void> = Promise.resolve();

  constructor(options: AlertEngineOptions) {
    this.thresholds = options.thresholds;
    this.window = new SlidingWindow(options.thresholds.windowMs);
    this.notifier = options.notifier;
    this.satisfaction = options.satisfaction;
    this.evaluateIntervalMs = options.evaluateIntervalMs ?? 1000;
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
  }

  observeRequest(record: RequestRecord): void {
    const now = this.clock.now();
    this.window.push(now, { latencyMs: record.endToEndMs, failed: record.errorType !== undefined });
    // An answer from a provider proves its credentials work again.
    if (this.active.has(key('provider_auth', record.provider))) {
      this.transition('provider_auth', record.provider, {
        firing: false,
        summary: `provider ${record.provider} answered again after an authentication failure`,
        threshold: 0,
      });
    }
    if (now - this.lastEvaluation >= this.evaluateIntervalMs) this.evaluate();
  }

  observeEvent(event: MonitorEvent): void {
    if (event.type === 'breaker') {
      if (event.state === 'half_open') return;
      const open = event.state === 'open';
      this.transition('breaker_open', event.provider, {
        firing: open,
        summary: open
          ? `circuit breaker of provider ${event.provider} opened`
          : `circuit breaker of provider ${event.provider} closed`,
        threshold: 0,
      });
    } else if (event.type === 'provider_auth') {
      this.transition('provider_auth', event.provider, {
        firing: !event.ok,
        summary: event.ok
          ? `provider ${event.provider} accepts its credentials again`
          : `provider ${event.provider} rejected its credentials; check its API key`,
        threshold: 0,
      });
    } else {
      this.transition('queue_depth', '', this.queueVerdict(event.depth, event.capacity));
    }
  }

  /** Evaluate the window rules now; also call it from a timer so alerts clear when traffic stops. */
  evaluate(): void {
    const now = this.clock.now();
    this.lastEvaluation = now;
    const samples = this.window.values(now);
    this.transition('latency_p95', '', this.latencyVerdict(samples.map((s) => s.latencyMs)));
    this.transition('error_rate', '', this.errorVerdict(samples.map((s) => s.failed)));
    if (this.satisfaction) this.transition('satisfaction', '', this.satisfactionVerdict(this.satisfaction()));
  }

  /** Alerts firing now. */
  firing(): Alert[] {
    return [...this.active.values()];
  }

  /** Resolve once every notification sent so far has settled; for tests and shutdown. */
  idle(): Promise<void> {
    return this.pending;
  }

  private latencyVerdict(latencies: number[]): Verdict {
    const { minSamples, p95LatencyMs, windowMs } = this.thresholds;
    if (latencies.length === 0) return quiet('no messages in the window', p95LatencyMs);
    if (latencies.length < minSamples) return 'hold';
    const p95 = percentile(latencies.sort((a, b) => a - b), 0.95) ?? 0;
    const span = formatSpan(windowMs);
    return {
      firing: p95 > p95LatencyMs,
      summary: `p95 latency over the last ${span} is ${Math.round(p95)} ms (threshold ${p95LatencyMs} ms)`,
      value: p95,
      threshold: p95LatencyMs,
    };
  }

  private errorVerdict(failures: boolean[]): Verdict {
    const { minSamples, errorRate, windowMs } = this.thresholds;
    if (failures.length === 0) return quiet('no messages in the window', errorRate);
    if (failures.length < minSamples) return 'hold';
    const rate = failures.filter(Boolean).length / failures.length;
    return {
      firing: rate > errorRate,
      summary:
        `error rate over the last ${formatSpan(windowMs)} is ${formatPercent(rate)} ` +
        `(threshold ${formatPercent(errorRate)})`,
      value: rate,
      threshold: errorRate,
    };
  }

  private satisfactionVerdict(summary: SatisfactionSummary): Verdict {
    const { satisfactionMin, satisfactionMinSamples, windowMs } = this.thresholds;
    if (summary.window === null) return quiet('no feedback in the window', satisfactionMin);
    if (summary.windowSamples < satisfactionMinSamples) return 'hold';
    return {
      firing: summary.window < satisfactionMin,
      summary:
        `satisfaction over the last ${formatSpan(windowMs)} is ${summary.window.toFixed(2)} ` +
        `from ${summary.windowSamples} feedback events (threshold ${satisfactionMin})`,
      value: summary.window,
      threshold: satisfactionMin,
    };
  }

  private queueVerdict(depth: number, capacity: number): Verdict {
    const threshold = this.thresholds.queueDepthRatio;
    const ratio = capacity > 0 ? depth / capacity : 0;
    const summary =
      `queue depth is ${depth} of ${capacity} messages ` +
      `(${formatPercent(ratio)}, threshold ${formatPercent(threshold)})`;
    // A lower clear level keeps a queue hovering at the threshold from flapping the alert.
    const firing = this.active.has(key('queue_depth', ''))
      ? ratio >= threshold - QUEUE_CLEAR_MARGIN
      : ratio >= threshold;
    return { firing, summary, value: ratio, threshold };
  }

  private transition(name: AlertName, subject: string, verdict: Verdict): void {
    if (verdict === 'hold') return;
    const id = key(name, subject);
    const wasFiring = this.active.has(id);
    if (verdict.firing === wasFiring) return;
    const alert: Alert = {
      name,
      subject,
      state: verdict.firing ? 'firing' : 'resolved',
      summary: verdict.summary,
      value: verdict.value,
      threshold: verdict.threshold,
      at: this.clock.now(),
    };
    if (verdict.firing) this.active.set(id, alert);
    else this.active.delete(id);
    this.emit(alert);
  }

  private emit(alert: Alert): void {
    const fields = { alert: alert.name, subject: alert.subject || undefined, value: alert.value };
    if (alert.state === 'firing') this.logger.warn(fields, `alert firing: ${alert.summary}`);
    else this.logger.info(fields, `alert resolved: ${alert.summary}`);
    const notifier = this.notifier;
    if (!notifier) return;
    this.pending = this.pending
      .then(() => notifier.notify(alert))
      .catch((error: unknown) => {
        this.logger.error({ err: error, alert: alert.name }, 'alert notification failed');
      });
  }
}

/** Format an alert as one line of plain text for chat, such as `[FIRING] error_rate: ...`. */
export function formatAlert(alert: Alert): string {
  const subject = alert.subject ? ` (${alert.subject})` : '';
  return `[${alert.state.toUpperCase()}] ${alert.name}${subject}: ${alert.summary}`;
}

function quiet(summary: string, threshold: number): Verdict {
  return { firing: false, summary, threshold };
}

function key(name: AlertName, subject: string): string {
  return `${name}:${subject}`;
}

function formatSpan(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`;
}

function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}
