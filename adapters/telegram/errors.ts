/** Mapping of grammy's errors onto the core's `ChannelSendError` codes. */

import { GrammyError, HttpError } from 'grammy';
import { ChannelSendError } from '../../src/bus/errors.js';
import { TELEGRAM_CHANNEL } from './normalize.js';

/** True for the 400 that Telegram returns when the HTML or Markdown of a text is invalid. */
export function isParseError(error: unknown): boolean {
  // Telegram uses 400 for every bad request, so only the description identifies this one.
  return error instanceof GrammyError && error.error_code === 400 && /can't parse entities/i.test(error.description);
}

/** Seconds to wait from a 429, or undefined when the error is not a 429. */
export function retryAfterSeconds(error: unknown): number | undefined {
  if (!(error instanceof GrammyError) || error.error_code !== 429) return undefined;
  return error.parameters.retry_after ?? 1;
}

/** New chat id from a "group chat was upgraded to a supergroup" 400, if that is the error. */
export function migratedChatId(error: unknown): string | undefined {
  if (!(error instanceof GrammyError)) return undefined;
  const id = error.parameters.migrate_to_chat_id;
  return id === undefined ? undefined : String(id);
}

/**
 * Convert any error thrown by a Bot API call into a `ChannelSendError`:
 * 429 -> rate_limited (with retryAfterMs), 403 -> blocked (blocked, kicked or deactivated),
 * other 4xx -> bad_request, 401/404 (wrong token or API root) and 5xx -> unavailable,
 * network failures -> transport.
 */
export function toChannelSendError(error: unknown, method: string): ChannelSendError {
  if (error instanceof ChannelSendError) return error;
  if (error instanceof GrammyError) {
    const message = `Telegram ${method} failed with ${error.error_code}: ${error.description}`;
    const code = error.error_code;
    if (code === 429) {
      return new ChannelSendError(TELEGRAM_CHANNEL, 'rate_limited', message, {
        retryAfterMs: (retryAfterSeconds(error) ?? 1) * 1000,
        cause: error,
      });
    }
    if (code === 403) return new ChannelSendError(TELEGRAM_CHANNEL, 'blocked', message, { cause: error });
    if (code === 401 || code === 404 || code >= 500) {
      return new ChannelSendError(TELEGRAM_CHANNEL, 'unavailable', message, { cause: error });
    }
    return new ChannelSendError(TELEGRAM_CHANNEL, 'bad_request', message, { cause: error });
  }
  const reason = error instanceof HttpError ? error.message : String(error);
  return new ChannelSendError(TELEGRAM_CHANNEL, 'transport', `Telegram ${method} failed: ${reason}`, { cause: error });
}
