/**
 * Context limits per model. Windows and input limits for OpenAI models match the model
 * specs shipped in gpt-tokenizer 4.0; Anthropic windows are the documented 200k of the
 * Claude 3, 3.5, 3.7 and 4 families (without the 1M beta).
 */

/** Byte-pair encoding used to count (OpenAI) or estimate (Anthropic) tokens. */
export type Encoding = 'o200k_base' | 'cl100k_base';

export interface ModelLimits {
  /** Total tokens of prompt plus output the model accepts. */
  contextWindow: number;
  /** Separate prompt limit where the model has one below window minus output. */
  maxInputTokens?: number;
  /** Output tokens kept free by default; reasoning models need room for hidden reasoning. */
  reservedOutputTokens: number;
  encoding: Encoding;
}

/** Support replies are short, so chat models keep 1k tokens free for the output. */
const CHAT_RESERVE = 1_024;
/** OpenAI advises keeping at least 25k tokens for reasoning plus output on o-series models. */
const REASONING_RESERVE = 25_000;

const o200k = (contextWindow: number, reservedOutputTokens = CHAT_RESERVE, maxInputTokens?: number): ModelLimits => ({
  contextWindow,
  reservedOutputTokens,
  maxInputTokens,
  encoding: 'o200k_base',
});
const cl100k = (contextWindow: number): ModelLimits => ({
  contextWindow,
  reservedOutputTokens: CHAT_RESERVE,
  encoding: 'cl100k_base',
});
const claude = (): ModelLimits => ({
  contextWindow: 200_000,
  reservedOutputTokens: CHAT_RESERVE,
  encoding: 'o200k_base',
});

/** Known models by name prefix; the longest matching prefix wins (`gpt-4o-mini` over `gpt-4o` over `gpt-4`). */
export const MODEL_LIMITS: Readonly<Record<string, ModelLimits>> = {
  'gpt-3.5-turbo': cl100k(16_385),
  'gpt-4': cl100k(8_192),
  'gpt-4-32k': cl100k(32_768),
  'gpt-4-turbo': cl100k(128_000),
  'gpt-4o': o200k(128_000),
  'gpt-4o-mini': o200k(128_000),
  'chatgpt-4o': o200k(128_000),
  'gpt-4.1': o200k(1_047_576),
  'gpt-4.1-mini': o200k(1_047_576),
  'gpt-4.1-nano': o200k(1_047_576),
  'gpt-5': o200k(400_000, REASONING_RESERVE, 272_000),
  'gpt-5-mini': o200k(400_000, REASONING_RESERVE, 272_000),
  'gpt-5-nano': o200k(400_000, REASONING_RESERVE, 272_000),
  'gpt-5-chat': o200k(128_000),
  o1: o200k(200_000, REASONING_RESERVE),
  'o1-mini': o200k(128_000, REASONING_RESERVE),
  o3: o200k(200_000, REASONING_RESERVE),
  'o3-mini': o200k(200_000, REASONING_RESERVE),
  'o4-mini': o200k(200_000, REASONING_RESERVE),
  'claude-3-haiku': claude(),
  'claude-3-sonnet': claude(),
  'claude-3-opus': claude(),
  'claude-3-5-haiku': claude(),
  'claude-3-5-sonnet': claude(),
  'claude-3-7-sonnet': claude(),
  'claude-haiku-4': claude(),
  'claude-sonnet-4': claude(),
  'claude-opus-4': claude(),
};

/** Limits for a model missing from the table: small enough to fit any current chat model. */
export const UNKNOWN_MODEL_LIMITS: ModelLimits = {
  contextWindow: 8_192,
  reservedOutputTokens: CHAT_RESERVE,
  encoding: 'o200k_base',
};

/**
 * Looks up a model by longest prefix, so dated snapshots (`gpt-4o-mini-2024-07-18`,
 * `claude-3-5-haiku-20241022`) find their family. A prefix only matches at a `-` boundary
 * or the end, so `o1` does not match `o10`.
 */
export function findModelLimits(model: string): { limits: ModelLimits; known: boolean } {
  const name = model.trim().toLowerCase();
  let best: string | undefined;
  for (const prefix of Object.keys(MODEL_LIMITS)) {
    const matches = name === prefix || name.startsWith(`${prefix}-`);
    if (matches && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  if (best === undefined) return { limits: UNKNOWN_MODEL_LIMITS, known: false };
  return { limits: MODEL_LIMITS[best] as ModelLimits, known: true };
}

export interface BudgetOptions {
  /** Output tokens to keep free; defaults to the model's `reservedOutputTokens`. */
  reservedOutputTokens?: number;
  /** Operator cap (CONTEXT_MAX_TOKENS); the budget never exceeds it. */
  maxTokens?: number;
  /** Tokens already spent outside the messages, such as tool schemas. */
  fixedTokens?: number;
}

export interface TokenBudget {
  budgetTokens: number;
  reservedOutputTokens: number;
  contextWindow: number;
  knownModel: boolean;
}

/**
 * Computes the prompt budget of one request: window minus reserved output minus a safety
 * margin of 2% of the window (at least 128 tokens), capped by the model's input limit and
 * the operator cap, minus `fixedTokens`. The margin absorbs small differences between our
 * count and the provider's, such as the chat-format overhead of new API fields.
 */
export function computeBudget(model: string, options: BudgetOptions = {}): TokenBudget {
  const { limits, known } = findModelLimits(model);
  const reserved = options.reservedOutputTokens ?? limits.reservedOutputTokens;
  const margin = Math.max(128, Math.ceil(limits.contextWindow * 0.02));
  let budget = limits.contextWindow - reserved - margin;
  if (limits.maxInputTokens !== undefined) budget = Math.min(budget, limits.maxInputTokens - margin);
  if (options.maxTokens !== undefined) budget = Math.min(budget, options.maxTokens);
  budget -= options.fixedTokens ?? 0;
  return {
    budgetTokens: Math.max(0, budget),
    reservedOutputTokens: reserved,
    contextWindow: limits.contextWindow,
    knownModel: known,
  };
}
