import { ManualClock } from '../../src/clock.js';
import { SatisfactionTracker } from '../../src/monitor/satisfaction.js';
import { InMemoryStats } from '../../src/monitor/stats.js';
import { makeRecord } from '../monitor/fixtures.js';

export const ADMIN_TOKEN = 'test-admin-token';

/** Stats with 42 messages over a few minutes, some fallbacks, rejections, abuse and feedback. */
export function seededStats(): InMemoryStats {
  const clock = new ManualClock(Date.UTC(2026, 5, 15, 9, 0));
  const satisfaction = new SatisfactionTracker({ windowMs: 300_000, clock });
  const stats = new InMemoryStats({ clock, satisfaction, openHandoffs: () => 3 });
  for (let i = 0; i < 42; i++) {
    stats.add(
      makeRecord({
        endToEndMs: 500 + i * 20,
        costUsd: 0.001,
        fallbackLevel: i % 10 === 0 ? 1 : 0,
        validatorOutcome: i % 14 === 0 ? 'rejected' : 'passed',
        rateLimitOutcome: i % 21 === 0 ? 'blocked' : 'allowed',
        errorType: i % 20 === 0 ? 'provider_timeout' : undefined,
      }),
    );
    clock.advance(5_000);
  }
  satisfaction.add({ kind: 'thumb', value: 1 });
  satisfaction.add({ kind: 'rating', value: 4 });
  return stats;
}
