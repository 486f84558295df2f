import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WhatsAppWebAdapter, type WhatsAppWebAdapterOptions } from '../../adapters/whatsapp/web/adapter.js';
import { clearLocalSession, createWebClient } from '../../adapters/whatsapp/web/client.js';
import type { WhatsAppAlert } from '../../adapters/whatsapp/web/session.js';
import { fakeClientFactory, type FakeWhatsAppClient } from '../fakes/whatsapp-client.js';
import { LEVEL, RecordingSink, captureLogs, flush } from './helpers.js';

let adapter: WhatsAppWebAdapter | undefined;

afterEach(async () => {
  await adapter?.stop();
  adapter = undefined;
});

/** Start an adapter whose sleeps are recorded and return at once. */
async function startSession(options: WhatsAppWebAdapterOptions = {}, prepare?: (client: FakeWhatsAppClient, index: number) => void) {
  const { factory, clients } = fakeClientFactory(prepare);
  const delays: number[] = [];
  const alerts: WhatsAppAlert[] = [];
  const cleared: string[] = [];
  const qrs: string[] = [];
  const codes: string[] = [];
  const { logger, lines } = captureLogs();
  adapter = new WhatsAppWebAdapter({
    createClient: factory,
    sessionDir: '/tmp/frontdesk-test-session',
    executablePath: '/opt/chromium/chrome',
    reconnect: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 250 },
    sleep: async (ms) => void delays.push(ms),
    onAlert: (alert) => void alerts.push(alert),
    clearSession: async (settings) => void cleared.push(settings.sessionDir),
    showQr: (qr) => void qrs.push(qr),
    showPairingCode: (code) => void codes.push(code),
    logger,
    ...options,
  });
  await adapter.start(new RecordingSink());
  return { adapter, clients, delays, alerts, cleared, qrs, codes, lines };
}

describe('WhatsApp Web login', () => {
  it('passes session settings to the factory', async () => {
    const { clients } = await startSession();
    expect(clients).toHaveLength(1);
    expect(clients[0]!.settings).toEqual({ sessionDir: '/tmp/frontdesk-test-session', clientId: undefined, executablePath: '/opt/chromium/chrome' });
    expect(clients[0]!.initializeCalls).toBe(1);
  });

  it('shows the QR code on every qr event', async () => {
    const { clients, qrs } = await startSession();
    clients[0]!.emitQr('qr-one');
    clients[0]!.emitQr('qr-two');
    expect(qrs).toEqual(['qr-one', 'qr-two']);
  });

  it('requests a pairing code after the first QR', async () => {
    const { clients, qrs, codes } = await startSession({ pairingPhone: '5511999990000' });
    const client = clients[0]!;
    client.emitQr();
    client.emitQr();
    await flush();
    expect(client.pairingRequests).toEqual(['5511999990000']);
    expect(codes).toEqual(['K7QW2MZP']);
    expect(qrs).toEqual([]);

    // The library refreshes the code every few minutes through the 'code' event.
    client.emit('code', 'R2D2C3PO');
    expect(codes).toEqual(['K7QW2MZP', 'R2D2C3PO']);
  });

  it('falls back to the QR code when pairing fails', async () => {
    const { clients, qrs, lines } = await startSession({ pairingPhone: '5511999990000' }, (client) => {
      client.pairingError = new Error('rate-overlimit');
    });
    clients[0]!.emitQr('qr-one');
    await flush();
    expect(qrs).toEqual(['qr-one']);
    expect(lines.some((line) => line.level === LEVEL.error && line.msg.includes('pairing code failed'))).toBe(true);
  });
});

