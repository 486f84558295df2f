import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { SatisfactionTracker, feedbackScore } from '../../src/monitor/satisfaction.js';

describe('feedbackScore', () => {
  it.each([
    ['thumb', 1, 1],
    ['thumb', 0, 0],
    ['rating', 1, 0],
    ['rating', 3, 0.5],
    ['rating', 5, 1],
  ] as const)('maps %s %d to %d', (kind, value, score) => {
    expect(feedbackScore({ kind, value })).toBe(score);
  });

  it.each([
    ['thumb', 2],
    ['thumb', -1],
    ['rating', 0],
    ['rating', 6],
    ['rating', 2.5],
  ] as const)('rejects %s %d', (kind, value) => {
    expect(feedbackScore({ kind, value })).toBeNull();
  });
});

describe('SatisfactionTracker', () => {
  it('averages thumbs and ratings', () => {
    const tracker = new SatisfactionTracker({ windowMs: 60_000, clock: new ManualClock() });
    tracker.add({ kind: 'thumb', value: 1 });
    tracker.add({ kind: 'thumb', value: 0 });
    tracker.add({ kind: 'rating', value: 4 });
    tracker.add({ kind: 'rating', value: 9 });
    const summary = tracker.summary();

    expect(summary.totalSamples).toBe(3);
    expect(summary.total).toBeCloseTo((1 + 0 + 0.75) / 3);
    expect(summary.window).toBeCloseTo((1 + 0 + 0.75) / 3);
  });

  it('forgets old feedback in the window only', () => {
    const clock = new ManualClock(Date.UTC(2026, 2, 10));
    const tracker = new SatisfactionTracker({ windowMs: 60_000, clock });
    tracker.add({ kind: 'thumb', value: 0 });
    clock.advance(61_000);
    tracker.add({ kind: 'thumb', value: 1 });
    const summary = tracker.summary();

    expect(summary.window).toBe(1);
    expect(summary.windowSamples).toBe(1);
    expect(summary.total).toBe(0.5);
    expect(tracker.month('2026-03')).toBe(0.5);
    expect(tracker.month('2026-04')).toBeNull();
  });

  it('reports null without feedback', () => {
    const summary = new SatisfactionTracker({ windowMs: 1000 }).summary();
    expect(summary.window).toBeNull();
    expect(summary.total).toBeNull();
  });
});
