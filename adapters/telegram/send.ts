/**
 * Outgoing messages for Telegram: splitting, HTML with a plain-text fallback, inline
 * buttons, per-chat ordering, 429 waits and the memory of chats that blocked the bot.
 */

import type { Api } from 'grammy';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import type { Logger } from '../../src/log.js';
import type { Button, OutboundMessage, SendReceipt } from '../../src/bus/types.js';
import { ChannelSendError } from '../../src/bus/errors.js';
import type { ChatAliases } from './aliases.js';
import { isParseError, migratedChatId, retryAfterSeconds, toChannelSendError } from './errors.js';
import { renderChunks, type RenderedChunk } from './format.js';
import { TELEGRAM_CHANNEL } from './normalize.js';

/** Telegram's limit for `callback_data`, in bytes. */
const MAX_CALLBACK_DATA_BYTES = 64;

export interface TelegramSenderOptions {
  api: Api;
  aliases: ChatAliases;
  logger: Logger;
  /** Records a migration found while sending, when the old id returned migrate_to_chat_id. */
  onMigrated: (oldChatId: string, newChatId: string) => Promise<void>;
  /** Waits for a 429's retry_after; injected so tests control time. */
  sleep: (ms: number) => Promise<void>;
  /** Max 429 responses waited out per chunk before failing with `rate_limited`. */
  maxRateLimitRetries: number;
  /** A longer retry_after is not waited out here; the core gets `rate_limited` instead. */
  maxRetryAfterMs: number;
}

/**
 * Sends messages one chat at a time. Each chat has its own queue, so a chat waiting out a
 * 429 delays only its own messages while other chats keep sending.
 */
export class TelegramSender {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly blocked = new Set<string>();

  constructor(private readonly options: TelegramSenderOptions) {}

  /** True when the chat blocked the bot and no send will be attempted. */
  isBlocked(chatId: string): boolean {
    return this.blocked.has(chatId);
  }

  /** Forget a block, because the customer wrote again or unblocked the bot. */
  unblock(chatId: string): void {
    this.blocked.delete(chatId);
  }

  /** Remember that the chat blocked the bot. */
  block(chatId: string): void {
    this.blocked.add(chatId);
  }

  /** Queue `message` behind earlier messages to the same chat and send it. */
  send(message: OutboundMessage): Promise<SendReceipt> {
    return this.enqueue(message.chatId, () => this.deliver(message));
  }

  /** Send a typing indicator; 403 marks the chat as blocked. */
  async typing(chatId: string): Promise<void> {
    if (this.blocked.has(chatId)) throw this.blockedError(chatId);
    try {
      await this.options.api.sendChatAction(this.options.aliases.targetChatId(chatId), 'typing');
    } catch (error) {
      throw this.fail(chatId, error, 'sendChatAction');
    }
  }

  private enqueue<T>(chatId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(chatId) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(chatId, tail);
    // Drop the entry once the queue drains so idle chats cost no memory.
    void tail.then(() => {
      if (this.tails.get(chatId) === tail) this.tails.delete(chatId);
    });
    return result;
  }

  private async deliver(message: OutboundMessage): Promise<SendReceipt> {
    if (this.blocked.has(message.chatId)) throw this.blockedError(message.chatId);
    const chunks = renderChunks(message.text);
    if (chunks.length === 0) {
      throw new ChannelSendError(TELEGRAM_CHANNEL, 'bad_request', 'Telegram cannot send an empty text');
    }
    const keyboard = message.buttons?.length ? buildKeyboard(message.buttons) : undefined;
    const replyTo = replyTarget(message.replyToPlatformId);

    // NOTE: when a later chunk fails, the earlier ones are already delivered; a retry by the
    // core sends them again.
    const ids: string[] = [];
    for (const [index, chunk] of chunks.entries()) {
      const isLast = index === chunks.length - 1;
      const extra: SendExtra = {
        ...(index === 0 && replyTo !== undefined && { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }),
        ...(isLast && keyboard && { reply_markup: keyboard }),
      };
      ids.push(await this.sendChunk(message.chatId, chunk, extra));
    }
    return { platformMessageIds: ids };
  }

