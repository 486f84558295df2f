/**
 * The Telegram channel. grammy receives updates by long polling (default) or by webhook,
 * and this adapter normalizes them for the core and delivers the core's replies.
 */

import { Bot, Composer, type Context, type NextFunction } from 'grammy';
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
import { TELEGRAM_CHANNEL, type BotIdentity } from './normalize.js';
import { RecentIds } from './recent.js';
import { TelegramSender } from './send.js';
import { UpdateRouter } from './updates.js';
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
   * Handling of edited messages. `accept` (default) hands an edit to the core as a new
   * message with the id `<chatId>:<messageId>:edit:<edit_date>`, so a corrected question
   * gets a reply of its own. `ignore` drops edits.
   */
  editedMessages?: 'accept' | 'ignore';
  /** Max 429 responses waited out per message chunk before failing with `rate_limited`. Default 3. */
  maxRateLimitRetries?: number;
  /** Max retry_after waited out inside `send()`, in ms; a longer one fails at once. Default 60,000. */
  maxRetryAfterMs?: number;
  /** Wait used for retry_after. Default: a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** getUpdates long-polling timeout in seconds. Default 30. */
  pollingTimeoutSeconds?: number;
  /**
   * Timeout of one Bot API request in seconds; it must exceed the polling timeout. Default 60
   * (grammy 1.46 defaults to 500 s, which would hold a chat's send queue for minutes).
   */
  requestTimeoutSeconds?: number;
}

/** Telegram adapter; see {@link TelegramAdapterOptions} for the two receiving modes. */
export class TelegramAdapter implements ChannelAdapter, WebhookAdapter {
  readonly name = TELEGRAM_CHANNEL;
  readonly capabilities: ChannelCapabilities = {
    maxTextLength: TELEGRAM_MAX_TEXT_LENGTH,
    formatting: 'html',
    buttons: true,
  };

  readonly bot: Bot;
  /**
   * Middleware that runs before updates reach the core, for admin commands. A handler that
   * does not call `next()` keeps its update from the core.
   */
  readonly commands = new Composer<Context>();
  private readonly logger: Logger;
  private readonly router: UpdateRouter;
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
    this.aliases = new ChatAliases(options.chatAliases);
    const requestTimeoutSeconds = options.requestTimeoutSeconds ?? 60;
    if (requestTimeoutSeconds <= (options.pollingTimeoutSeconds ?? 30)) {
      throw new Error('TelegramAdapter: requestTimeoutSeconds must be greater than pollingTimeoutSeconds');
    }
    this.bot = new Bot(options.token, {
      client: {
        timeoutSeconds: requestTimeoutSeconds,
        ...(options.apiRoot && { apiRoot: options.apiRoot.replace(/\/+$/, '') }),
      },
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

    this.router = new UpdateRouter({
      api: this.bot.api,
      aliases: this.aliases,
      sender: this.sender,
      logger: this.logger,
      clock: options.clock ?? systemClock,
      editedMessages: options.editedMessages ?? 'accept',
      identity: () => this.identity,
      recordMigration: (oldChatId, newChatId) => this.recordMigration(oldChatId, newChatId),
    });

    this.bot.use((ctx, next) => this.deduplicate(ctx, next));
    this.bot.use(this.commands);
    this.bot.use((ctx) => this.routeUpdate(ctx));
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

  /** Skip updates seen recently; forget the id again when handling fails so a redelivery works. */
  private async deduplicate(ctx: Context, next: NextFunction): Promise<void> {
    const updateId = ctx.update.update_id;
    if (!this.recentUpdates.add(updateId)) {
      this.logger.debug({ updateId }, 'telegram update already handled, skipped');
      return;
    }
    try {
      await next();
    } catch (error) {
      this.recentUpdates.delete(updateId);
      throw error;
    }
  }

  private async routeUpdate(ctx: Context): Promise<void> {
    if (!this.sink) throw new Error('TelegramAdapter received an update before start(); call start() first');
    await this.router.route(this.sink, ctx.update);
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
