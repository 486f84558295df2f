import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BreakerState, FeedbackEvent, RequestRecord } from './record.js';

/** Live values the metrics read at scrape time; the composition root supplies them. */
export interface MetricsGetters {
  queueDepth?: () => number;
  openHandoffs?: () => number;
  /** Circuit breaker state of each provider, keyed by provider name. */
  breakerStates?: () => Record<string, BreakerState>;
  /** Lookup counters of the response cache since start. */
  cacheStats?: () => { hits: number; misses: number };
}

export interface MetricsOptions extends MetricsGetters {
  /** Add Node's process metrics (CPU, memory, event loop lag); default true. */
  defaultMetrics?: boolean;
  /** Prefix of every metric name; default `frontdesk_`. */
  prefix?: string;
}

/** Gauge values for `frontdesk_breaker_state`: 0 closed, 1 half-open, 2 open. */
export const BREAKER_STATE_VALUES: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

const FALLBACK_LEVEL_NAMES = ['primary', 'secondary', 'rules', 'handoff'] as const;
/** Seconds; spans cache hits (milliseconds) to slow LLM turns with tool calls (tens of seconds). */
const LATENCY_BUCKETS = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 21, 34, 60];

/**
 * Prometheus metrics of frontdesk in a registry of their own, so that several instances
 * (tests, several bots in one process) never collide in prom-client's global registry.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly endToEnd: Histogram<'channel'>;
  private readonly queueWait: Histogram<string>;
  private readonly providerLatency: Histogram<'provider'>;
  private readonly messages: Counter<'outcome' | 'channel'>;
  private readonly fallbacks: Counter<'level'>;
  private readonly tokens: Counter<'provider' | 'model' | 'direction'>;
  private readonly cost: Counter<'provider' | 'model'>;
  private readonly validatorRejections: Counter<'reason'>;
  private readonly rateLimit: Counter<'outcome'>;
  private readonly errors: Counter<'type'>;
  private readonly feedback: Counter<'kind' | 'value'>;

  constructor(options: MetricsOptions = {}) {
    const prefix = options.prefix ?? 'frontdesk_';
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix });
    const registers = [this.registry];
    const histogram = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Histogram<L>({ name: prefix + name, help, labelNames, buckets: LATENCY_BUCKETS, registers });
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Counter<L>({ name: prefix + name, help, labelNames, registers });

    this.endToEnd = histogram(
      'message_duration_seconds',
      'Time from accepting a message to sending its outcome',
      ['channel'],
    );
    this.queueWait = histogram(
      'queue_wait_seconds',
      'Time a message waited in the queue before processing started',
      [],
    );
    this.providerLatency = histogram(
      'provider_duration_seconds',
      'Time spent in provider calls per message, by the provider of the final answer',
      ['provider'],
    );
    this.messages = counter(
      'messages_total',
      'Messages that reached an outcome',
      ['outcome', 'channel'],
    );
    this.fallbacks = counter(
      'fallback_activations_total',
      'Messages handled below the primary provider, by fallback level',
      ['level'],
    );
    this.tokens = counter(
      'tokens_total',
      'LLM tokens used, by direction (in or out)',
      ['provider', 'model', 'direction'],
    );
    this.cost = counter(
      'cost_usd_total',
      'Estimated LLM cost in US dollars from the price table',
      ['provider', 'model'],
    );
    this.validatorRejections = counter(
      'validator_rejections_total',
      'Validator rejections (hallucinations caught) by reason; one message can count several',
      ['reason'],
    );
    this.rateLimit = counter(
      'rate_limit_decisions_total',
      'Guard decisions per message; all but allowed count as abuse blocked',
      ['outcome'],
    );
    this.errors = counter('errors_total', 'Errors met while handling messages, by type', ['type']);
    this.feedback = counter(
      'feedback_total',
      'Customer feedback events: thumbs (0 or 1) and ratings (1 to 5)',
      ['kind', 'value'],
    );
    this.registerGauges(prefix, options);
  }

  /** Record one handled message in every series it touches. */
  observeRequest(record: RequestRecord): void {
    this.endToEnd.observe({ channel: record.channel }, record.endToEndMs / 1000);
    this.queueWait.observe(record.queueWaitMs / 1000);
    if (record.providerMs > 0) {
      this.providerLatency.observe({ provider: record.provider }, record.providerMs / 1000);
    }
    this.messages.inc({ outcome: record.outcome, channel: record.channel });
    if (record.fallbackLevel > 0) {
      this.fallbacks.inc({ level: FALLBACK_LEVEL_NAMES[record.fallbackLevel] });
    }
    const model = { provider: record.provider, model: record.model };
    if (record.tokensIn > 0) this.tokens.inc({ ...model, direction: 'in' }, record.tokensIn);
    if (record.tokensOut > 0) this.tokens.inc({ ...model, direction: 'out' }, record.tokensOut);
    if (record.costUsd > 0) this.cost.inc(model, record.costUsd);
    if (record.validatorOutcome === 'rejected') {
      const reasons = record.validatorReasons.length > 0 ? record.validatorReasons : ['unspecified'];
      for (const reason of reasons) this.validatorRejections.inc({ reason });
    }
    this.rateLimit.inc({ outcome: record.rateLimitOutcome });
    if (record.errorType) this.errors.inc({ type: record.errorType });
  }

  observeFeedback(feedback: FeedbackEvent): void {
    this.feedback.inc({ kind: feedback.kind, value: String(feedback.value) });
  }

  /** Return the whole registry in the Prometheus text format, for GET /metrics. */
  metricsText(): Promise<string> {
    return this.registry.metrics();
  }

  /** Content-Type header value for the `metricsText()` body. */
  get contentType(): string {
    return this.registry.contentType;
  }

  private registerGauges(p: string, getters: MetricsGetters): void {
    const registers = [this.registry];
    const { queueDepth, openHandoffs, breakerStates, cacheStats } = getters;
    new Gauge({
      name: `${p}queue_depth`,
      help: 'Messages waiting in the queue',
      registers,
      collect() {
        if (queueDepth) this.set(queueDepth());
      },
    });
    new Gauge({
      name: `${p}open_handoffs`,
      help: 'Conversations currently handed to staff',
      registers,
      collect() {
        if (openHandoffs) this.set(openHandoffs());
      },
    });
    new Gauge({
      name: `${p}breaker_state`,
      help: 'Circuit breaker state per provider: 0 closed, 1 half-open, 2 open',
      labelNames: ['provider'],
      registers,
      collect() {
        if (!breakerStates) return;
        for (const [provider, state] of Object.entries(breakerStates())) {
          this.set({ provider }, BREAKER_STATE_VALUES[state]);
        }
      },
    });
    new Counter({
      name: `${p}cache_lookups_total`,
      help: 'Response cache lookups, by result (hit or miss)',
      labelNames: ['result'],
      registers,
      collect() {
        if (!cacheStats) return;
        // The cache owns these counters; copying them at scrape time keeps one source of truth.
        const { hits, misses } = cacheStats();
        this.reset();
        this.inc({ result: 'hit' }, hits);
        this.inc({ result: 'miss' }, misses);
      },
    });
  }
}
