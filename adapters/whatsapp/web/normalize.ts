import type { Attachment, InboundMessage } from '../../../src/bus/types.js';
import type { WebMessage } from './client.js';

export const STATUS_BROADCAST = 'status@broadcast';

/** Library message types that carry no customer content: notices, receipts, deletions. */
const SYSTEM_TYPES = new Set([
  'e2e_notification',
  'notification',
  'notification_template',
  'gp2',
  'group_notification',
  'call_log',
  'protocol',
  'revoked',
  'ciphertext',
  'debug',
  'broadcast_notification',
  'reaction',
]);

export function isGroupChat(chatId: string): boolean {
  return chatId.endsWith('@g.us');
}

/** True for messages the bot must never reply to: its own, status updates, system notices. */
export function isIgnored(message: WebMessage): boolean {
  if (message.fromMe || message.id.fromMe) return true;
  if (message.isStatus || message.from === STATUS_BROADCAST) return true;
  return SYSTEM_TYPES.has(message.type);
}

/**
 * Decide whether a group message is addressed to the bot: it mentions the bot or quotes one
 * of the bot's messages. Direct chats are always addressed to the bot.
 */
export async function isAddressedToBot(message: WebMessage, ownId: string | undefined): Promise<boolean> {
  if (!isGroupChat(message.from)) return true;
  if (ownId && message.mentionedIds.some((id) => sameUser(id, ownId))) return true;
  if (!message.hasQuotedMsg) return false;
  const quoted = await message.getQuotedMessage();
  return quoted?.fromMe === true;
}

/**
 * Compare two WhatsApp ids by their user part, so `15550001111@c.us` matches
 * `15550001111@s.whatsapp.net`.
 * NOTE: groups that mention members by LID (`<digits>@lid`) carry an id unrelated to the
 * phone number, so such a mention of the bot is not recognized. A quote still is.
 */
function sameUser(a: string, b: string): boolean {
  return a.split('@')[0] === b.split('@')[0];
}

/** Normalize a library message; `ownId` is the bot's serialized wid, used to strip mentions. */
export function toInboundMessage(message: WebMessage, channel: string, ownId?: string): InboundMessage {
  const attachment = toAttachment(message);
  // A vCard's body is the card itself, not something the customer wrote.
  const text = attachment?.kind === 'contact' ? '' : stripOwnMention(message.body ?? '', ownId);
  return {
    channel,
    platformMessageId: message.id._serialized,
    chatId: message.from,
    sender: {
      id: message.author ?? message.from,
      displayName: message._data?.notifyName || undefined,
    },
    text,
    attachments: attachment ? [attachment] : [],
    receivedAt: new Date(message.timestamp * 1000),
  };
}

function stripOwnMention(text: string, ownId: string | undefined): string {
  if (!ownId) return text;
  const user = ownId.split('@')[0] ?? '';
  if (!user) return text;
  return text.replaceAll(`@${user}`, '').replace(/\s{2,}/g, ' ').trim();
}

function toAttachment(message: WebMessage): Attachment | undefined {
  const mimeType = message._data?.mimetype;
  switch (message.type) {
    case 'sticker':
      return { kind: 'sticker', mimeType };
    case 'ptt':
      return { kind: 'voice', mimeType, meta: durationMeta(message) };
    case 'audio':
      return { kind: 'audio', mimeType, meta: durationMeta(message) };
    case 'image':
      return { kind: 'image', mimeType };
    case 'video':
      return { kind: 'video', mimeType, meta: durationMeta(message) };
    case 'document':
      return { kind: 'file', mimeType, meta: { fileName: message._data?.filename } };
    case 'location':
      return { kind: 'location', meta: locationMeta(message) };
    case 'vcard':
    case 'multi_vcard':
      return { kind: 'contact', meta: { names: message.vCards.map(vCardName).filter(Boolean) } };
    default:
      return message.hasMedia ? { kind: 'other', mimeType, meta: { type: message.type } } : undefined;
  }
}

function durationMeta(message: WebMessage): Record<string, unknown> | undefined {
  const seconds = Number(message.duration);
  return Number.isFinite(seconds) && seconds > 0 ? { durationSeconds: seconds } : undefined;
}

function locationMeta(message: WebMessage): Record<string, unknown> {
  const location = message.location;
  return {
    latitude: Number(location?.latitude),
    longitude: Number(location?.longitude),
    name: location?.name,
    address: location?.address,
  };
}

/** The formatted name (`FN:`) of a vCard, or an empty string. */
function vCardName(card: string): string {
  const line = card.split(/\r?\n/).find((entry) => /^FN[;:]/i.test(entry));
  return line ? line.slice(line.indexOf(':') + 1).trim() : '';
}
