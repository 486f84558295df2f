/**
 * Normalized message types shared by the core and every channel adapter.
 * Adapters translate platform payloads into these shapes; the core never sees a platform type.
 */

/** Content the customer sent that is not plain text. */
export type AttachmentKind =
  | 'sticker'
  | 'voice'
  | 'audio'
  | 'image'
  | 'video'
  | 'file'
  | 'location'
  | 'contact'
  | 'other';

export interface Attachment {
  kind: AttachmentKind;
  mimeType?: string;
  /** Platform file id, when the platform has one. */
  fileId?: string;
  /** Small, non-secret details such as a file name or coordinates. */
  meta?: Record<string, unknown>;
}

export interface Sender {
  /** Platform user id, unique within the channel. */
  id: string;
  displayName?: string;
  /** BCP 47 tag reported by the platform or the client, such as `en` or `pt-BR`. */
  locale?: string;
}

export interface InboundMessage {
  /** Channel name, such as `http`, `telegram` or `whatsapp`. */
  channel: string;
  /** Id of the message on its platform; (channel, platformMessageId) is unique. */
  platformMessageId: string;
  /** Platform chat id; (channel, chatId) identifies the conversation. */
  chatId: string;
  sender: Sender;
  /** Text as the customer wrote it, or the caption of an attachment. Empty when there is none. */
  text: string;
  attachments: Attachment[];
  receivedAt: Date;
  /** Platform id of the message this one replies to. */
  replyTo?: string;
}

/** Purpose of a message; channels may render kinds differently. */
export type OutboundKind = 'answer' | 'notice' | 'handoff' | 'relay' | 'rating' | 'busy';

export interface Button {
  /** Callback payload returned by the platform when the button is pressed. */
  id: string;
  label: string;
}

export interface OutboundMessage {
  channel: string;
  chatId: string;
  conversationId: string;
  text: string;
  kind: OutboundKind;
  locale: string;
  buttons?: Button[];
  /** Platform id of the inbound message this answers, when the channel threads replies. */
  replyToPlatformId?: string;
  /** Author of the text when it is not the bot, such as `staff:Ana` for a relayed staff reply. */
  author?: string;
}

/** Confirmation that a platform accepted a message. */
export interface SendReceipt {
  platformMessageIds: string[];
}

export interface ChannelCapabilities {
  /** Maximum characters per platform message; longer texts are split by the adapter. */
  maxTextLength: number;
  formatting: 'none' | 'markdown' | 'html';
  buttons: boolean;
}

/** A button press or similar non-message event from a customer. */
export interface ChannelAction {
  channel: string;
  chatId: string;
  sender: Sender;
  /** The `Button.id` that was pressed. */
  actionId: string;
  /** Platform id of the message that carried the button. */
  platformMessageId?: string;
}

export type AcceptResult =
  | { status: 'accepted'; messageId: number; conversationId: string }
  | { status: 'duplicate'; messageId: number; conversationId: string }
  | { status: 'busy'; messageId: number; conversationId: string };

/** Receiver of an adapter's inbound traffic. `bus.accept()` persists before it resolves. */
export interface InboundSink {
  accept(message: InboundMessage): Promise<AcceptResult>;
  action(action: ChannelAction): Promise<void>;
}

export interface ChannelAdapter {
  readonly name: string;
  readonly capabilities: ChannelCapabilities;
  /** Begin receiving; inbound messages go to `sink.accept()`. */
  start(sink: InboundSink): Promise<void>;
  stop(): Promise<void>;
  /**
   * Deliver one message. Resolves only once the platform confirmed it; rejects with a
   * `ChannelSendError` otherwise.
   */
  send(message: OutboundMessage): Promise<SendReceipt>;
  /** Show a "typing" indicator, where the platform has one. Failures are ignored by callers. */
  typing?(chatId: string): Promise<void>;
}

/**
 * Minimal view of the HTTP server that adapters with webhooks register routes on.
 * It matches Fastify's instance so the composition root can pass its server directly.
 */
export type HttpMount = import('fastify').FastifyInstance;

/** Adapters that receive webhooks implement this to add their routes to the shared server. */
export interface WebhookAdapter {
  mount(app: HttpMount): void | Promise<void>;
}
