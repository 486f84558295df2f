import { z } from 'zod';

import { DEFAULT_RISK_WEIGHTS, type RiskWeights } from './risk.js';

const positiveInt = z.coerce.number().int().positive();

const weight = z.number().min(0).max(1);
const riskWeightsShape = z
  .object({
    burst: weight,
    repeat: weight,
    long: weight,
    injection: weight,
    validatorRejection: weight,
    limited: weight,
    blocked: weight,
    newSender: weight,
  })
  .partial()
  .strict();

/** Risk weights as a JSON object; keys left out keep their defaults. */
const riskWeightsJson = z
  .string()
  .optional()
  .transform((raw, ctx): Partial<RiskWeights> => {
    if (raw === undefined || raw.trim() === '') return {};
    try {
      return riskWeightsShape.parse(JSON.parse(raw));
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `RISK_WEIGHTS must be a JSON object of numbers between 0 and 1, such as {"injection":0.4}: ${String(error)}`,
      });
      return z.NEVER;
    }
  });


/**
 * Environment variables of the guard, a fragment of the application's environment schema.
 * `guardOptionsFromEnv` turns the parsed values into `createGuard` options.
 */
export const guardEnv = z.object({
  /** Messages per sender per minute for a sender with risk 0. */
  RATE_LIMIT_PER_MINUTE: positiveInt.default(20),
  /** Messages per sender per hour for a sender with risk 0. */
  RATE_LIMIT_PER_HOUR: positiveInt.default(200),
  /** Lowest per-minute limit that risk can push a sender down to. */
  RATE_LIMIT_FLOOR: positiveInt.default(3),
  /** Lowest per-hour limit that risk can push a sender down to. */
  RATE_LIMIT_HOUR_FLOOR: positiveInt.default(30),
  /** Half-life of every risk signal, in milliseconds. */
  RISK_HALF_LIFE_MS: positiveInt.default(10 * 60_000),
  /** JSON object overriding some signal weights, such as `{"injection":0.5,"newSender":0}`. */
  RISK_WEIGHTS: riskWeightsJson,
  /** Longest accepted message, in Unicode code points. */
  MAX_MESSAGE_CHARS: positiveInt.default(4000),
});

export type GuardEnv = z.infer<typeof guardEnv>;

/** Options for `createGuard` that come from the environment. */
export interface GuardEnvOptions {
  limits: { perMinute: number; perHour: number; floorPerMinute: number; floorPerHour: number };
  risk: { halfLifeMs: number; weights: RiskWeights };
  input: { maxChars: number };
}

/** Map parsed environment values to the option groups that `createGuard` takes. */
export function guardOptionsFromEnv(env: GuardEnv): GuardEnvOptions {
  return {
    limits: {
      perMinute: env.RATE_LIMIT_PER_MINUTE,
      perHour: env.RATE_LIMIT_PER_HOUR,
      floorPerMinute: env.RATE_LIMIT_FLOOR,
      floorPerHour: env.RATE_LIMIT_HOUR_FLOOR,
    },
    risk: {
      halfLifeMs: env.RISK_HALF_LIFE_MS,
      weights: { ...DEFAULT_RISK_WEIGHTS, ...env.RISK_WEIGHTS },
    },
    input: { maxChars: env.MAX_MESSAGE_CHARS },
  };
}
