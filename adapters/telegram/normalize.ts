/**
 * Translation of Telegram messages into the core's `InboundMessage`, and the rule that
 * decides whether a group message is addressed to the bot.
 */

import type { Message, MessageEntity, User } from 'grammy/types';
import type { Attachment, InboundMessage, Sender } from '../../src/bus/types.js';

export const TELEGRAM_CHANNEL = 'telegram';

/** The bot as the normalizer needs to know it. */
export interface BotIdentity {
  id: number;
  /** Username without the leading `@`. */
  username: string;
}

/** Platform message id: message ids are only unique within one chat. */
export function platformMessageId(chatId: number | string, messageId: number): string {
  return `${chatId}:${messageId}`;
}

/** Build the core's sender from a Telegram user. */
export function toSender(user: User): Sender {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ') || user.username;
  return {
    id: String(user.id),
    ...(name && { displayName: name }),
    ...(user.language_code && { locale: user.language_code }),
  };
}

/** True for chats where the bot replies only when addressed. */
export function isGroupChat(message: Message): boolean {
  return message.chat.type === 'group' || message.chat.type === 'supergroup';
}

/**
 * True when a group message is meant for the bot: it mentions `@username` (also as
 * `/command@username`), mentions the bot through a text_mention entity, or replies to one of
 * the bot's messages.
 */
export function isAddressedToBot(message: Message, bot: BotIdentity): boolean {
  if (message.reply_to_message?.from?.id === bot.id) return true;
  const text = message.text ?? message.caption ?? '';
  const entities = message.entities ?? message.caption_entities ?? [];
  const handle = `@${bot.username.toLowerCase()}`;
  return entities.some((entity) => mentionsBot(entity, text, handle, bot.id));
}

function mentionsBot(entity: MessageEntity, text: string, handle: string, botId: number): boolean {
  if (entity.type === 'text_mention') return entity.user.id === botId;
  const value = text.slice(entity.offset, entity.offset + entity.length).toLowerCase();
  if (entity.type === 'mention') return value === handle;
  if (entity.type === 'bot_command') return value.endsWith(handle);
  return false;
}

/** Remove `@username` from a group message so the core reads only the question. */
function stripMention(text: string, bot: BotIdentity): string {
  const pattern = new RegExp(`@${bot.username.replace(/[^\w]/g, '')}\\b`, 'gi');
  return text.replace(pattern, '').replace(/[ \t]{2,}/g, ' ').trim();
}

export interface NormalizeContext {
  bot: BotIdentity;
  /** Conversation chat id for this message's chat (differs after a migration). */
  conversationChatId: string;
  receivedAt: Date;
  /** Set for an edited message: its `edit_date`, which makes the platform id distinct. */
  editDate?: number;
}

/**
 * Convert a Telegram message to an `InboundMessage`. The caption of a media message becomes
 * the text. Returns undefined for messages with neither text nor supported content, such as
 * service messages about members joining.
 */
export function normalizeMessage(message: Message, context: NormalizeContext): InboundMessage | undefined {
  if (!message.from) return undefined;
  const attachments = extractAttachments(message);
  let text = message.text ?? message.caption ?? '';
  if (isGroupChat(message)) text = stripMention(text, context.bot);
  if (text === '' && attachments.length === 0) return undefined;

  let id = platformMessageId(message.chat.id, message.message_id);
  if (context.editDate !== undefined) id += `:edit:${context.editDate}`;
  const replied = message.reply_to_message;

  return {
    channel: TELEGRAM_CHANNEL,
    platformMessageId: id,
    chatId: context.conversationChatId,
    sender: toSender(message.from),
    text,
    attachments,
    receivedAt: context.receivedAt,
    ...(replied && { replyTo: platformMessageId(message.chat.id, replied.message_id) }),
  };
}

/** Describe the non-text content of a message; empty for a plain text message. */
export function extractAttachments(message: Message): Attachment[] {
  const attachments: Attachment[] = [];
  const largestPhoto = message.photo?.at(-1);

  if (message.sticker) {
    const { file_id, emoji, set_name, is_animated, is_video } = message.sticker;
    attachments.push({
      kind: 'sticker',
      fileId: file_id,
      ...(is_video && { mimeType: 'video/webm' }),
      meta: { emoji, setName: set_name, animated: is_animated || is_video },
    });
  }
  if (message.voice) {
    const { file_id, mime_type, duration } = message.voice;
    attachments.push({ kind: 'voice', fileId: file_id, mimeType: mime_type ?? 'audio/ogg', meta: { durationSeconds: duration } });
  }
  if (message.audio) {
    const { file_id, mime_type, duration, title, performer, file_name } = message.audio;
    attachments.push({
      kind: 'audio',
      fileId: file_id,
      ...(mime_type && { mimeType: mime_type }),
      meta: { durationSeconds: duration, title, performer, fileName: file_name },
    });
  }
  if (largestPhoto) {
    const { file_id, width, height } = largestPhoto;
    attachments.push({ kind: 'image', fileId: file_id, mimeType: 'image/jpeg', meta: { width, height } });
  }
  attachments.push(...videoAttachments(message));
  // Telegram fills `document` as well for animations; the animation entry already covers it.
  if (message.document && !message.animation) {
    const { file_id, mime_type, file_name, file_size } = message.document;
    attachments.push({
      kind: 'file',
      fileId: file_id,
      ...(mime_type && { mimeType: mime_type }),
      meta: { fileName: file_name, sizeBytes: file_size },
    });
  }
  attachments.push(...placeAndContactAttachments(message));
  if (attachments.length === 0) attachments.push(...otherContent(message));
  return attachments;
}

function videoAttachments(message: Message): Attachment[] {
  const result: Attachment[] = [];
  if (message.video) {
    const { file_id, mime_type, duration, width, height } = message.video;
    result.push({
      kind: 'video',
      fileId: file_id,
      ...(mime_type && { mimeType: mime_type }),
      meta: { durationSeconds: duration, width, height },
    });
  }
  if (message.video_note) {
    const { file_id, duration } = message.video_note;
    result.push({ kind: 'video', fileId: file_id, mimeType: 'video/mp4', meta: { durationSeconds: duration, round: true } });
  }
  if (message.animation) {
    const { file_id, mime_type, duration } = message.animation;
    result.push({
      kind: 'video',
      fileId: file_id,
      ...(mime_type && { mimeType: mime_type }),
      meta: { durationSeconds: duration, animation: true },
    });
  }
  return result;
}

function placeAndContactAttachments(message: Message): Attachment[] {
  const result: Attachment[] = [];
  if (message.location) {
    const { latitude, longitude } = message.location;
    // A venue carries a location too; its name and address belong to the same attachment.
    const venue = message.venue ? { title: message.venue.title, address: message.venue.address } : {};
    result.push({ kind: 'location', meta: { latitude, longitude, ...venue } });
  }
  if (message.contact) {
    const { phone_number, first_name, last_name, user_id } = message.contact;
    result.push({
      kind: 'contact',
      meta: { phoneNumber: phone_number, firstName: first_name, lastName: last_name, userId: user_id },
    });
  }
  return result;
}

/** Content the core cannot use but should know was sent, such as a poll or a dice roll. */
function otherContent(message: Message): Attachment[] {
  const kinds = ['poll', 'dice', 'game', 'story', 'invoice', 'checklist', 'paid_media'] as const;
  const present = kinds.find((kind) => message[kind as keyof Message] !== undefined);
  return present ? [{ kind: 'other', meta: { type: present } }] : [];
}
