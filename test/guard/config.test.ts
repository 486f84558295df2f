import { describe, expect, it } from 'vitest';

import { guardEnv, guardOptionsFromEnv } from '../../src/guard/config.js';
import { DEFAULT_RISK_WEIGHTS } from '../../src/guard/risk.js';

describe('guardEnv', () => {
  it('has the documented defaults', () => {
    const options = guardOptionsFromEnv(guardEnv.parse({}));
    expect(options).toEqual({
      limits: { perMinute: 20, perHour: 200, floorPerMinute: 3, floorPerHour: 30 },
      risk: { halfLifeMs: 600_000, weights: DEFAULT_RISK_WEIGHTS },
      input: { maxChars: 4000 },
    });
  });

  it('reads numbers and partial weights', () => {
    const env = guardEnv.parse({
      RATE_LIMIT_PER_MINUTE: '10',
      MAX_MESSAGE_CHARS: '2000',
      RISK_WEIGHTS: '{"injection":0.5,"newSender":0}',
    });
    const options = guardOptionsFromEnv(env);
    expect(options.limits.perMinute).toBe(10);
    expect(options.input.maxChars).toBe(2000);
    expect(options.risk.weights).toEqual({ ...DEFAULT_RISK_WEIGHTS, injection: 0.5, newSender: 0 });
  });

  it('rejects invalid weights with a clear message', () => {
    const bad = ['not json', '{"injection":2}', '{"unknown":0.1}'];
    for (const raw of bad) {
      const result = guardEnv.safeParse({ RISK_WEIGHTS: raw });
      expect(result.success, raw).toBe(false);
      expect(result.error?.issues[0]?.message, raw).toContain('RISK_WEIGHTS must be a JSON object');
    }
  });

  it('rejects a zero limit', () => {
    expect(guardEnv.safeParse({ RATE_LIMIT_PER_MINUTE: '0' }).success).toBe(false);
  });
});
