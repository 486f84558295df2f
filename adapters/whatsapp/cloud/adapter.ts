import { LRUCache } from 'lru-cache';
import { ChannelSendError } from '../../../src/bus/errors.js';
import type {
  Button,
  ChannelAdapter,
  ChannelCapabilities,
  HttpMount,
  InboundSink,
  OutboundMessage,
  SendReceipt,
  WebhookAdapter,
} from '../../../src/bus/types.js';
import { systemClock, type Clock } from '../../../src/clock.js';
import { silentLogger, type Logger } from '../../../src/log.js';
import { realSleep, type Sleep } from '../backoff.js';
import { OfferedButtons, withNumberedButtons } from '../buttons.js';
import { DEFAULT_CLOUD_API_URL } from '../config.js';
import { splitText } from '../split.js';
import { GraphClient, type RateLimitPolicy } from './graph.js';
import { changeValues, eventTime, pickedActionId, toInboundMessage, type CloudMessage, type CloudStatus, type CloudWebhookBody } from './payload.js';
import { registerWebhookRoutes } from './webhook.js';
import { ServiceWindow, type LastInboundLookup } from './window.js';

/** A delivery report for a message the bot sent. */
export interface DeliveryStatus {
  platformMessageId: string;
  chatId?: string;
  status: 'sent' | 'delivered' | 'read' | 'failed' | (string & {});
  at: Date;
  errors: Array<{ code?: number; title?: string }>;
}

export interface WhatsAppCloudAdapterOptions {
  token: string;
  phoneId: string;
  /** Meta app secret; signs webhook bodies. */
  appSecret: string;
  /** Secret echoed by Meta when it verifies the webhook subscription. */
  verifyToken: string;
  /** Graph API base including the version. Default https://graph.facebook.com/v21.0. */
  apiUrl?: string;
  /** Approved template sent instead of free text outside the 24-hour window. */
  template?: { name: string; language: string };
  /** Time of a customer's last message from storage, for customers memory has not seen. */
  lastInboundAt?: LastInboundLookup;
  /** Called for every delivery report. The adapter sends nothing in reply to a report. */
  onStatus?: (status: DeliveryStatus) => void;
  /** Maximum text length per message. Default 4096 (the Cloud API accepts 4096 for text). */
  maxTextLength?: number;
  /** How long a numbered reply counts as a button press, in ms. Default 30 minutes. */
  buttonTtlMs?: number;
  /** Retries after rate-limit errors. Default 3 retries, 1 s doubling up to 60 s. */
  rateLimit?: Partial<RateLimitPolicy>;
  /** Per-request timeout in ms. Default 15000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  logger?: Logger;
  clock?: Clock;
  sleep?: Sleep;
}

const CHANNEL = 'whatsapp';
/** Cloud API limits for interactive reply buttons. */
const MAX_REPLY_BUTTONS = 3;
const MAX_BUTTON_TITLE = 20;
const MAX_INTERACTIVE_BODY = 1024;

/**
 * WhatsApp through Meta's Cloud API: signed webhooks in, Graph API `messages` out. Outside
 * the 24-hour customer-service window it sends the configured template instead of free text.
 */
export class WhatsAppCloudAdapter implements ChannelAdapter, WebhookAdapter {
  readonly name = CHANNEL;
  readonly capabilities: ChannelCapabilities;
  private readonly options: WhatsAppCloudAdapterOptions;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly graph: GraphClient;
  private readonly window: ServiceWindow;
  private readonly offered: OfferedButtons;
  /** Message ids already handled as button presses; actions are not deduplicated by the core. */
  private readonly handledActions = new LRUCache<string, true>({ max: 10_000 });
  private sink: InboundSink | undefined;

