/** Stable codes for context-building failures. */
export type ContextErrorCode = 'budget_too_small' | 'invalid_budget';

/**
 * Context building failed. `budget_too_small` means the system prompt alone does not fit
 * the token budget, so no history can be sent: shorten the system prompt or raise
 * CONTEXT_MAX_TOKENS.
 */
export class ContextError extends Error {
  override readonly name = 'ContextError';
  readonly code: ContextErrorCode;

  constructor(code: ContextErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
