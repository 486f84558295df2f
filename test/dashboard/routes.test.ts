import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { registerDashboard } from '../../adapters/http/dashboard/plugin.js';
import { ADMIN_TOKEN, seededStats } from './seed.js';

let app: FastifyInstance;

async function build(adminToken: string | undefined = ADMIN_TOKEN): Promise<FastifyInstance> {
  app = Fastify();
  await registerDashboard(app, { adminToken, stats: seededStats() });
  return app;
}

afterEach(async () => {
  await app.close();
});

describe('dashboard routes', () => {
  it.each(['/dashboard', '/dashboard/data'])('rejects %s without a token', async (url) => {
    const response = await (await build()).inject({ url });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toContain('Bearer');
  });

  it.each([
    { url: '/dashboard/data', headers: { authorization: 'Bearer wrong' } },
    { url: '/dashboard/data?token=wrong' },
    { url: '/dashboard?token=wrong' },
    { url: '/dashboard/data', headers: { authorization: `Basic ${ADMIN_TOKEN}` } },
  ])('rejects a wrong token: $url', async (request) => {
    const response = await (await build()).inject(request);
    expect(response.statusCode).toBe(401);
  });

  it('rejects everything without ADMIN_TOKEN', async () => {
    const response = await (await build('')).inject({ url: '/dashboard/data', headers: { authorization: 'Bearer ' } });
    expect(response.statusCode).toBe(401);
  });

  it('serves the data as JSON', async () => {
    const response = await (await build()).inject({
      url: '/dashboard/data',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const data = response.json();

    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(data.totals.messages).toBe(42);
    expect(data.month.messagesHandled).toBe(42);
    expect(data.openHandoffs).toBe(3);
    expect(data.perMinute).toHaveLength(60);
    expect(data.fallbackActivations.secondary).toBe(5);
    expect(data.hallucinationsCaught).toBe(3);
    expect(data.abuseBlocked).toBe(2);
  });

  it('serves the page for a query token', async () => {
    const response = await (await build()).inject({ url: `/dashboard?token=${ADMIN_TOKEN}` });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.body).toContain('/dashboard/assets/chart.umd.js');
  });

  it('serves Chart.js and the page script', async () => {
    await build();
    const chart = await app.inject({ url: '/dashboard/assets/chart.umd.js' });
    const script = await app.inject({ url: '/dashboard/assets/dashboard.js' });
    const missing = await app.inject({ url: '/dashboard/assets/constructor' });

    expect(chart.statusCode).toBe(200);
    expect(chart.headers['content-type']).toContain('javascript');
    expect(chart.body).toContain('Chart');
    expect(script.body).toContain('/dashboard/data');
    expect(missing.statusCode).toBe(404);
  });
});
