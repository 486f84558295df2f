/**
 * The Telegram channel: grammy receives updates by long polling (default) or by webhook,
 * this adapter normalizes them for the core and sends the core's answers back.
 */

import { Bot, type Context } from 'grammy';
import type { CallbackQuery, ChatMemberUpdated, Message, Update } from 'grammy/types';
import type {
  ChannelAdapter,
  ChannelCapabilities,
  HttpMount,
  InboundSink,
  OutboundMessage,
  SendReceipt,
  WebhookAdapter,
} from '../../src/bus/types.js';
import { systemClock, type Clock } from '../../src/clock.js';
import { silentLogger, type Logger } from '../../src/log.js';
import { ChatAliases } from './aliases.js';
import { TELEGRAM_MAX_TEXT_LENGTH } from './format.js';
import {
  TELEGRAM_CHANNEL,
  isAddressedToBot,
  isGroupChat,
  normalizeMessage,
  platformMessageId,
  toSender,
  type BotIdentity,
} from './normalize.js';
import { RecentIds } from './recent.js';
import { TelegramSender } from './send.js';
import { mountTelegramWebhook } from './webhook.js';

/** Update kinds the adapter handles; requested from Telegram explicitly. */
const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

export interface TelegramAdapterOptions {
  /** Bot token from BotFather. */
  token: string;
  /** Bot API root without a trailing slash. Default `https://api.telegram.org`. */
  apiRoot?: string;
  /** Public URL of `/telegram/webhook`. When set, webhook mode replaces long polling. */
  webhookUrl?: string;
  /** Secret Telegram sends with every webhook request; required with `webhookUrl`. */
  webhookSecret?: string;
  /** Username used to detect mentions in groups. Default: the one getMe returns. */
  botUsername?: string;
  logger?: Logger;
  clock?: Clock;
  /** Known migrations as `[oldChatId, newChatId]` pairs, loaded from storage at start-up. */
  chatAliases?: Iterable<readonly [string, string]>;
  /** Called once per newly seen group migration so the caller can persist the alias. */
  onChatMigrated?: (oldChatId: string, newChatId: string) => void | Promise<void>;
  /**
   * What to do with an edited message. `accept` (default) hands it to the core as a new
   * message with the id `<chatId>:<messageId>:edit:<edit_date>`, so a corrected question
   * gets a corrected answer; `ignore` drops it.
   */
  editedMessages?: 'accept' | 'ignore';
  /** 429 answers waited out per message chunk before failing with `rate_limited`. Default 3. */
  maxRateLimitRetries?: number;
  /** Longest retry_after waited out inside `send()`, in ms. Default 60,000. */
  maxRetryAfterMs?: number;
  /** Wait used for retry_after. Default: a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** getUpdates long-polling timeout in seconds. Default 30. */
  pollingTimeoutSeconds?: number;
}

/** Telegram adapter; see {@link TelegramAdapterOptions} for the two receiving modes. */
export class TelegramAdapter implements ChannelAdapter, WebhookAdapter {
  readonly name = TELEGRAM_CHANNEL;
  readonly capabilities: ChannelCapabilities = {
    maxTextLength: TELEGRAM_MAX_TEXT_LENGTH,
    formatting: 'html',
    buttons: true,
  };

  /** The grammy bot, for admin commands or other middleware added before `start()`. */
  readonly bot: Bot;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly aliases: ChatAliases;
  private readonly sender: TelegramSender;
  private readonly recentUpdates = new RecentIds(2048);
  private sink: InboundSink | undefined;
  private polling: Promise<void> | undefined;

