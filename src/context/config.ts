import { z } from 'zod';

/**
 * Environment variables of the context module, all optional; src/config.ts merges them.
 */
export const contextEnv = z.object({
  /** Operator cap on prompt tokens per request, for cost control; below the model limit. */
  CONTEXT_MAX_TOKENS: z.coerce.number().int().positive().optional(),
  /** How many of the latest history messages are always sent (pinned). */
  CONTEXT_PINNED_MESSAGES: z.coerce.number().int().min(1).max(100).default(4),
  /** Cheap model used to write rolling summaries; without it summaries are extractive. */
  CONTEXT_SUMMARY_MODEL: z.string().min(1).optional(),
  /** Output tokens kept free in the context window; overrides the per-model default. */
  CONTEXT_RESERVED_OUTPUT_TOKENS: z.coerce.number().int().positive().optional(),
});

export type ContextEnv = z.infer<typeof contextEnv>;

/** Maps parsed environment values to `createContextManager` options (without the summarizer). */
export function contextOptionsFromEnv(env: ContextEnv): {
  maxTokens?: number;
  pinnedMessages: number;
  reservedOutputTokens?: number;
} {
  return {
    maxTokens: env.CONTEXT_MAX_TOKENS,
    pinnedMessages: env.CONTEXT_PINNED_MESSAGES,
    reservedOutputTokens: env.CONTEXT_RESERVED_OUTPUT_TOKENS,
  };
}
