import { ChannelSendError } from '../../../src/bus/errors.js';
import type {
  ChannelAdapter,
  ChannelCapabilities,
  InboundSink,
  OutboundMessage,
  SendReceipt,
} from '../../../src/bus/types.js';
import { systemClock, type Clock } from '../../../src/clock.js';
import { silentLogger, type Logger } from '../../../src/log.js';
import { realSleep, type Sleep } from '../backoff.js';
import { OfferedButtons, withNumberedButtons } from '../buttons.js';
import { splitText } from '../split.js';
import {
  clearLocalSession,
  createWebClient,
  defaultChromiumPath,
  type WebClient,
  type WebClientFactory,
  type WebClientSettings,
  type WebMessage,
} from './client.js';
import { isAddressedToBot, isIgnored, toInboundMessage } from './normalize.js';
import {
  printPairingCode,
  printQrCode,
  WebSession,
  type ReconnectPolicy,
  type WhatsAppAlert,
} from './session.js';

export interface WhatsAppWebAdapterOptions {
  /** Builds the whatsapp-web.js client; tests pass a fake. Default: a real client with LocalAuth. */
  createClient?: WebClientFactory;
  /** LocalAuth data directory. Default `data/whatsapp-session`. */
  sessionDir?: string;
  clientId?: string;
  /** Chromium binary. Default /usr/bin/chromium when it exists, else puppeteer's own lookup. */
  executablePath?: string;
  /** Link by pairing code for this number (digits, international format) instead of a QR code. */
  pairingPhone?: string;
  /** Maximum text length per WhatsApp message. Default 4096, because long messages read poorly even though WhatsApp accepts 65536. */
  maxTextLength?: number;
  /** How long a numbered reply counts as a button press, in ms. Default 30 minutes. */
  buttonTtlMs?: number;
  /** Retries after a transient disconnect. Default 8 attempts, 2 s doubling up to 5 min. */
  reconnect?: Partial<ReconnectPolicy>;
  /** Called for logouts, failed session restores and exhausted reconnects. */
  onAlert?: (alert: WhatsAppAlert) => void;
  /** Shows a login QR code. Default: printed to the terminal. */
  showQr?: (qr: string) => void;
  /** Shows a pairing code. Default: printed to the terminal. */
  showPairingCode?: (code: string) => void;
  /** Removes the stored login. Default: deletes the LocalAuth session folder. */
  clearSession?: (settings: WebClientSettings) => Promise<void>;
  logger?: Logger;
  clock?: Clock;
  sleep?: Sleep;
}

const CHANNEL = 'whatsapp';

/**
 * WhatsApp through WhatsApp Web (whatsapp-web.js), logged in as a linked device of a phone.
 * In groups it replies only when mentioned or quoted. Buttons are sent as a numbered list and
 * a numbered reply becomes a `sink.action()`.
 */
export class WhatsAppWebAdapter implements ChannelAdapter {
  readonly name = CHANNEL;
  readonly capabilities: ChannelCapabilities;
  private readonly logger: Logger;
  private readonly session: WebSession;
  private readonly offered: OfferedButtons;
  private sink: InboundSink | undefined;

  constructor(options: WhatsAppWebAdapterOptions = {}) {
    const maxTextLength = options.maxTextLength ?? 4096;
    if (!Number.isInteger(maxTextLength) || maxTextLength < 100 || maxTextLength > 65_536) {
      throw new RangeError(`maxTextLength must be an integer from 100 to 65536, got ${maxTextLength}`);
    }
    this.capabilities = { maxTextLength, formatting: 'none', buttons: true };
    this.logger = (options.logger ?? silentLogger).child({ channel: CHANNEL, mode: 'web' });
    this.offered = new OfferedButtons({ ttlMs: options.buttonTtlMs, clock: options.clock ?? systemClock });
    this.session = new WebSession({
      createClient: options.createClient ?? createWebClient,
      settings: {
        sessionDir: options.sessionDir ?? 'data/whatsapp-session',
        clientId: options.clientId,
        executablePath: options.executablePath ?? defaultChromiumPath(),
      },
      pairingPhone: options.pairingPhone,
      reconnect: { maxAttempts: 8, baseDelayMs: 2000, maxDelayMs: 5 * 60_000, ...options.reconnect },
      logger: this.logger,
      sleep: options.sleep ?? realSleep,
      onAlert: options.onAlert ?? (() => {}),
      showQr: options.showQr ?? printQrCode,
      showPairingCode: options.showPairingCode ?? printPairingCode,
      clearSession: options.clearSession ?? clearLocalSession,
      onMessage: (client, message) => void this.handleMessage(client, message),
    });
  }

