import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { StatsSource } from '../../../src/monitor/stats-types.js';
import { requireAdminToken } from './auth.js';

export interface DashboardOptions {
  /** ADMIN_TOKEN. Without one every dashboard route responds with 401. */
  adminToken: string | undefined;
  stats: StatsSource;
}

const STATIC_DIR = join(import.meta.dirname, 'static');
/** The page loads only its own scripts and styles and fetches only its own data route. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:";

/** Chart.js's UMD bundle, which its package `exports` map does not list, so it is found from the main entry. */
function chartJsPath(): string {
  const main = createRequire(import.meta.url).resolve('chart.js');
  return join(dirname(main), 'chart.umd.js');
}

interface Asset {
  body: string;
  type: string;
}

function loadAssets(): Map<string, Asset> {
  const read = (path: string) => readFileSync(path, 'utf8');
  const script = 'text/javascript; charset=utf-8';
  return new Map([
    ['dashboard.js', { body: read(join(STATIC_DIR, 'dashboard.js')), type: script }],
    ['dashboard.css', { body: read(join(STATIC_DIR, 'dashboard.css')), type: 'text/css; charset=utf-8' }],
    ['chart.umd.js', { body: read(chartJsPath()), type: script }],
  ]);
}

/**
 * Add the live dashboard to a Fastify app:
 * - `GET /dashboard`: the page, for `Authorization: Bearer ADMIN_TOKEN` or `?token=ADMIN_TOKEN`
 *   (the page then sends the token from its URL as a Bearer header on every data request);
 * - `GET /dashboard/data`: the `StatsSnapshot` as JSON, with the same protection;
 * - `GET /dashboard/assets/*`: the page's script, style and Chart.js, public because they
 *   carry no data.
 */
export async function registerDashboard(app: FastifyInstance, options: DashboardOptions): Promise<void> {
  const assets = loadAssets();
  const page = readFileSync(join(STATIC_DIR, 'index.html'), 'utf8');
  const authorize = requireAdminToken(options.adminToken);

  app.get(
    '/dashboard',
    // The URL may carry the token, so the per-request info log line (which has the URL) is skipped.
    { preHandler: authorize, logLevel: 'warn' },
    async (_request, reply) => {
      reply
        .type('text/html; charset=utf-8')
        .header('Cache-Control', 'no-store')
        .header('Referrer-Policy', 'no-referrer')
        .header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      return page;
    },
  );

  app.get('/dashboard/data', { preHandler: authorize, logLevel: 'warn' }, async (_request, reply) => {
    reply.header('Cache-Control', 'no-store');
    return options.stats.snapshot();
  });

  app.get<{ Params: { name: string } }>('/dashboard/assets/:name', async (request, reply) => {
    const asset = assets.get(request.params.name);
    if (!asset) return reply.code(404).send({ error: `asset ${request.params.name} not found` });
    return reply.type(asset.type).header('Cache-Control', 'public, max-age=300').send(asset.body);
  });
}
