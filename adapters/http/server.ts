import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Core } from '../../src/app.js';
import type { Logger } from '../../src/log.js';
import { registerStrictJson } from './body.js';
import { registerMessageRoutes } from './routes.js';

export interface HttpServerOptions {
  core: Core;
  logger: Logger;
  replyTimeoutMs: number;
  adminToken?: string;
  /** Extra readiness checks, such as provider breakers; each returns true when ready. */
  readinessChecks?: Record<string, () => boolean | Promise<boolean>>;
}

/** The bot's HTTP server: the HTTP channel, health endpoints, and the routes adapters mount. */
export function createHttpServer(options: HttpServerOptions): FastifyInstance {
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
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no route for ${request.method} ${request.url.split('?')[0]}` }));

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const checks: Record<string, boolean> = { database: await core.store.ping() };
    for (const [name, check] of Object.entries(options.readinessChecks ?? {})) checks[name] = await check();
    const ready = Object.values(checks).every(Boolean);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  });

  registerMessageRoutes(app, core, { replyTimeoutMs: options.replyTimeoutMs, adminToken: options.adminToken });
  return app;
}
