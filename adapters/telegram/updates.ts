/**
 * Routing of Telegram updates to the core: messages and edits to `sink.accept()`, button
 * presses to `sink.action()`, membership changes and migrations to the adapter's state.
 */

import type { CallbackQuery, ChatMemberUpdated, Message, Update } from 'grammy/types';
import type { Api } from 'grammy';
import type { InboundSink } from '../../src/bus/types.js';
import type { Clock } from '../../src/clock.js';
import { t } from '../../src/i18n.js';
import type { Logger } from '../../src/log.js';
import type { ChatAliases } from './aliases.js';
import {
  TELEGRAM_CHANNEL,
  isAddressedToBot,
  isGroupChat,
  normalizeMessage,
  platformMessageId,
  toSender,
  type BotIdentity,
} from './normalize.js';
import type { TelegramSender } from './send.js';

export interface UpdateRouterOptions {
  api: Api;
  aliases: ChatAliases;
  sender: TelegramSender;
  logger: Logger;
  clock: Clock;
  editedMessages: 'accept' | 'ignore';
  identity: () => BotIdentity;
  recordMigration: (oldChatId: string, newChatId: string) => Promise<void>;
}

/** `/start`, optionally with a deep-link payload, as Telegram sends it when a chat opens. */
const START_COMMAND = /^\/start(?:@\w+)?(?:\s|$)/;

/**
 * Hands each update to the sink. It only normalizes and awaits `sink.accept()`, which
 * persists and returns. grammy handles updates one at a time, so waiting for the reply
 * here would hold up every other chat.
 */
export class UpdateRouter {
  constructor(private readonly options: UpdateRouterOptions) {}

  async route(sink: InboundSink, update: Update): Promise<void> {
    if (update.message) await this.handleMessage(sink, update.message);
    else if (update.edited_message) await this.handleEdit(sink, update.edited_message);
    else if (update.callback_query) await this.handleCallback(sink, update.callback_query);
    else if (update.my_chat_member) this.handleMembership(update.my_chat_member);
  }

  private async handleEdit(sink: InboundSink, message: Message): Promise<void> {
    if (this.options.editedMessages === 'ignore') return;
    await this.handleMessage(sink, message, message.edit_date);
  }

  private async handleMessage(sink: InboundSink, message: Message, editDate?: number): Promise<void> {
    const { aliases, logger } = this.options;
    const chatId = String(message.chat.id);
    if (message.migrate_to_chat_id !== undefined) {
      return this.options.recordMigration(chatId, String(message.migrate_to_chat_id));
    }
    if (message.migrate_from_chat_id !== undefined) {
      return this.options.recordMigration(String(message.migrate_from_chat_id), chatId);
    }
    if (message.chat.type === 'channel' || message.from?.is_bot) return;

    const identity = this.options.identity();
    if (isGroupChat(message) && !isAddressedToBot(message, identity)) {
      logger.debug({ chatId, messageId: message.message_id }, 'telegram group message not addressed to the bot, ignored');
      return;
    }
    const conversationChatId = aliases.conversationChatId(chatId);
    // A customer who writes again has unblocked the bot.
    this.options.sender.unblock(conversationChatId);
    if (editDate === undefined && START_COMMAND.test(message.text ?? '')) {
      return this.greet(message, conversationChatId);
    }

    const inbound = normalizeMessage(message, {
      bot: identity,
      conversationChatId,
      receivedAt: new Date(this.options.clock.now()),
      ...(editDate !== undefined && { editDate }),
    });
    if (!inbound) {
      // A bare mention in a group contains no question, so the welcome prompts for one.
      if (isGroupChat(message) && editDate === undefined) this.greet(message, conversationChatId);
      return;
    }

    const result = await sink.accept(inbound);
    logger.info(
      { platformMessageId: inbound.platformMessageId, conversationId: result.conversationId, status: result.status },
      'telegram message accepted',
    );
  }

  /** Send the welcome text without waiting, so the update handler stays fast. */
  private greet(message: Message, conversationChatId: string): void {
    const locale = message.from?.language_code ?? 'en';
    // Telegram always sets first_name on a user.
    const text = t(locale, 'telegram.welcome', { name: message.from?.first_name ?? '' });
    const replyToPlatformId = isGroupChat(message) ? platformMessageId(message.chat.id, message.message_id) : undefined;
    this.options.sender
      .send({
        channel: TELEGRAM_CHANNEL,
        chatId: conversationChatId,
        conversationId: '',
        text,
        kind: 'notice',
        locale,
        ...(replyToPlatformId && { replyToPlatformId }),
      })
      .catch((error: unknown) => {
        this.options.logger.warn({ err: error, chatId: conversationChatId }, 'telegram welcome message failed');
      });
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
        chatId: this.options.aliases.conversationChatId(chatId),
        sender: toSender(query.from),
        actionId: query.data,
        platformMessageId: platformMessageId(chatId, message.message_id),
      });
    } finally {
      await this.answerCallback(query.id);
    }
    // Remove the buttons so one rating or choice cannot be pressed twice.
    await this.options.api.editMessageReplyMarkup(chatId, message.message_id).catch((error: unknown) => {
      this.options.logger.warn({ err: error, chatId }, 'telegram could not remove the inline keyboard');
    });
  }

  /** Stop the client's progress spinner; a failure only affects the button's look. */
  private async answerCallback(id: string): Promise<void> {
    await this.options.api.answerCallbackQuery(id).catch((error: unknown) => {
      this.options.logger.warn({ err: error, callbackQueryId: id }, 'telegram answerCallbackQuery failed');
    });
  }

  /** In a private chat, `kicked` means the user blocked the bot and `member` that they unblocked it. */
  private handleMembership(update: ChatMemberUpdated): void {
    if (update.chat.type !== 'private') return;
    const chatId = this.options.aliases.conversationChatId(String(update.chat.id));
    const status = update.new_chat_member.status;
    if (status === 'kicked') this.options.sender.block(chatId);
    else if (status === 'member') this.options.sender.unblock(chatId);
    this.options.logger.info({ chatId, status }, 'telegram bot membership changed');
  }
}