  constructor(options: WhatsAppCloudAdapterOptions) {
    for (const key of ['token', 'phoneId', 'appSecret', 'verifyToken'] as const) {
      if (!options[key]) throw new TypeError(`WhatsApp Cloud adapter option ${key} is missing`);
    }
    const maxTextLength = options.maxTextLength ?? 4096;
    if (!Number.isInteger(maxTextLength) || maxTextLength < 100 || maxTextLength > 4096) {
      throw new RangeError(`maxTextLength must be an integer from 100 to 4096, got ${maxTextLength}`);
    }
    this.options = options;
    this.capabilities = { maxTextLength, formatting: 'none', buttons: true };
    this.logger = (options.logger ?? silentLogger).child({ channel: CHANNEL, mode: 'cloud' });
    this.clock = options.clock ?? systemClock;
    this.window = new ServiceWindow(this.clock, options.lastInboundAt);
    this.offered = new OfferedButtons({ ttlMs: options.buttonTtlMs, clock: this.clock });
    this.graph = new GraphClient({
      baseUrl: options.apiUrl ?? DEFAULT_CLOUD_API_URL,
      token: options.token,
      phoneId: options.phoneId,
      timeoutMs: options.timeoutMs ?? 15_000,
      rateLimit: { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 60_000, ...options.rateLimit },
      fetch: options.fetch ?? fetch,
      sleep: options.sleep ?? realSleep,
      clock: this.clock,
      logger: this.logger,
    });
  }

  /** Add `GET` and `POST /whatsapp/webhook` to the shared server. */
  async mount(app: HttpMount): Promise<void> {
    await registerWebhookRoutes(app, {
      appSecret: this.options.appSecret,
      verifyToken: this.options.verifyToken,
      logger: this.logger,
      handle: (body) => this.handleWebhook(body as CloudWebhookBody),
    });
  }

  async start(sink: InboundSink): Promise<void> {
    this.sink = sink;
    this.logger.info('WhatsApp Cloud adapter started');
  }

  async stop(): Promise<void> {
    this.sink = undefined;
    this.logger.info('WhatsApp Cloud adapter stopped');
  }

  async send(message: OutboundMessage): Promise<SendReceipt> {
    if (!(await this.window.isOpen(message.chatId))) return this.sendTemplate(message);
    try {
      return await this.sendFreeForm(message);
    } catch (error) {
      // Storage or memory can be wrong about the window (a message from another device, a
      // clock skew); Meta's own verdict wins.
      if (error instanceof ChannelSendError && error.code === 'window_closed' && this.options.template) {
        return this.sendTemplate(message);
      }
      throw error;
    }
  }

  private async sendTemplate(message: OutboundMessage): Promise<SendReceipt> {
    const template = this.options.template;
    if (!template) {
      this.logger.warn({ conversationId: message.conversationId }, 'WhatsApp window closed and no template configured; message not sent');
      throw new ChannelSendError(CHANNEL, 'window_closed', 'the 24-hour WhatsApp window is closed; set WHATSAPP_CLOUD_TEMPLATE to reach the customer');
    }
    const id = await this.graph.sendMessage(message.chatId, {
      type: 'template',
      template: { name: template.name, language: { code: template.language } },
    });
    this.logger.info({ conversationId: message.conversationId, template: template.name }, 'WhatsApp window closed; template sent instead of the message');
    return { platformMessageIds: [id] };
  }

  private async sendFreeForm(message: OutboundMessage): Promise<SendReceipt> {
    const buttons = message.buttons ?? [];
    const native = fitsReplyButtons(buttons);
    const text = buttons.length > 0 && !native ? withNumberedButtons(message.text, buttons, message.locale) : message.text;
    const chunks = splitText(text, this.capabilities.maxTextLength);
    if (native && chunks.length > 0 && (chunks.at(-1)?.length ?? 0) > MAX_INTERACTIVE_BODY) {
      // An interactive message body is limited to 1024 characters, so only the tail goes with the buttons.
      chunks.push(...splitText(chunks.pop() ?? '', MAX_INTERACTIVE_BODY));
    }
    if (chunks.length === 0) throw new ChannelSendError(CHANNEL, 'bad_request', 'message text is empty');

    const ids: string[] = [];
    for (const [index, chunk] of chunks.entries()) {
      const context = index === 0 && message.replyToPlatformId ? { context: { message_id: message.replyToPlatformId } } : {};
      const body = native && index === chunks.length - 1 ? interactiveBody(chunk, buttons) : { type: 'text', text: { body: chunk, preview_url: false } };
      ids.push(await this.graph.sendMessage(message.chatId, { ...context, ...body }));
    }
    if (!native) this.offered.remember(message.chatId, buttons);
    this.logger.info({ conversationId: message.conversationId, parts: chunks.length, kind: message.kind }, 'WhatsApp message sent');
    return { platformMessageIds: ids };
  }