  /** Send one chunk, waiting out 429s and following a group migration once. */
  private async sendChunk(chatId: string, chunk: RenderedChunk, extra: SendExtra): Promise<string> {
    let rateLimited = 0;
    let migrated = false;
    for (;;) {
      const target = this.options.aliases.targetChatId(chatId);
      try {
        const sent = await this.sendFormatted(target, chunk, extra);
        return `${sent.chat.id}:${sent.message_id}`;
      } catch (error) {
        const newChatId = migratedChatId(error);
        if (newChatId !== undefined && !migrated) {
          migrated = true;
          await this.options.onMigrated(target, newChatId);
          continue;
        }
        const waitSeconds = retryAfterSeconds(error);
        const waitMs = (waitSeconds ?? 0) * 1000;
        if (waitSeconds === undefined || rateLimited >= this.options.maxRateLimitRetries || waitMs > this.options.maxRetryAfterMs) {
          throw this.fail(chatId, error, 'sendMessage');
        }
        rateLimited += 1;
        this.options.logger.warn({ chatId, retryAfterMs: waitMs, attempt: rateLimited }, 'telegram rate limited the chat, waiting before retrying');
        await this.options.sleep(waitMs);
      }
    }
  }

  /** Send as HTML; if Telegram rejects the markup, send the same words as plain text. */
  private async sendFormatted(target: string, chunk: RenderedChunk, extra: SendExtra) {
    try {
      return await this.options.api.sendMessage(target, chunk.html, { ...extra, parse_mode: 'HTML' });
    } catch (error) {
      if (!isParseError(error)) throw error;
      this.options.logger.warn({ chatId: target, err: error }, 'telegram rejected the HTML, sending as plain text');
      return await this.options.api.sendMessage(target, chunk.plain, extra);
    }
  }

  private fail(chatId: string, error: unknown, method: string): ChannelSendError {
    const mapped = toChannelSendError(error, method);
    if (mapped.code === 'blocked') {
      this.blocked.add(chatId);
      this.options.logger.info({ chatId }, 'telegram chat blocked the bot, no further sends');
    }
    return mapped;
  }

  private blockedError(chatId: string): ChannelSendError {
    return new ChannelSendError(TELEGRAM_CHANNEL, 'blocked', `Telegram chat ${chatId} blocked the bot; not sending`);
  }
}

interface SendExtra {
  reply_parameters?: { message_id: number; allow_sending_without_reply: boolean };
  reply_markup?: InlineKeyboardMarkup;
}

/** Message id from a `<chatId>:<messageId>` platform id, or undefined when malformed. */
function replyTarget(platformId: string | undefined): number | undefined {
  const messageId = Number(platformId?.split(':')[1]);
  return Number.isInteger(messageId) && messageId > 0 ? messageId : undefined;
}

/**
 * Build an inline keyboard. Short labels (rating scales, yes/no) share one row; longer ones
 * get a row each so Telegram does not truncate them on narrow screens.
 */
export function buildKeyboard(buttons: Button[]): InlineKeyboardMarkup {
  const keys: InlineKeyboardButton[] = buttons.map((button) => {
    if (Buffer.byteLength(button.id, 'utf8') > MAX_CALLBACK_DATA_BYTES) {
      throw new ChannelSendError(
        TELEGRAM_CHANNEL,
        'bad_request',
        `button id "${button.id.slice(0, 20)}..." is longer than Telegram's ${MAX_CALLBACK_DATA_BYTES}-byte callback_data limit`,
      );
    }
    return { text: button.label, callback_data: button.id };
  });
  const oneRow = keys.length <= 5 && buttons.every((button) => [...button.label].length <= 8);
  return { inline_keyboard: oneRow ? [keys] : keys.map((key) => [key]) };
}
