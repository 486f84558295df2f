import { z } from 'zod';

/** Price of one model in USD per one million tokens. */
export const modelPriceSchema = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
});
export type ModelPrice = z.infer<typeof modelPriceSchema>;

const modelPricesJson = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'MODEL_PRICES must be JSON such as {"my-model":{"input":0.5,"output":1.5}}',
      });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), modelPriceSchema));

/**
 * Environment variables of monitoring, with their defaults. Durations are milliseconds,
 * rates and ratios are fractions from 0 to 1. A budget of 0 turns that budget off.
 */
export const monitorEnv = z.object({
  /** Length of the sliding window the latency, error-rate and satisfaction alerts look at. */
  ALERT_WINDOW_MS: z.coerce.number().int().positive().default(300_000),
  /** Messages the window must hold before the latency and error-rate alerts can fire. */
  ALERT_MIN_SAMPLES: z.coerce.number().int().positive().default(20),
  ALERT_P95_LATENCY_MS: z.coerce.number().positive().default(2000),
  ALERT_ERROR_RATE: z.coerce.number().min(0).max(1).default(0.05),
  ALERT_SATISFACTION_MIN: z.coerce.number().min(0).max(1).default(0.6),
  /** Feedback events the window must hold before the satisfaction alert can fire. */
  ALERT_SATISFACTION_MIN_SAMPLES: z.coerce.number().int().positive().default(10),
  /** Queue fill ratio (depth / capacity) at which the queue alert fires. */
  ALERT_QUEUE_DEPTH_RATIO: z.coerce.number().gt(0).max(1).default(0.8),
  /** Slack channel for alerts; unset sends alerts to the log only. */
  ALERT_SLACK_CHANNEL: z.string().min(1).optional(),
  /** Overrides and additions to the built-in price table, USD per 1M tokens. */
  MODEL_PRICES: modelPricesJson.default({}),
  CUSTOMER_DAILY_TOKEN_BUDGET: z.coerce.number().int().nonnegative().default(0),
  CUSTOMER_DAILY_COST_BUDGET_USD: z.coerce.number().nonnegative().default(0),
});
export type MonitorEnv = z.infer<typeof monitorEnv>;