  private async handleWebhook(body: CloudWebhookBody): Promise<void> {
    for (const value of changeValues(body)) {
      const phoneId = value.metadata?.phone_number_id;
      if (phoneId && phoneId !== this.options.phoneId) {
        this.logger.warn({ phoneId }, 'WhatsApp webhook for another phone number ignored');
        continue;
      }
      for (const status of value.statuses ?? []) this.recordStatus(status);
      const names = new Map((value.contacts ?? []).map((c) => [c.wa_id ?? '', c.profile?.name]));
      for (const message of value.messages ?? []) await this.handleMessage(message, names.get(message.from));
    }
  }

  private async handleMessage(message: CloudMessage, displayName: string | undefined): Promise<void> {
    const sink = this.sink;
    if (!sink) throw new Error('WhatsApp Cloud adapter received a webhook before start()');
    if (!message?.id || !message.from) {
      this.logger.warn({ type: message?.type }, 'WhatsApp message without id or sender ignored');
      return;
    }
    const receivedAtMs = Math.min(eventTime(message.timestamp, this.clock.now()), this.clock.now());
    this.window.record(message.from, receivedAtMs);
    if (message.type === 'reaction' || message.type === 'system') return;

    const inbound = toInboundMessage(message, CHANNEL, displayName, receivedAtMs);
    // From here to the action call nothing awaits, so check-and-set on handledActions is atomic
    // and a concurrent second delivery of the same id cannot become a second press.
    if (this.handledActions.has(message.id)) return;
    const actionId = pickedActionId(message) ?? (inbound.attachments.length === 0 ? this.offered.take(message.from, inbound.text)?.id : undefined);
    if (actionId !== undefined) {
      this.handledActions.set(message.id, true);
      await sink.action({ channel: CHANNEL, chatId: message.from, sender: inbound.sender, actionId, platformMessageId: message.context?.id ?? message.id });
      this.logger.info({ platformMessageId: message.id, actionId }, 'WhatsApp button press handled');
      return;
    }
    const result = await sink.accept(inbound);
    this.logger.info({ platformMessageId: message.id, type: message.type, status: result.status }, 'WhatsApp message accepted');
  }

  private recordStatus(status: CloudStatus): void {
    const report: DeliveryStatus = {
      platformMessageId: status.id,
      chatId: status.recipient_id,
      status: status.status,
      at: new Date(eventTime(status.timestamp, this.clock.now())),
      errors: (status.errors ?? []).map(({ code, title }) => ({ code, title })),
    };
    if (report.status === 'failed') {
      this.logger.warn({ platformMessageId: report.platformMessageId, errors: report.errors }, 'WhatsApp reported a message as failed');
    } else {
      this.logger.debug({ platformMessageId: report.platformMessageId, status: report.status }, 'WhatsApp delivery status');
    }
    try {
      this.options.onStatus?.(report);
    } catch (error) {
      this.logger.error({ err: error, platformMessageId: report.platformMessageId }, 'WhatsApp status callback failed');
    }
  }
}

/** True when the buttons fit the Cloud API's reply buttons: 1 to 3, titles of at most 20 characters. */
function fitsReplyButtons(buttons: readonly Button[]): boolean {
  return (
    buttons.length > 0 &&
    buttons.length <= MAX_REPLY_BUTTONS &&
    buttons.every((button) => [...button.label].length <= MAX_BUTTON_TITLE && button.id.length <= 256)
  );
}

function interactiveBody(text: string, buttons: readonly Button[]): Record<string, unknown> {
  return {
    type: 'interactive',
    interactive: {
      type: 'button',
      body: { text },
      action: { buttons: buttons.map((button) => ({ type: 'reply', reply: { id: button.id, title: button.label } })) },
    },
  };
}