describe('WhatsApp Web disconnects', () => {
  it('reconnects after a transient disconnect', async () => {
    const { clients, delays, alerts, lines } = await startSession();
    clients[0]!.becomeReady();
    clients[0]!.disconnect('NAVIGATION');
    await vi.waitFor(() => expect(clients).toHaveLength(2));

    expect(delays).toEqual([100]);
    expect(clients[0]!.destroyed).toBe(true);
    expect(clients[1]!.initializeCalls).toBe(1);
    expect(alerts).toEqual([]);
    expect(lines.some((line) => line.level === LEVEL.warn && line.msg === 'reconnecting WhatsApp Web' && line.attempt === 1)).toBe(true);
  });

  it('gives up after the bounded attempts and alerts', async () => {
    const { clients, delays, alerts, lines } = await startSession({}, (client, index) => {
      if (index > 0) client.initializeError = new Error('Failed to launch the browser process');
    });
    clients[0]!.disconnect('TIMEOUT');
    await vi.waitFor(() => expect(alerts).toHaveLength(1));
    await flush();

    expect(delays).toEqual([100, 200, 250]);
    expect(clients).toHaveLength(4);
    expect(alerts[0]).toMatchObject({ code: 'reconnect_exhausted', reason: 'TIMEOUT' });
    const attempts = lines.filter((line) => line.msg === 'reconnecting WhatsApp Web').map((line) => line.attempt);
    expect(attempts).toEqual([1, 2, 3]);
    expect(lines.some((line) => line.level === LEVEL.error && line.msg.includes('attempts exhausted'))).toBe(true);
  });

  it('counts attempts across repeated disconnects until ready', async () => {
    const { clients, delays, alerts } = await startSession();
    clients[0]!.disconnect('CONFLICT');
    await vi.waitFor(() => expect(clients).toHaveLength(2));
    clients[1]!.disconnect('CONFLICT');
    await vi.waitFor(() => expect(clients).toHaveLength(3));
    clients[2]!.becomeReady();
    clients[2]!.disconnect('CONFLICT');
    await vi.waitFor(() => expect(clients).toHaveLength(4));

    // The ready client reset the count, so the third disconnect starts again at the base delay.
    expect(delays).toEqual([100, 200, 100]);
    expect(alerts).toEqual([]);
  });

  for (const reason of ['LOGOUT', 'UNPAIRED']) {
    it(`starts a new login after ${reason}`, async () => {
      const { clients, delays, alerts, cleared, lines } = await startSession();
      clients[0]!.becomeReady();
      clients[0]!.disconnect(reason);
      await vi.waitFor(() => expect(clients).toHaveLength(2));

      expect(alerts).toEqual([expect.objectContaining({ code: 'logged_out', reason })]);
      expect(cleared).toEqual(['/tmp/frontdesk-test-session']);
      expect(delays).toEqual([]);
      expect(clients[0]!.destroyed).toBe(true);
      expect(clients[1]!.initializeCalls).toBe(1);
      expect(lines.some((line) => line.level === LEVEL.error && line.reason === reason)).toBe(true);
    });
  }

  it('alerts and clears the session on auth failure', async () => {
    const { clients, alerts, cleared } = await startSession();
    clients[0]!.emit('auth_failure', 'Unable to restore the session');
    await vi.waitFor(() => expect(clients).toHaveLength(2));
    expect(alerts).toEqual([expect.objectContaining({ code: 'auth_failure', reason: 'Unable to restore the session' })]);
    expect(cleared).toHaveLength(1);
  });

  it('ignores disconnects after stop', async () => {
    const { adapter, clients, delays } = await startSession();
    const client = clients[0]!;
    await adapter.stop();
    client.disconnect('NAVIGATION');
    await flush();
    expect(client.destroyed).toBe(true);
    expect(clients).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('retries a failed first launch in the background', async () => {
    const { clients, delays } = await startSession({}, (client, index) => {
      if (index === 0) client.initializeError = new Error('Failed to launch the browser process');
    });
    await vi.waitFor(() => expect(clients).toHaveLength(2));
    expect(delays).toEqual([100]);
  });
});

describe('WhatsApp Web client factory', () => {
  it('builds a real client without a browser', async () => {
    const client = await createWebClient({ sessionDir: '/tmp/frontdesk-test-session', executablePath: '/usr/bin/chromium' });
    const options = (client as unknown as { options: { puppeteer: { headless: boolean; executablePath: string; args: string[] } } }).options;
    expect(options.puppeteer.headless).toBe(true);
    expect(options.puppeteer.executablePath).toBe('/usr/bin/chromium');
    expect(options.puppeteer.args).toContain('--no-sandbox');
  });

  it('clears only the LocalAuth session folder', async () => {
    const root = await mkdtemp(join(tmpdir(), 'frontdesk-wa-'));
    try {
      await mkdir(join(root, 'session-support', 'Default'), { recursive: true });
      await writeFile(join(root, 'keep.txt'), 'x');
      await clearLocalSession({ sessionDir: root, clientId: 'support' });
      expect(existsSync(join(root, 'session-support'))).toBe(false);
      expect(existsSync(join(root, 'keep.txt'))).toBe(true);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
