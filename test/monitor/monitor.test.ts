import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { createLogger } from '../../src/log.js';
import { formatAlert, type Alert } from '../../src/monitor/alerts.js';
import { monitorEnv } from '../../src/monitor/config.js';
import { Monitor } from '../../src/monitor/monitor.js';
import { makeRecord } from './fixtures.js';

describe('Monitor', () => {
  it('fans a record out to every part', async () => {
    const clock = new ManualClock();
    const env = monitorEnv.parse({ CUSTOMER_DAILY_TOKEN_BUDGET: '1000', MODEL_PRICES: '{"house-model":{"input":1,"output":1}}' });
    const monitor = new Monitor({ env, clock, defaultMetrics: false, openHandoffs: () => 1 });
    const costUsd = monitor.costUsd('house-model', 900, 300);
    monitor.recordRequest(makeRecord({ customerId: 'alice', receivedAt: clock.now(), model: 'house-model', tokensIn: 900, tokensOut: 300, costUsd }));
    await monitor.idle();

    expect(costUsd).toBeCloseTo(0.0012);
    expect(await monitor.metrics.metricsText()).toContain('frontdesk_messages_total{outcome="answer",channel="http"} 1');
    expect((await monitor.stats.snapshot()).totals.messages).toBe(1);
    expect(await monitor.budget.isOverBudget('alice', clock.now())).toBe(true);
  });

  it('feeds valid feedback to satisfaction', () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    const monitor = new Monitor({ env: monitorEnv.parse({}), logger, defaultMetrics: false, clock: new ManualClock() });
    monitor.recordFeedback({ conversationId: 'c', customerId: 'u', kind: 'rating', value: 5 });
    monitor.recordFeedback({ conversationId: 'c', customerId: 'u', kind: 'rating', value: 7 });

    expect(monitor.satisfaction.summary().total).toBe(1);
    expect(lines.map((line) => line.level)).toEqual([40]);
    expect(lines[0]?.msg).toContain('feedback ignored');
  });

  it('routes events to the notifier', async () => {
    const sent: Alert[] = [];
    const monitor = new Monitor({
      env: monitorEnv.parse({}),
      notifier: { notify: (alert) => void sent.push(alert) },
      defaultMetrics: false,
      clock: new ManualClock(),
    });
    monitor.recordEvent({ type: 'queue_depth', depth: 90, capacity: 100 });
    await monitor.stop();
    expect(sent.map((alert) => `${alert.name} ${alert.state}`)).toEqual(['queue_depth firing']);
  });

  it('checks the queue depth on each tick', async () => {
    const sent: Alert[] = [];
    let depth = 50;
    const monitor = new Monitor({
      env: monitorEnv.parse({}),
      notifier: { notify: (alert) => void sent.push(alert) },
      queueDepth: () => depth,
      queueCapacity: 100,
      defaultMetrics: false,
      clock: new ManualClock(),
    });
    monitor.tick();
    depth = 85;
    monitor.tick();
    monitor.tick();
    depth = 10;
    monitor.tick();
    await monitor.idle();
    expect(sent.map(formatAlert)).toEqual([
      '[FIRING] queue_depth: queue depth is 85 of 100 messages (85.0%, threshold 80.0%)',
      '[RESOLVED] queue_depth: queue depth is 10 of 100 messages (10.0%, threshold 80.0%)',
    ]);
  });
});
