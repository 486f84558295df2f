import { EventEmitter } from 'node:events';
import type { WebClient, WebClientSettings, WebMessage } from '../../adapters/whatsapp/web/client.js';

export const BOT_USER = '15550001111';
export const BOT_WID = `${BOT_USER}@c.us`;

/** Fields of a fake incoming message; everything else gets realistic defaults. */
export interface FakeMessageInit {
  from?: string;
  body?: string;
  type?: string;
  /** Sender inside a group. */
  author?: string;
  fromMe?: boolean;
  notifyName?: string;
  mentionedIds?: string[];
  quoted?: WebMessage;
  mimetype?: string;
  filename?: string;
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  vCards?: readonly string[];
  duration?: string;
  timestamp?: number;
}

let sequence = 0;

/** Build a message shaped like whatsapp-web.js's `Message`, including `id._serialized`. */
export function fakeMessage(init: FakeMessageInit = {}): WebMessage {
  sequence += 1;
  const fromMe = init.fromMe ?? false;
  const from = init.from ?? '5511987654321@c.us';
  const type = init.type ?? 'chat';
  const key = `3EB0${String(sequence).padStart(16, '0')}`;
  const serialized = [String(fromMe), from, key, ...(init.author ? [init.author] : [])].join('_');
  const media = ['image', 'video', 'audio', 'ptt', 'document', 'sticker'].includes(type);
  return {
    id: { fromMe, remote: from, id: key, _serialized: serialized },
    body: init.body ?? '',
    type,
    timestamp: init.timestamp ?? 1_767_225_600,
    from: fromMe ? BOT_WID : from,
    to: fromMe ? from : BOT_WID,
    author: init.author,
    fromMe,
    isStatus: from === 'status@broadcast',
    broadcast: from === 'status@broadcast',
    hasMedia: media,
    hasQuotedMsg: init.quoted !== undefined,
    mentionedIds: init.mentionedIds ?? [],
    location: init.location,
    vCards: [...(init.vCards ?? [])],
    duration: init.duration,
    _data: { notifyName: init.notifyName ?? 'Maria', mimetype: init.mimetype, filename: init.filename },
    getQuotedMessage: async () => init.quoted,
  };
}

export interface SentMessage {
  chatId: string;
  content: string;
  options?: { quotedMessageId?: string };
}

/**
 * Stand-in for whatsapp-web.js's `Client`: the same events and methods, driven by the test.
 * Like the real client it throws a bare TypeError when asked to send before 'ready'.
 */
export class FakeWhatsAppClient extends EventEmitter implements WebClient {
  info = { wid: { _serialized: BOT_WID, user: BOT_USER, server: 'c.us' }, pushname: 'Support Bot' };
  readonly sent: SentMessage[] = [];
  readonly pairingRequests: string[] = [];
  initializeCalls = 0;
  destroyed = false;
  initializeError: Error | undefined;
  sendError: Error | undefined;
  pairingError: Error | undefined;
  pairingCode = 'K7QW2MZP';
  private isReady = false;

  constructor(readonly settings?: WebClientSettings) {
    super();
  }

  async initialize(): Promise<void> {
    this.initializeCalls += 1;
    if (this.initializeError) throw this.initializeError;
  }

  async sendMessage(chatId: string, content: string, options?: { quotedMessageId?: string }) {
    if (!this.isReady) throw new TypeError("Cannot read properties of undefined (reading 'getChat')");
    if (this.sendError) throw this.sendError;
    this.sent.push({ chatId, content, options });
    return fakeMessage({ from: chatId, body: content, fromMe: true });
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    this.pairingRequests.push(phoneNumber);
    if (this.pairingError) throw this.pairingError;
    // The real client emits 'code' and also returns the code.
    this.emit('code', this.pairingCode);
    return this.pairingCode;
  }

  async getState(): Promise<string | null> {
    return this.isReady ? 'CONNECTED' : null;
  }

  async logout(): Promise<void> {
    this.isReady = false;
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    this.isReady = false;
  }

  /** Emit a login QR code, as the client does while no session is linked. */
  emitQr(qr = '2@fakeQrReference,fakeNoiseKey,fakeIdentityKey,fakeAdvSecret,1'): void {
    this.emit('qr', qr);
  }

  becomeReady(): void {
    this.isReady = true;
    this.emit('authenticated');
    this.emit('ready');
  }

  disconnect(reason: string): void {
    this.isReady = false;
    this.emit('disconnected', reason);
  }

  /** Deliver a message: 'message_create' always, 'message' only for others' messages. */
  receive(message: WebMessage): void {
    this.emit('message_create', message);
    if (!message.fromMe) this.emit('message', message);
  }
}

/** Create a client factory that records every fake it creates; `prepare` can script each one. */
export function fakeClientFactory(prepare?: (client: FakeWhatsAppClient, index: number) => void) {
  const clients: FakeWhatsAppClient[] = [];
  const factory = (settings: WebClientSettings) => {
    const client = new FakeWhatsAppClient(settings);
    prepare?.(client, clients.length);
    clients.push(client);
    return client;
  };
  return { factory, clients };
}