  constructor(private readonly options: TelegramAdapterOptions) {
    if (!options.token) throw new Error('TelegramAdapter: token is missing; set TELEGRAM_BOT_TOKEN');
    if (options.webhookUrl && !options.webhookSecret) {
      throw new Error('TelegramAdapter: webhookSecret is missing; set TELEGRAM_WEBHOOK_SECRET with TELEGRAM_WEBHOOK_URL');
    }
    this.logger = (options.logger ?? silentLogger).child({ channel: TELEGRAM_CHANNEL });
    this.clock = options.clock ?? systemClock;
    this.aliases = new ChatAliases(options.chatAliases);
    this.bot = new Bot(options.token, {
      client: { ...(options.apiRoot && { apiRoot: options.apiRoot.replace(/\/+$/, '') }) },
    });
    this.sender = new TelegramSender({
      api: this.bot.api,
      aliases: this.aliases,
      logger: this.logger,
      onMigrated: (oldChatId, newChatId) => this.recordMigration(oldChatId, newChatId),
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      maxRateLimitRetries: options.maxRateLimitRetries ?? 3,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    });

    this.bot.use((ctx) => this.handleUpdate(ctx));
    this.bot.catch((error) => {
      // Long polling only: the update is skipped, so this is a customer message lost.
      this.logger.error({ err: error.error, updateId: error.ctx.update.update_id }, 'telegram update handling failed');
    });
  }

  /** Register the webhook route; does nothing in long-polling mode. */
  mount(app: HttpMount): void {
    if (!this.options.webhookUrl || !this.options.webhookSecret) return;
    mountTelegramWebhook(app, this.bot, this.options.webhookSecret);
  }

  /**
   * Start receiving. In webhook mode, call getMe and setWebhook with the secret; otherwise
   * start long polling and resolve once the first getUpdates is about to run.
   */
  async start(sink: InboundSink): Promise<void> {
    this.sink = sink;
    if (this.options.webhookUrl) {
      await this.bot.init();
      await this.bot.api.setWebhook(this.options.webhookUrl, {
        secret_token: this.options.webhookSecret,
        allowed_updates: [...ALLOWED_UPDATES],
      });
      this.logger.info({ username: this.bot.botInfo.username }, 'telegram webhook set');
      return;
    }
    await new Promise<void>((resolve, reject) => {
      this.polling = this.bot
        .start({
          allowed_updates: [...ALLOWED_UPDATES],
          timeout: this.options.pollingTimeoutSeconds ?? 30,
          onStart: () => resolve(),
        })
        .catch((error: unknown) => {
          this.logger.error({ err: error }, 'telegram long polling stopped with an error');
          reject(error);
        });
    });
    this.logger.info({ username: this.bot.botInfo.username }, 'telegram long polling started');
  }

  /** Stop long polling and wait for the update being handled; the webhook stays registered. */
  async stop(): Promise<void> {
    if (this.bot.isRunning()) {
      // bot.stop() confirms the last offset with one more getUpdates; if that fails, the
      // unconfirmed updates come again after a restart and the deduplication drops them.
      await this.bot.stop().catch((error: unknown) => {
        this.logger.warn({ err: error }, 'telegram could not confirm the last update offset');
      });
    }
    await this.polling?.catch(() => undefined);
    this.polling = undefined;
    this.logger.info('telegram adapter stopped');
  }

  send(message: OutboundMessage): Promise<SendReceipt> {
    return this.sender.send(message);
  }

  typing(chatId: string): Promise<void> {
    return this.sender.typing(chatId);
  }

  private get identity(): BotIdentity {
    const me = this.bot.botInfo;
    return { id: me.id, username: this.options.botUsername ?? me.username };
  }

  /**
   * Route one update. Only normalization and `sink.accept()` (which persists and returns)
   * happen here: grammy handles updates one at a time, so awaiting an answer would hold up
   * every other chat.
   */
  private async handleUpdate(ctx: Context): Promise<void> {
    const update: Update = ctx.update;
    if (!this.recentUpdates.add(update.update_id)) {
      this.logger.debug({ updateId: update.update_id }, 'telegram update already handled, skipped');
      return;
    }
    const sink = this.sink;
    if (!sink) throw new Error('TelegramAdapter received an update before start()');

    try {
      if (update.message) await this.handleMessage(sink, update.message);
      else if (update.edited_message) await this.handleEdit(sink, update.edited_message);
      else if (update.callback_query) await this.handleCallback(sink, update.callback_query);
      else if (update.my_chat_member) this.handleMembership(update.my_chat_member);
    } catch (error) {
      this.recentUpdates.delete(update.update_id);
      throw error;
    }
  }

