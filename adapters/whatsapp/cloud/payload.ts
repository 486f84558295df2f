import type { Attachment, InboundMessage } from '../../../src/bus/types.js';

/**
 * Shapes of the Cloud API webhook (`object: "whatsapp_business_account"`), limited to the
 * fields the adapter reads. Most fields are optional, because Meta omits those a message type lacks.
 */
export interface CloudWebhookBody {
  object?: string;
  entry?: Array<{ id?: string; changes?: Array<{ field?: string; value?: CloudChangeValue }> }>;
}

export interface CloudChangeValue {
  messaging_product?: string;
  metadata?: { display_phone_number?: string; phone_number_id?: string };
  contacts?: Array<{ wa_id?: string; profile?: { name?: string } }>;
  messages?: CloudMessage[];
  statuses?: CloudStatus[];
}

interface CloudMedia {
  id?: string;
  mime_type?: string;
  caption?: string;
  filename?: string;
  animated?: boolean;
  voice?: boolean;
}

export interface CloudMessage {
  id: string;
  from: string;
  /** Unix time in seconds, as a string. */
  timestamp?: string;
  type: string;
  context?: { from?: string; id?: string };
  text?: { body?: string };
  image?: CloudMedia;
  audio?: CloudMedia;
  video?: CloudMedia;
  document?: CloudMedia;
  sticker?: CloudMedia;
  location?: { latitude?: number; longitude?: number; name?: string; address?: string };
  contacts?: Array<{ name?: { formatted_name?: string } }>;
  interactive?: {
    type?: string;
    button_reply?: { id?: string; title?: string };
    list_reply?: { id?: string; title?: string };
  };
  /** A tap on a quick-reply button of a template message. */
  button?: { payload?: string; text?: string };
}

export interface CloudStatus {
  id: string;
  status: string;
  timestamp?: string;
  recipient_id?: string;
  errors?: Array<{ code?: number; title?: string }>;
}

/** Collect the `messages` change values of a webhook body. */
export function changeValues(body: CloudWebhookBody): CloudChangeValue[] {
  const values: CloudChangeValue[] = [];
  for (const entry of body.entry ?? []) {
    for (const change of entry.changes ?? []) {
      if (change.field === 'messages' && change.value) values.push(change.value);
    }
  }
  return values;
}

/** Sent time of a message or status, falling back to `fallbackMs` when missing or invalid. */
export function eventTime(timestamp: string | undefined, fallbackMs: number): number {
  const seconds = Number(timestamp);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : fallbackMs;
}

/** Id of the button or list row a customer picked, when the message is such a reply. */
export function pickedActionId(message: CloudMessage): string | undefined {
  if (message.type !== 'interactive') return undefined;
  return message.interactive?.button_reply?.id ?? message.interactive?.list_reply?.id;
}

/** Normalize a customer message; `displayName` comes from the change's `contacts`. */
export function toInboundMessage(
  message: CloudMessage,
  channel: string,
  displayName: string | undefined,
  receivedAtMs: number,
): InboundMessage {
  const attachment = toAttachment(message);
  return {
    channel,
    platformMessageId: message.id,
    chatId: message.from,
    sender: { id: message.from, displayName },
    text: messageText(message),
    attachments: attachment ? [attachment] : [],
    receivedAt: new Date(receivedAtMs),
    replyTo: message.context?.id,
  };
}

function messageText(message: CloudMessage): string {
  switch (message.type) {
    case 'text':
      return message.text?.body ?? '';
    case 'button':
      return message.button?.text ?? '';
    case 'interactive':
      return message.interactive?.button_reply?.title ?? message.interactive?.list_reply?.title ?? '';
    default:
      return mediaOf(message)?.caption ?? '';
  }
}

function mediaOf(message: CloudMessage): CloudMedia | undefined {
  switch (message.type) {
    case 'image':
      return message.image;
    case 'audio':
      return message.audio;
    case 'video':
      return message.video;
    case 'document':
      return message.document;
    case 'sticker':
      return message.sticker;
    default:
      return undefined;
  }
}

function toAttachment(message: CloudMessage): Attachment | undefined {
  const media = mediaOf(message);
  const common = { mimeType: media?.mime_type, fileId: media?.id };
  switch (message.type) {
    case 'image':
    case 'video':
    case 'sticker':
      return { kind: message.type, ...common };
    case 'audio':
      // Meta's audio webhook reference marks recordings made with the in-app recorder as `voice: true`.
      return { kind: media?.voice ? 'voice' : 'audio', ...common };
    case 'document':
      return { kind: 'file', ...common, meta: { fileName: media?.filename } };
    case 'location':
      return { kind: 'location', meta: { ...message.location } };
    case 'contacts':
      return { kind: 'contact', meta: { names: (message.contacts ?? []).map((c) => c.name?.formatted_name).filter(Boolean) } };
    case 'text':
    case 'button':
    case 'interactive':
      return undefined;
    default:
      return { kind: 'other', meta: { type: message.type } };
  }
}
