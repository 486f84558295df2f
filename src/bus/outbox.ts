import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { OutboundRow, Store } from '../store/types.js';
import { ChannelSendError } from './errors.js';
import type { ChannelAdapter } from './types.js';

export interface OutboxOptions {
  store: Store;
  adapters: Map<string, ChannelAdapter>;
  clock: Clock;
  logger: Logger;
  /** Send attempts per message before it is left pending for the next start-up. */
  maxAttempts?: number;
  /** First backoff between attempts; doubled each time. */
  baseBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Called for a reply left pending because no adapter of its channel runs in this process. */
  onNoAdapter?: (row: OutboundRow) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends stored replies through their channel and marks each one sent only after the channel
 * confirmed it. A reply whose channel is down stays pending and is sent again at start-up.
 */
export class Outbox {
  private readonly maxAttempts: number;
  private readonly baseBackoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: OutboxOptions) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.baseBackoffMs = options.baseBackoffMs ?? 500;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** Send rows in order; returns how many were confirmed. */
  async deliver(rows: OutboundRow[], replyToPlatformId?: string): Promise<number> {
    let sent = 0;
    for (const row of rows) {
      if (await this.deliverOne(row, replyToPlatformId)) sent += 1;
    }
    return sent;
  }

  private async deliverOne(row: OutboundRow, replyToPlatformId?: string): Promise<boolean> {
    const { store, adapters, clock, logger } = this.options;
    const conversation = await store.getConversation(row.conversationId);
    if (!conversation) {
      await store.markSendFailed(row.id, 'conversation not found', true, clock.now());
      return false;
    }
    if (conversation.unreachable) {
      await store.markSendFailed(row.id, 'customer unreachable', true, clock.now());
      logger.warn({ outboundId: row.id, conversationId: row.conversationId }, 'reply dropped: customer unreachable');
      return false;
    }
    const adapter = adapters.get(row.channel);
    if (!adapter) {
      if (this.options.onNoAdapter) this.options.onNoAdapter(row);
      else logger.warn({ outboundId: row.id, channel: row.channel }, 'reply left pending: channel not running');
      return false;
    }

    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      try {
        const receipt = await adapter.send({
          channel: row.channel,
          chatId: conversation.chatId,
          conversationId: row.conversationId,
          text: row.text,
          kind: row.kind,
          locale: conversation.locale,
          buttons: row.buttons.length > 0 ? row.buttons : undefined,
          replyToPlatformId,
        });
        await store.markSent(row.id, receipt.platformMessageIds, clock.now());
        return true;
      } catch (error) {
        const done = await this.handleSendError(row, error, attempt);
        if (done) return false;
      }
    }
    return false;
  }

  /** Record a failed attempt; returns true when no further attempt should be made now. */
  private async handleSendError(row: OutboundRow, error: unknown, attempt: number): Promise<boolean> {
    const { store, clock, logger } = this.options;
    const sendError = error instanceof ChannelSendError ? error : undefined;
    const code = sendError?.code ?? 'transport';
    const log = { outboundId: row.id, conversationId: row.conversationId, channel: row.channel, code, attempt };

    if (sendError?.code === 'blocked') {
      await store.markUnreachable(row.conversationId, clock.now());
      await store.markSendFailed(row.id, code, true, clock.now());
      logger.warn(log, 'customer blocked the bot; conversation marked unreachable');
      return true;
    }
    const retryable = sendError ? sendError.retryable : true;
    const final = !retryable;
    if (final || attempt >= this.maxAttempts) {
      await store.markSendFailed(row.id, code, final, clock.now());
      logger.error({ ...log, err: error }, final ? 'reply could not be delivered' : 'reply left pending after retries');
      return true;
    }
    const backoff = sendError?.retryAfterMs ?? this.baseBackoffMs * 2 ** (attempt - 1);
    logger.warn(log, 'reply send failed; retrying');
    await this.sleep(backoff);
    return false;
  }
}
