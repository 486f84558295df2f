import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

/** The parts of a whatsapp-web.js `Message` the adapter reads. */
export interface WebMessage {
  id: { fromMe: boolean; remote: string; id: string; _serialized: string };
  /** Text, or the caption of a media message. For a `vcard` it is the vCard itself. */
  body: string;
  /** Library message type: `chat`, `image`, `ptt`, `vcard`, ... */
  type: string;
  /** Unix time in seconds. */
  timestamp: number;
  /** Chat id: `<number>@c.us` for a person, `<id>@g.us` for a group, `status@broadcast`. */
  from: string;
  to: string;
  /** Sender inside a group chat. */
  author?: string;
  fromMe: boolean;
  isStatus: boolean;
  broadcast?: boolean;
  hasMedia: boolean;
  hasQuotedMsg: boolean;
  mentionedIds: string[];
  location?: { latitude: number | string; longitude: number | string; name?: string; address?: string };
  vCards: string[];
  duration?: string | number;
  _data?: { notifyName?: string; mimetype?: string; filename?: string; size?: number };
  getQuotedMessage(): Promise<WebMessage | undefined>;
}

/** The parts of a whatsapp-web.js `Client` the adapter uses; a fake implements the same. */
export interface WebClient {
  info?: { wid?: { _serialized: string; user: string }; pushname?: string };
  on(event: string, listener: (...args: any[]) => void): unknown;
  removeAllListeners(event?: string): unknown;
  initialize(): Promise<void>;
  sendMessage(
    chatId: string,
    content: string,
    options?: { quotedMessageId?: string; linkPreview?: boolean },
  ): Promise<{ id: { _serialized: string } }>;
  requestPairingCode(phoneNumber: string, showNotification?: boolean): Promise<string>;
  getState(): Promise<string | null>;
  logout(): Promise<void>;
  destroy(): Promise<void>;
}

/** Settings the default factory builds a real client from. */
export interface WebClientSettings {
  /** LocalAuth data directory. */
  sessionDir: string;
  /** LocalAuth client id; separates several sessions in one directory. */
  clientId?: string;
  /** Chromium binary; undefined lets puppeteer look for one. */
  executablePath?: string;
}

export type WebClientFactory = (settings: WebClientSettings) => WebClient | Promise<WebClient>;

/** Debian's Chromium, used when it is installed and no path is configured. */
export function defaultChromiumPath(): string | undefined {
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

/**
 * Build a real whatsapp-web.js client with LocalAuth and headless Chromium. The library is
 * loaded on first use, so processes that never run WhatsApp Web do not load puppeteer.
 */
export const createWebClient: WebClientFactory = async (settings) => {
  const { default: wweb } = await import('whatsapp-web.js');
  const client = new wweb.Client({
    authStrategy: new wweb.LocalAuth({ dataPath: settings.sessionDir, clientId: settings.clientId }),
    puppeteer: {
      headless: true,
      executablePath: settings.executablePath,
      // Chromium's sandbox needs user namespaces that containers usually lack; /dev/shm is
      // often only 64 MB there, which crashes tabs.
      args: ['--no-sandbox', '--disable-setuid-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    },
  });
  return client as unknown as WebClient;
};

/** Delete the LocalAuth session folder so the next start requires a new QR login. */
export async function clearLocalSession(settings: WebClientSettings): Promise<void> {
  // LocalAuth stores a session in `<dataPath>/session` or `<dataPath>/session-<clientId>`.
  const folder = settings.clientId ? `session-${settings.clientId}` : 'session';
  await rm(join(settings.sessionDir, folder), { recursive: true, force: true });
}
