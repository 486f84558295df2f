/** Environment variables of the LLM providers, breakers and retries, and the provider factory. */
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { AnthropicProvider } from './anthropic.js';
import type { HealthOptions } from './health.js';
import { OpenAiProvider } from './openai.js';
import type { RetryPolicy } from './retry.js';
import type { Provider } from './types.js';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalText = z.string().trim().min(1).optional().catch(undefined);

/** zod fragment for the lead's `src/config.ts`; every variable is optional. */
export const providersEnv = z.object({
  /** A provider is configured only when its API key is set. */
  OPENAI_API_KEY: optionalText,
  /** Any OpenAI-compatible server; includes `/v1`, e.g. `http://127.0.0.1:8080/v1`. */
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  ANTHROPIC_API_KEY: optionalText,
  /** Without `/v1`, e.g. `http://127.0.0.1:8080`. */
  ANTHROPIC_BASE_URL: z.url().optional(),
  ANTHROPIC_MODEL: z.string().min(1).default('claude-3-5-haiku-latest'),
  /** Limit for one LLM request including a streamed body, in ms. */
  LLM_TIMEOUT_MS: positiveInt(15_000),
  /** `true` requests SSE streaming from the LLM APIs. */
  LLM_STREAMING: z.stringbool().default(false),
  /** Calls per provider for one message, the first one included. */
  LLM_MAX_ATTEMPTS: positiveInt(3),
  /** First backoff cap in ms; doubles per retry up to LLM_RETRY_MAX_DELAY_MS. */
  LLM_RETRY_BASE_DELAY_MS: positiveInt(250),
  LLM_RETRY_MAX_DELAY_MS: positiveInt(4_000),
  /** Time budget for answering one customer message across all providers, in ms. */
  MESSAGE_DEADLINE_MS: positiveInt(20_000),
  /** Failed-call percentage in the rolling window above which a breaker opens. */
  BREAKER_ERROR_THRESHOLD_PERCENT: z.coerce.number().min(1).max(100).default(50),
  /** Calls in the window before the percentage is considered. */
  BREAKER_VOLUME_THRESHOLD: positiveInt(5),
  /** Wait of an open breaker before one trial call, in ms. */
  BREAKER_RESET_TIMEOUT_MS: positiveInt(30_000),
  /** Rolling statistics window of each breaker, in ms. */
  BREAKER_WINDOW_MS: positiveInt(60_000),
});

export type ProvidersConfig = z.infer<typeof providersEnv>;

/**
 * Create the configured LLM providers in fallback order: OpenAI first, then Anthropic.
 * A provider without an API key is left out; the lead appends the rules provider.
 */
export function createProvidersFromConfig(config: ProvidersConfig, deps: { clock?: Clock } = {}): Provider[] {
  const common = { timeoutMs: config.LLM_TIMEOUT_MS, streaming: config.LLM_STREAMING, clock: deps.clock };
  const providers: Provider[] = [];
  if (config.OPENAI_API_KEY) {
    providers.push(
      new OpenAiProvider({ ...common, apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL, model: config.OPENAI_MODEL }),
    );
  }
  if (config.ANTHROPIC_API_KEY) {
    providers.push(
      new AnthropicProvider({ ...common, apiKey: config.ANTHROPIC_API_KEY, baseURL: config.ANTHROPIC_BASE_URL, model: config.ANTHROPIC_MODEL }),
    );
  }
  return providers;
}

/** Breaker settings for `new ProviderHealth(...)`. */
export function healthOptionsFromConfig(config: ProvidersConfig): HealthOptions {
  return {
    errorThresholdPercentage: config.BREAKER_ERROR_THRESHOLD_PERCENT,
    volumeThreshold: config.BREAKER_VOLUME_THRESHOLD,
    resetTimeoutMs: config.BREAKER_RESET_TIMEOUT_MS,
    rollingWindowMs: config.BREAKER_WINDOW_MS,
  };
}

/** Retry policy for `runTurn`. */
export function retryPolicyFromConfig(config: ProvidersConfig): RetryPolicy {
  return {
    maxAttempts: config.LLM_MAX_ATTEMPTS,
    baseDelayMs: config.LLM_RETRY_BASE_DELAY_MS,
    maxDelayMs: config.LLM_RETRY_MAX_DELAY_MS,
  };
}
