import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Core } from '../../src/app.js';
import type { Logger } from '../../src/log.js';
import { registerStrictJson } from './body.js';
import { registerDashboard } from './dashboard/plugin.js';
import { registerFeedbackRoute } from './feedback.js';
import { registerMessageRoutes } from './routes.js';

export interface HttpServerOptions {
  core: Core;
  logger: Logger;
  replyTimeoutMs: number;
  adminToken?: string;
}

/**
 * The bot's HTTP server: the HTTP channel, health and metrics endpoints, the dashboard, and
 * the routes that webhook adapters mount.
 */
export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const { core } = options;
  const app: FastifyInstance = Fastify({
    loggerInstance: options.logger.child({ component: 'http' }) as FastifyBaseLogger,
    // One log line per handled message comes from the bus; per-request lines would repeat it.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
  });
  registerStrictJson(app);

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error, url: request.url }, 'request failed');
      return reply.code(status).send({ error: 'internal error' });
    }
    return reply.code(status).send({ error: error.message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: `no route for ${request.method} ${request.url.split('?')[0]}` }),
  );

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const database = await core.store.ping();
    const providers = Object.fromEntries(core.providers.map((p) => [p.name, core.health.snapshotOf(p.name).state]));
    // Without the database nothing can be accepted. With every LLM breaker open the rules
    // engine still answers, so the instance stays in rotation but reports itself degraded.
    const states = Object.values(providers);
    const degraded = states.length > 0 && states.every((state) => state === 'open');
    let status = 'ready';
    if (!database) status = 'not ready';
    else if (degraded) status = 'degraded';
    return reply.code(database ? 200 : 503).send({ status, checks: { database, providers } });
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', core.monitor.metrics.contentType);
    return core.monitor.metrics.metricsText();
  });

  registerMessageRoutes(app, core, { replyTimeoutMs: options.replyTimeoutMs, adminToken: options.adminToken });
  registerFeedbackRoute(app, core);
  await registerDashboard(app, { adminToken: options.adminToken, stats: core.monitor.stats });
  return app;
}
