/** Reasons a channel could not deliver a message. */
export type ChannelSendErrorCode =
  | 'rate_limited'
  | 'blocked'
  | 'bad_request'
  | 'window_closed'
  | 'transport'
  | 'unavailable';

/**
 * A channel failed to deliver a message. `retryAfterMs` is set for `rate_limited`;
 * `blocked` means the customer can no longer be reached and sending must stop.
 */
export class ChannelSendError extends Error {
  override readonly name = 'ChannelSendError';
  readonly code: ChannelSendErrorCode;
  readonly channel: string;
  readonly retryAfterMs?: number;

  constructor(
    channel: string,
    code: ChannelSendErrorCode,
    message: string,
    options: { retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.channel = channel;
    this.code = code;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** True when sending the same message again later can succeed. */
  get retryable(): boolean {
    return this.code === 'rate_limited' || this.code === 'transport' || this.code === 'unavailable';
  }
}