  private async handleEdit(sink: InboundSink, message: Message): Promise<void> {
    if (this.options.editedMessages === 'ignore') return;
    await this.handleMessage(sink, message, message.edit_date);
  }

  private async handleMessage(sink: InboundSink, message: Message, editDate?: number): Promise<void> {
    const chatId = String(message.chat.id);
    if (message.migrate_to_chat_id !== undefined) {
      return this.recordMigration(chatId, String(message.migrate_to_chat_id));
    }
    if (message.migrate_from_chat_id !== undefined) {
      return this.recordMigration(String(message.migrate_from_chat_id), chatId);
    }
    if (message.chat.type === 'channel' || message.from?.is_bot) return;

    const identity = this.identity;
    if (isGroupChat(message) && !isAddressedToBot(message, identity)) {
      this.logger.debug({ chatId, messageId: message.message_id }, 'telegram group message not addressed to the bot, ignored');
      return;
    }
    const conversationChatId = this.aliases.conversationChatId(chatId);
    const inbound = normalizeMessage(message, {
      bot: identity,
      conversationChatId,
      receivedAt: new Date(this.clock.now()),
      ...(editDate !== undefined && { editDate }),
    });
    if (!inbound) return;

    // A customer who writes again has unblocked the bot.
    this.sender.unblock(conversationChatId);
    const result = await sink.accept(inbound);
    this.logger.info(
      { platformMessageId: inbound.platformMessageId, conversationId: result.conversationId, status: result.status },
      'telegram message accepted',
    );
  }

  private async handleCallback(sink: InboundSink, query: CallbackQuery): Promise<void> {
    const message = query.message;
    if (!message || query.data === undefined) {
      await this.answerCallback(query.id);
      return;
    }
    const chatId = String(message.chat.id);
    try {
      await sink.action({
        channel: TELEGRAM_CHANNEL,
        chatId: this.aliases.conversationChatId(chatId),
        sender: toSender(query.from),
        actionId: query.data,
        platformMessageId: platformMessageId(chatId, message.message_id),
      });
    } finally {
      await this.answerCallback(query.id);
    }
    // Remove the buttons so one rating or choice cannot be pressed twice.
    await this.bot.api.editMessageReplyMarkup(chatId, message.message_id).catch((error: unknown) => {
      this.logger.warn({ err: error, chatId }, 'telegram could not remove the inline keyboard');
    });
  }

  /** Stop the client's progress spinner; a failure only affects the button's look. */
  private async answerCallback(id: string): Promise<void> {
    await this.bot.api.answerCallbackQuery(id).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'telegram answerCallbackQuery failed');
    });
  }

  /** In a private chat, `kicked` means the user blocked the bot and `member` that they unblocked it. */
  private handleMembership(update: ChatMemberUpdated): void {
    if (update.chat.type !== 'private') return;
    const chatId = this.aliases.conversationChatId(String(update.chat.id));
    const status = update.new_chat_member.status;
    if (status === 'kicked') this.sender.block(chatId);
    else if (status === 'member') this.sender.unblock(chatId);
    this.logger.info({ chatId, status }, 'telegram bot membership changed');
  }

  private async recordMigration(oldChatId: string, newChatId: string): Promise<void> {
    if (!this.aliases.record(oldChatId, newChatId)) return;
    this.logger.info({ oldChatId, newChatId }, 'telegram group migrated to a supergroup');
    try {
      await this.options.onChatMigrated?.(oldChatId, newChatId);
    } catch (error) {
      this.logger.error({ err: error, oldChatId, newChatId }, 'telegram chat migration could not be persisted');
    }
  }
}
