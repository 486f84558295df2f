import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { FeedbackEvent } from './record.js';
import { SlidingWindow } from './window.js';

/**
 * Map feedback to a score from 0 to 1: a thumb is already 0 or 1, a rating r of 1..5
 * becomes (r - 1) / 4. Returns null for values outside those sets.
 */
export function feedbackScore(feedback: Pick<FeedbackEvent, 'kind' | 'value'>): number | null {
  const { kind, value } = feedback;
  if (kind === 'thumb') return value === 0 || value === 1 ? value : null;
  if (Number.isInteger(value) && value >= 1 && value <= 5) return (value - 1) / 4;
  return null;
}

export interface SatisfactionSummary {
  /** Mean score over the sliding window, or null without feedback in it. */
  window: number | null;
  windowSamples: number;
  /** Mean score since start, or null without any feedback. */
  total: number | null;
  totalSamples: number;
}

interface Tally {
  sum: number;
  count: number;
}

const mean = (tally: Tally): number | null => (tally.count === 0 ? null : tally.sum / tally.count);

/** Satisfaction figure from customer feedback, over a sliding window, in total and per month. */
export class SatisfactionTracker {
  private readonly window: SlidingWindow<number>;
  private readonly total: Tally = { sum: 0, count: 0 };
  /** Keyed by UTC month, `YYYY-MM`. */
  private readonly months = new Map<string, Tally>();
  private readonly clock: Clock;

  constructor(options: { windowMs: number; clock?: Clock }) {
    this.window = new SlidingWindow(options.windowMs);
    this.clock = options.clock ?? systemClock;
  }

  /** Add one feedback event; returns its score, or null (and ignores it) when invalid. */
  add(feedback: Pick<FeedbackEvent, 'kind' | 'value'>): number | null {
    const score = feedbackScore(feedback);
    if (score === null) return null;
    const now = this.clock.now();
    this.window.push(now, score);
    this.total.sum += score;
    this.total.count += 1;
    const month = new Date(now).toISOString().slice(0, 7);
    const tally = this.months.get(month) ?? { sum: 0, count: 0 };
    tally.sum += score;
    tally.count += 1;
    this.months.set(month, tally);
    return score;
  }

  summary(): SatisfactionSummary {
    const scores = this.window.values(this.clock.now());
    const windowSum = scores.reduce((sum, score) => sum + score, 0);
    return {
      window: scores.length === 0 ? null : windowSum / scores.length,
      windowSamples: scores.length,
      total: mean(this.total),
      totalSamples: this.total.count,
    };
  }

  /** Mean score of a UTC month (`YYYY-MM`), or null without feedback in it. */
  month(month: string): number | null {
    const tally = this.months.get(month);
    return tally ? mean(tally) : null;
  }
}
