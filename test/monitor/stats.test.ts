import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { SatisfactionTracker } from '../../src/monitor/satisfaction.js';
import { InMemoryStats } from '../../src/monitor/stats.js';
import { makeRecord } from './fixtures.js';

const start = Date.UTC(2026, 4, 20, 12, 0);

function setup() {
  const clock = new ManualClock(start);
  const satisfaction = new SatisfactionTracker({ windowMs: 300_000, clock });
  const stats = new InMemoryStats({ clock, satisfaction, openHandoffs: () => 4 });
  return { clock, satisfaction, stats };
}

describe('InMemoryStats', () => {
  it('computes windowed latency and error rate', async () => {
    const { clock, stats } = setup();
    for (let i = 1; i <= 100; i++) {
      stats.add(makeRecord({ endToEndMs: i * 10, errorType: i <= 5 ? 'send_failed' : undefined }));
      clock.advance(100);
    }
    const snapshot = await stats.snapshot();

    expect(snapshot.latency).toEqual({ p50: 500, p95: 950, p99: 990, samples: 100 });
    expect(snapshot.errorRate).toBe(0.05);
    expect(snapshot.messagesPerMinute).toBe(20);
    expect(snapshot.openHandoffs).toBe(4);
  });

  it('fills the per-minute series with zeros', async () => {
    const { clock, stats } = setup();
    stats.add(makeRecord({ endToEndMs: 100 }));
    clock.advance(120_000);
    stats.add(makeRecord({ endToEndMs: 300, errorType: 'x' }));
    stats.add(makeRecord({ endToEndMs: 500 }));
    const { perMinute } = await stats.snapshot();

    expect(perMinute).toHaveLength(60);
    const last = perMinute.at(-1)!;
    expect(last).toMatchObject({ minute: new Date(start + 120_000).toISOString(), messages: 2, errors: 1, p50: 300, p99: 500 });
    expect(perMinute.at(-2)).toMatchObject({ messages: 0, p50: null });
    expect(perMinute.at(-3)).toMatchObject({ messages: 1, p95: 100 });
  });

  it('counts fallbacks, hallucinations and abuse', async () => {
    const { stats } = setup();
    stats.add(makeRecord({ fallbackLevel: 1 }));
    stats.add(makeRecord({ fallbackLevel: 2, validatorOutcome: 'rejected', validatorReasons: ['ungrounded'] }));
    stats.add(makeRecord({ fallbackLevel: 3, outcome: 'handoff' }));
    stats.add(makeRecord({ rateLimitOutcome: 'limited', outcome: 'notice' }));
    stats.add(makeRecord({ rateLimitOutcome: 'rejected_input', outcome: 'notice' }));
    const snapshot = await stats.snapshot();

    expect(snapshot.fallbackActivations).toEqual({ secondary: 1, rules: 1, handoff: 1 });
    expect(snapshot.hallucinationsCaught).toBe(1);
    expect(snapshot.abuseBlocked).toBe(2);
    expect(snapshot.month.fallbackActivations).toBe(3);
  });

  it('sums cost per day over 30 days', async () => {
    const { clock, stats } = setup();
    stats.add(makeRecord({ costUsd: 0.5 }));
    clock.advance(86_400_000);
    stats.add(makeRecord({ costUsd: 0.25 }));
    stats.add(makeRecord({ costUsd: 0.25 }));
    const { costPerDay, totals } = await stats.snapshot();

    expect(costPerDay).toHaveLength(30);
    expect(costPerDay.at(-1)).toEqual({ day: '2026-05-21', costUsd: 0.5, messages: 2 });
    expect(costPerDay.at(-2)).toEqual({ day: '2026-05-20', costUsd: 0.5, messages: 1 });
    expect(costPerDay.at(-3)).toEqual({ day: '2026-05-19', costUsd: 0, messages: 0 });
    expect(totals.costUsd).toBe(1);
  });

  it('reports monthly totals', async () => {
    const { clock, stats, satisfaction } = setup();
    stats.heartbeat();
    stats.add(makeRecord({ endToEndMs: 1000, costUsd: 0.01, validatorOutcome: 'rejected' }));
    stats.add(makeRecord({ endToEndMs: 3000, costUsd: 0.03, rateLimitOutcome: 'blocked' }));
    satisfaction.add({ kind: 'rating', value: 5 });
    satisfaction.add({ kind: 'thumb', value: 0 });
    // Up for minutes 0 and 1, down for minutes 2 and 3.
    clock.advance(60_000);
    stats.heartbeat();
    clock.advance(180_000);
    const report = await stats.monthlyReport();

    expect(report).toEqual({
      month: '2026-05',
      messagesHandled: 2,
      averageResponseMs: 2000,
      uptime: 0.5,
      totalCostUsd: 0.04,
      costPerMessageUsd: 0.02,
      satisfaction: 0.5,
      hallucinationsCaught: 1,
      abuseBlocked: 1,
      fallbackActivations: 0,
    });
    expect((await stats.monthlyReport('2026-01')).messagesHandled).toBe(0);
  });

  it('rates cache hits among answers', async () => {
    const { stats } = setup();
    stats.add(makeRecord({ cacheHit: true }));
    stats.add(makeRecord({ cacheHit: false }));
    stats.add(makeRecord({ cacheHit: false, outcome: 'relay' }));
    expect((await stats.snapshot()).cacheHitRate).toBe(0.5);
  });

  it('keeps only the newest records in the ring', async () => {
    const clock = new ManualClock(start);
    const stats = new InMemoryStats({ clock, ringSize: 3 });
    for (const endToEndMs of [9000, 9000, 100, 200, 300]) stats.add(makeRecord({ endToEndMs }));
    const snapshot = await stats.snapshot();

    expect(snapshot.latency.samples).toBe(3);
    expect(snapshot.latency.p99).toBe(300);
    expect(snapshot.totals.messages).toBe(5);
  });
});
