import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDashboard } from '../../adapters/http/dashboard/plugin.js';
import { ADMIN_TOKEN, seededStats } from './seed.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`dashboard browser test skipped: ${CHROMIUM} not found (install the Debian package chromium)`);
}

describe.skipIf(!hasChromium)('dashboard in Chromium', () => {
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    app = Fastify();
    await registerDashboard(app, { adminToken: ADMIN_TOKEN, stats: seededStats() });
    await app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('renders charts and monthly totals', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });

    await page.goto(`${baseUrl}/dashboard?token=${ADMIN_TOKEN}`);
    const handled = page.locator('[data-report="messagesHandled"]');
    await expect.poll(() => handled.textContent(), { timeout: 10_000 }).toBe('42');

    expect(await page.locator('canvas').count()).toBe(5);
    // Chart.js sizes each canvas it draws on; an unused canvas keeps the default 300x150.
    const widths = await page.locator('canvas').evaluateAll((canvases) =>
      canvases.map((canvas) => (canvas as HTMLCanvasElement).getBoundingClientRect().width),
    );
    for (const width of widths) expect(width).toBeGreaterThan(0);
    expect(await page.evaluate(() => Object.keys((window as unknown as { Chart: { instances: object } }).Chart.instances).length)).toBe(5);

    expect(await page.locator('[data-report="hallucinationsCaught"]').textContent()).toBe('3');
    expect(await page.locator('[data-report="abuseBlocked"]').textContent()).toBe('2');
    expect(await page.locator('[data-report="fallbackActivations"]').textContent()).toBe('5');
    expect(await page.locator('[data-report="totalCostUsd"]').textContent()).toBe('$0.04');
    expect(await page.locator('[data-field="openHandoffs"]').textContent()).toBe('3');
    expect(await page.locator('#status').textContent()).toMatch(/^Updated /);
    expect(pageErrors).toEqual([]);

    await page.screenshot({ path: '/tmp/frontdesk-dashboard.png', fullPage: true });
    await page.close();
  });

  it('shows 401 for a wrong token', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${baseUrl}/dashboard?token=wrong`);
    expect(response?.status()).toBe(401);
    await page.close();
  });
});
