import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/monitor/metrics.js';
import { makeRecord } from './fixtures.js';

function seriesValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('Metrics', () => {
  it('exports a record in its series', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.observeRequest(
      makeRecord({
        endToEndMs: 1500,
        provider: 'anthropic',
        model: 'claude-3-5-haiku',
        fallbackLevel: 1,
        tokensIn: 1200,
        tokensOut: 300,
        costUsd: 0.00216,
        validatorOutcome: 'rejected',
        validatorReasons: ['ungrounded_amount'],
        errorType: 'provider_timeout',
      }),
    );
    metrics.observeRequest(makeRecord({ rateLimitOutcome: 'blocked', outcome: 'notice', providerMs: 0, tokensIn: 0, tokensOut: 0, costUsd: 0 }));
    const text = await metrics.metricsText();

    expect(seriesValue(text, 'frontdesk_messages_total{outcome="answer",channel="http"}')).toBe(1);
    expect(seriesValue(text, 'frontdesk_messages_total{outcome="notice",channel="http"}')).toBe(1);
    expect(seriesValue(text, 'frontdesk_message_duration_seconds_count{channel="http"}')).toBe(2);
    expect(seriesValue(text, 'frontdesk_message_duration_seconds_bucket{le="2",channel="http"}')).toBe(2);
    expect(seriesValue(text, 'frontdesk_message_duration_seconds_bucket{le="1",channel="http"}')).toBe(1);
    expect(seriesValue(text, 'frontdesk_provider_duration_seconds_count{provider="anthropic"}')).toBe(1);
    expect(seriesValue(text, 'frontdesk_fallback_activations_total{level="secondary"}')).toBe(1);
    expect(seriesValue(text, 'frontdesk_tokens_total{provider="anthropic",model="claude-3-5-haiku",direction="in"}')).toBe(1200);
    expect(seriesValue(text, 'frontdesk_tokens_total{provider="anthropic",model="claude-3-5-haiku",direction="out"}')).toBe(300);
    expect(seriesValue(text, 'frontdesk_cost_usd_total{provider="anthropic",model="claude-3-5-haiku"}')).toBeCloseTo(0.00216);
    expect(seriesValue(text, 'frontdesk_validator_rejections_total{reason="ungrounded_amount"}')).toBe(1);
    expect(seriesValue(text, 'frontdesk_rate_limit_decisions_total{outcome="blocked"}')).toBe(1);
    expect(seriesValue(text, 'frontdesk_errors_total{type="provider_timeout"}')).toBe(1);
  });

  it('reads gauges from getters at scrape time', async () => {
    let depth = 3;
    const metrics = new Metrics({
      defaultMetrics: false,
      queueDepth: () => depth,
      openHandoffs: () => 2,
      breakerStates: () => ({ openai: 'open', anthropic: 'closed' }),
      cacheStats: () => ({ hits: 7, misses: 5 }),
    });
    depth = 9;
    const text = await metrics.metricsText();

    expect(seriesValue(text, 'frontdesk_queue_depth')).toBe(9);
    expect(seriesValue(text, 'frontdesk_open_handoffs')).toBe(2);
    expect(seriesValue(text, 'frontdesk_breaker_state{provider="openai"}')).toBe(2);
    expect(seriesValue(text, 'frontdesk_breaker_state{provider="anthropic"}')).toBe(0);
    expect(seriesValue(text, 'frontdesk_cache_lookups_total{result="hit"}')).toBe(7);
    expect(seriesValue(text, 'frontdesk_cache_lookups_total{result="miss"}')).toBe(5);
  });

  it('counts feedback by kind and value', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.observeFeedback({ conversationId: 'c', customerId: 'u', kind: 'rating', value: 4 });
    metrics.observeFeedback({ conversationId: 'c', customerId: 'u', kind: 'thumb', value: 0 });
    const text = await metrics.metricsText();

    expect(seriesValue(text, 'frontdesk_feedback_total{kind="rating",value="4"}')).toBe(1);
    expect(seriesValue(text, 'frontdesk_feedback_total{kind="thumb",value="0"}')).toBe(1);
  });

  it('keeps registries of two instances apart', async () => {
    const first = new Metrics();
    const second = new Metrics();
    first.observeRequest(makeRecord());
    const text = await second.metricsText();

    expect(seriesValue(text, 'frontdesk_messages_total{outcome="answer",channel="http"}')).toBeUndefined();
    expect(text).toContain('frontdesk_process_cpu_seconds_total');
  });
});
