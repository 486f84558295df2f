/**
 * Typed provider failures. The fallback chain decides what to do from `code` alone,
 * never from message text.
 */
export type ProviderErrorCode =
  | 'rate_limited'
  | 'overloaded'
  | 'server_error'
  | 'network'
  | 'timeout'
  | 'context_length'
  | 'bad_request'
  | 'auth'
  | 'content_filter'
  | 'truncated'
  | 'invalid_tool_arguments'
  | 'stream_error';

/** What the caller should do after a failure with a given code. */
export type ProviderErrorAction =
  | 'retry_after'
  | 'next_provider'
  | 'backoff'
  | 'shrink_context'
  | 'no_retry'
  | 'mark_unhealthy';

const ACTIONS: Record<ProviderErrorCode, ProviderErrorAction> = {
  rate_limited: 'retry_after',
  overloaded: 'next_provider',
  server_error: 'backoff',
  network: 'backoff',
  timeout: 'backoff',
  stream_error: 'backoff',
  context_length: 'shrink_context',
  bad_request: 'no_retry',
  auth: 'mark_unhealthy',
  content_filter: 'next_provider',
  truncated: 'next_provider',
  invalid_tool_arguments: 'backoff',
};

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly provider: string;
  readonly code: ProviderErrorCode;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(
    provider: string,
    code: ProviderErrorCode,
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.provider = provider;
    this.code = code;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  get action(): ProviderErrorAction {
    return ACTIONS[this.code];
  }
}
