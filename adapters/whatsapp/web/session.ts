import qrcodeTerminal from 'qrcode-terminal';
import type { Logger } from '../../../src/log.js';
import { backoffDelay, type Sleep } from '../backoff.js';
import type { WebClient, WebClientFactory, WebClientSettings, WebMessage } from './client.js';

/** Something an operator must act on; WhatsApp Web cannot fix these by itself. */
export interface WhatsAppAlert {
  code: 'logged_out' | 'auth_failure' | 'reconnect_exhausted';
  message: string;
  /** Disconnect reason or failure payload reported by whatsapp-web.js. */
  reason?: string;
}

export interface ReconnectPolicy {
  /** Attempts after a transient disconnect before giving up and alerting. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface WebSessionOptions {
  createClient: WebClientFactory;
  settings: WebClientSettings;
  pairingPhone?: string;
  reconnect: ReconnectPolicy;
  logger: Logger;
  sleep: Sleep;
  onAlert: (alert: WhatsAppAlert) => void;
  showQr: (qr: string) => void;
  showPairingCode: (code: string) => void;
  clearSession: (settings: WebClientSettings) => Promise<void>;
  onMessage: (client: WebClient, message: WebMessage) => void;
}

/** Disconnect reasons that mean the linked device was removed, so reconnecting cannot help. */
const LOGGED_OUT_REASONS = new Set(['LOGOUT', 'UNPAIRED']);

/** Print a QR code for the operator to scan in WhatsApp > Linked devices. */
export function printQrCode(qr: string): void {
  qrcodeTerminal.generate(qr, { small: true }, (art) => {
    process.stdout.write(`Scan this QR code in WhatsApp > Linked devices:\n${art}\n`);
  });
}

export function printPairingCode(code: string): void {
  process.stdout.write(`WhatsApp pairing code: ${code} (WhatsApp > Linked devices > Link with phone number)\n`);
}

/**
 * Owns the whatsapp-web.js client: login by QR or pairing code, readiness, and recovery.
 * A logout on the phone clears the session and starts a new login. Any other disconnect is
 * retried with exponential backoff for a bounded number of attempts, then raises an alert.
 */
export class WebSession {
  private client: WebClient | undefined;
  private ready = false;
  private stopped = false;
  private reconnecting = false;
  /** Set when a disconnect arrives while a reconnect attempt is still initializing. */
  private disconnectedDuringReconnect = false;
  /** Failed attempts since the client was last ready; bounds every retry path. */
  private attempts = 0;
  private pairingState: 'none' | 'requested' | 'failed' = 'none';
  private lastPairingCode: string | undefined;

  constructor(private readonly options: WebSessionOptions) {}

  /** The client, only once it is ready to send. */
  get readyClient(): WebClient | undefined {
    return this.ready ? this.client : undefined;
  }

  /** Start the first client; a failed launch is retried in the background. */
  async start(): Promise<void> {
    this.stopped = false;
    if (!(await this.connect())) void this.reconnect('initialize_failed');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.dispose();
  }

  /** Create a fresh client and initialize it; returns false when either step failed. */
  private async connect(): Promise<boolean> {
    await this.dispose();
    this.pairingState = 'none';
    let client: WebClient;
    try {
      client = await this.options.createClient(this.options.settings);
    } catch (error) {
      this.options.logger.error({ err: error }, 'creating the WhatsApp Web client failed');
      return false;
    }
    this.client = client;
    this.listen(client);
    try {
      await client.initialize();
      return true;
    } catch (error) {
      this.options.logger.error({ err: error }, 'initializing WhatsApp Web failed');
      if (this.client === client) await this.dispose();
      return false;
    }
  }

  private listen(client: WebClient): void {
    // Events of a client that was replaced are stale and must not touch the current state.
    const current = (handler: (...args: any[]) => void) =>
      (...args: any[]) => {
        if (client === this.client) handler(...args);
      };
    client.on('qr', current((qr: string) => this.handleQr(client, qr)));
    client.on('code', current((code: string) => this.showPairingCode(code)));
    client.on('authenticated', current(() => this.options.logger.info('WhatsApp Web authenticated')));
    client.on('auth_failure', current((reason: unknown) => void this.handleAuthFailure(reason)));
    client.on('ready', current(() => this.handleReady(client)));
    client.on('change_state', current((state: string) => this.options.logger.debug({ state }, 'WhatsApp Web state changed')));
    client.on('disconnected', current((reason: string) => void this.handleDisconnect(String(reason))));
    client.on('message', current((message: WebMessage) => this.options.onMessage(client, message)));
  }

