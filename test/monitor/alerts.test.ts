import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { createLogger } from '../../src/log.js';
import { AlertEngine, type Alert, type AlertThresholds } from '../../src/monitor/alerts.js';
import { SatisfactionTracker } from '../../src/monitor/satisfaction.js';
import { makeRecord } from './fixtures.js';

const thresholds: AlertThresholds = {
  windowMs: 300_000,
  minSamples: 10,
  p95LatencyMs: 2000,
  errorRate: 0.05,
  satisfactionMin: 0.6,
  satisfactionMinSamples: 5,
  queueDepthRatio: 0.8,
};

function setup() {
  const clock = new ManualClock();
  const sent: Alert[] = [];
  const satisfaction = new SatisfactionTracker({ windowMs: thresholds.windowMs, clock });
  const engine = new AlertEngine({
    thresholds,
    notifier: { notify: (alert) => void sent.push(alert) },
    satisfaction: () => satisfaction.summary(),
    evaluateIntervalMs: 0,
    clock,
  });
  return { clock, sent, satisfaction, engine };
}

const states = (sent: Alert[], name: Alert['name']) =>
  sent.filter((alert) => alert.name === name).map((alert) => alert.state);

describe('AlertEngine', () => {
  it('fires p95 latency once and clears once', async () => {
    const { clock, sent, engine } = setup();
    for (let i = 0; i < 30; i++) {
      engine.observeRequest(makeRecord({ endToEndMs: 3000 }));
      clock.advance(1000);
    }
    await engine.idle();
    expect(states(sent, 'latency_p95')).toEqual(['firing']);
    expect(sent[0]?.value).toBe(3000);

    clock.advance(thresholds.windowMs);
    for (let i = 0; i < 30; i++) {
      engine.observeRequest(makeRecord({ endToEndMs: 400 }));
      clock.advance(1000);
    }
    await engine.idle();
    expect(states(sent, 'latency_p95')).toEqual(['firing', 'resolved']);
  });

  it('holds its state below the minimum samples', async () => {
    const { sent, engine } = setup();
    for (let i = 0; i < thresholds.minSamples - 1; i++) engine.observeRequest(makeRecord({ endToEndMs: 9000 }));
    await engine.idle();
    expect(sent).toEqual([]);
  });

  it('fires error rate once and clears when the window empties', async () => {
    const { clock, sent, engine } = setup();
    for (let i = 0; i < 20; i++) {
      engine.observeRequest(makeRecord({ errorType: i % 4 === 0 ? 'provider_timeout' : undefined }));
      clock.advance(100);
    }
    await engine.idle();
    expect(states(sent, 'error_rate')).toEqual(['firing']);
    expect(engine.firing().map((alert) => alert.name)).toEqual(['error_rate']);

    clock.advance(thresholds.windowMs);
    engine.evaluate();
    engine.evaluate();
    await engine.idle();
    expect(states(sent, 'error_rate')).toEqual(['firing', 'resolved']);
    expect(engine.firing()).toEqual([]);
  });

  it('fires satisfaction once and clears once', async () => {
    const { clock, sent, satisfaction, engine } = setup();
    for (let i = 0; i < 6; i++) {
      satisfaction.add({ kind: 'thumb', value: 0 });
      engine.evaluate();
    }
    await engine.idle();
    expect(states(sent, 'satisfaction')).toEqual(['firing']);

    clock.advance(thresholds.windowMs + 1);
    for (let i = 0; i < 6; i++) {
      satisfaction.add({ kind: 'rating', value: 5 });
      engine.evaluate();
    }
    await engine.idle();
    expect(states(sent, 'satisfaction')).toEqual(['firing', 'resolved']);
  });

  it('fires breaker per provider on open and close', async () => {
    const { sent, engine } = setup();
    engine.observeEvent({ type: 'breaker', provider: 'openai', state: 'open' });
    engine.observeEvent({ type: 'breaker', provider: 'openai', state: 'open' });
    engine.observeEvent({ type: 'breaker', provider: 'openai', state: 'half_open' });
    engine.observeEvent({ type: 'breaker', provider: 'anthropic', state: 'closed' });
    engine.observeEvent({ type: 'breaker', provider: 'openai', state: 'closed' });
    await engine.idle();
    expect(sent.map((alert) => `${alert.name}/${alert.subject}/${alert.state}`)).toEqual([
      'breaker_open/openai/firing',
      'breaker_open/openai/resolved',
    ]);
  });

  it('clears auth failure when the provider answers', async () => {
    const { sent, engine } = setup();
    engine.observeEvent({ type: 'provider_auth', provider: 'anthropic', ok: false });
    engine.observeEvent({ type: 'provider_auth', provider: 'anthropic', ok: false });
    engine.observeRequest(makeRecord({ provider: 'openai' }));
    engine.observeRequest(makeRecord({ provider: 'anthropic' }));
    engine.observeRequest(makeRecord({ provider: 'anthropic' }));
    await engine.idle();
    expect(states(sent, 'provider_auth')).toEqual(['firing', 'resolved']);
    expect(sent[0]?.summary).toContain('anthropic');
  });

  it('fires queue depth near its bound once', async () => {
    const { sent, engine } = setup();
    for (const depth of [10, 80, 95, 75, 85, 60, 90]) {
      engine.observeEvent({ type: 'queue_depth', depth, capacity: 100 });
    }
    await engine.idle();
    // 75 and 85 stay above the clear level (70), so only the drop to 60 resolves it.
    expect(states(sent, 'queue_depth')).toEqual(['firing', 'resolved', 'firing']);
  });

  it('logs a failing notifier', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    const engine = new AlertEngine({
      thresholds,
      notifier: { notify: () => Promise.reject(new Error('slack down')) },
      logger,
      clock: new ManualClock(),
    });
    engine.observeEvent({ type: 'breaker', provider: 'openai', state: 'open' });
    engine.observeEvent({ type: 'breaker', provider: 'openai', state: 'closed' });
    await engine.idle();
    expect(lines.map((line) => `${line.level} ${line.msg}`)).toEqual([
      '40 alert firing: circuit breaker of provider openai opened',
      '30 alert resolved: circuit breaker of provider openai closed',
      '50 alert notification failed',
      '50 alert notification failed',
    ]);
  });
});