  /** Launch the client. Resolves before login completes; sends fail as `unavailable` until ready. */
  async start(sink: InboundSink): Promise<void> {
    this.sink = sink;
    await this.session.start();
    this.logger.info('WhatsApp Web adapter started');
  }

  /** Close the browser. The stored login is kept for the next start. */
  async stop(): Promise<void> {
    await this.session.stop();
    this.logger.info('WhatsApp Web adapter stopped');
  }

  async send(message: OutboundMessage): Promise<SendReceipt> {
    const client = this.session.readyClient;
    if (!client) {
      // whatsapp-web.js throws a bare TypeError when used before 'ready'.
      throw new ChannelSendError(CHANNEL, 'unavailable', 'WhatsApp Web is not ready; retry once it has logged in');
    }
    const buttons = message.buttons ?? [];
    const text = buttons.length > 0 ? withNumberedButtons(message.text, buttons, message.locale) : message.text;
    const chunks = splitText(text, this.capabilities.maxTextLength);
    if (chunks.length === 0) {
      throw new ChannelSendError(CHANNEL, 'bad_request', 'message text is empty');
    }

    const platformMessageIds: string[] = [];
    for (const [index, chunk] of chunks.entries()) {
      const quoted = index === 0 ? message.replyToPlatformId : undefined;
      try {
        const sent = await client.sendMessage(message.chatId, chunk, quoted ? { quotedMessageId: quoted } : {});
        platformMessageIds.push(sent.id._serialized);
      } catch (error) {
        // NOTE: when a later chunk fails, a retry of the whole message repeats the chunks
        // that were already delivered.
        throw this.toSendError(error, platformMessageIds.length);
      }
    }
    this.offered.remember(message.chatId, buttons);
    this.logger.info({ conversationId: message.conversationId, parts: chunks.length, kind: message.kind }, 'WhatsApp message sent');
    return { platformMessageIds };
  }

  private toSendError(error: unknown, delivered: number): ChannelSendError {
    const ready = this.session.readyClient !== undefined;
    // A TypeError comes from the page scripts not being injected: the client is not usable.
    const code = !ready || error instanceof TypeError ? 'unavailable' : 'transport';
    this.logger.warn({ err: error, code, delivered }, 'sending a WhatsApp message failed');
    return new ChannelSendError(CHANNEL, code, 'WhatsApp Web failed to send the message', { cause: error });
  }

  private async handleMessage(client: WebClient, message: WebMessage): Promise<void> {
    const sink = this.sink;
    if (!sink || isIgnored(message)) return;
    try {
      const ownId = client.info?.wid?._serialized;
      if (!(await isAddressedToBot(message, ownId))) {
        this.logger.debug({ platformMessageId: message.id._serialized }, 'group message not addressed to the bot ignored');
        return;
      }
      const inbound = toInboundMessage(message, CHANNEL, ownId);
      const picked = inbound.attachments.length === 0 ? this.offered.take(inbound.chatId, inbound.text) : undefined;
      if (picked) {
        await sink.action({
          channel: CHANNEL,
          chatId: inbound.chatId,
          sender: inbound.sender,
          actionId: picked.id,
          platformMessageId: inbound.platformMessageId,
        });
        this.logger.info({ platformMessageId: inbound.platformMessageId, actionId: picked.id }, 'WhatsApp numbered reply handled as a button press');
        return;
      }
      const result = await sink.accept(inbound);
      this.logger.info({ platformMessageId: inbound.platformMessageId, status: result.status }, 'WhatsApp message accepted');
    } catch (error) {
      // WhatsApp Web does not deliver a message twice, so a failure here loses it.
      this.logger.error({ err: error, platformMessageId: message.id._serialized }, 'handling a WhatsApp message failed');
    }
  }
}