  private handleReady(client: WebClient): void {
    this.ready = true;
    this.attempts = 0;
    this.options.logger.info({ wid: client.info?.wid?._serialized }, 'WhatsApp Web ready');
  }

  private handleQr(client: WebClient, qr: string): void {
    const phone = this.options.pairingPhone;
    if (phone && this.pairingState === 'none') {
      // The pairing code can only be requested once the login page exists, which the first
      // QR event signals.
      this.pairingState = 'requested';
      client.requestPairingCode(phone).then(
        (code) => this.showPairingCode(code),
        (error: unknown) => {
          this.pairingState = 'failed';
          this.options.logger.error({ err: error }, 'requesting a WhatsApp pairing code failed; showing the QR code instead');
          this.options.showQr(qr);
        },
      );
      return;
    }
    if (this.pairingState === 'requested') return;
    this.options.logger.info('WhatsApp Web needs a login; QR code printed to the terminal');
    this.options.showQr(qr);
  }

  private showPairingCode(code: string): void {
    // The library returns the code and also emits it as an event; print each code once.
    if (code === this.lastPairingCode) return;
    this.lastPairingCode = code;
    this.options.logger.info('WhatsApp pairing code printed to the terminal');
    this.options.showPairingCode(code);
  }

  private async handleDisconnect(reason: string): Promise<void> {
    this.ready = false;
    if (this.stopped) return;
    if (LOGGED_OUT_REASONS.has(reason)) {
      await this.handleLoggedOut(reason);
      return;
    }
    this.options.logger.warn({ reason }, 'WhatsApp Web disconnected');
    await this.reconnect(reason);
  }

  private async handleLoggedOut(reason: string): Promise<void> {
    this.options.logger.error({ reason }, 'WhatsApp Web was logged out on the phone; a new login is needed');
    this.alert({ code: 'logged_out', reason, message: 'WhatsApp Web was logged out on the phone; scan the new QR code to link it again' });
    await this.dispose();
    await this.clearSession();
    if (this.stopped) return;
    if (!(await this.connect())) await this.reconnect('initialize_failed');
  }

  private async handleAuthFailure(reason: unknown): Promise<void> {
    this.ready = false;
    this.options.logger.error({ reason: String(reason) }, 'WhatsApp Web could not restore its session');
    this.alert({ code: 'auth_failure', reason: String(reason), message: 'WhatsApp Web could not restore its session; a new QR login is needed' });
    // The library destroys the client after this event, so start over without the session.
    await this.dispose();
    await this.clearSession();
    await this.reconnect('auth_failure');
  }

  /** Retry with backoff until a client initializes or the attempts run out. */
  private async reconnect(reason: string): Promise<void> {
    if (this.stopped) return;
    if (this.reconnecting) {
      this.disconnectedDuringReconnect = true;
      return;
    }
    this.reconnecting = true;
    try {
      const { maxAttempts, baseDelayMs, maxDelayMs } = this.options.reconnect;
      while (this.attempts < maxAttempts) {
        this.attempts += 1;
        const delayMs = backoffDelay(this.attempts, baseDelayMs, maxDelayMs);
        this.options.logger.warn({ reason, attempt: this.attempts, maxAttempts, delayMs }, 'reconnecting WhatsApp Web');
        await this.options.sleep(delayMs);
        if (this.stopped) return;
        this.disconnectedDuringReconnect = false;
        const connected = await this.connect();
        if (connected && !this.disconnectedDuringReconnect) return;
      }
      this.options.logger.error({ reason, attempts: this.attempts }, 'WhatsApp Web reconnect attempts exhausted; the channel is down');
      this.alert({ code: 'reconnect_exhausted', reason, message: `WhatsApp Web failed to reconnect after ${this.attempts} attempts; restart the service` });
    } finally {
      this.reconnecting = false;
    }
  }

  private alert(alert: WhatsAppAlert): void {
    try {
      this.options.onAlert(alert);
    } catch (error) {
      this.options.logger.error({ err: error, alert: alert.code }, 'WhatsApp alert callback failed');
    }
  }

  private async clearSession(): Promise<void> {
    try {
      await this.options.clearSession(this.options.settings);
    } catch (error) {
      this.options.logger.error({ err: error }, 'clearing the WhatsApp Web session failed');
    }
  }

  private async dispose(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.ready = false;
    if (!client) return;
    client.removeAllListeners();
    try {
      await client.destroy();
    } catch (error) {
      // The library may already have closed the browser after a disconnect.
      this.options.logger.debug({ err: error }, 'destroying the WhatsApp Web client failed');
    }
  }
}
