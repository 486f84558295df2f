import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { HttpChannel } from '../../adapters/http/channel.js';
import { createHttpServer } from '../../adapters/http/server.js';
import { createCore, type Core, type CoreOptions } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';

/** A temporary folder removed by `cleanup()`. */
export function tempDir(prefix = 'frontdesk-test-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TestServer {
  core: Core;
  app: FastifyInstance;
  url: string;
  dbUrl: string;
  close(): Promise<void>;
}

/**
 * Start the real core on a fresh SQLite file with the real migrations, and the HTTP server
 * on 127.0.0.1 with a random port.
 */
export async function startTestServer(
  env: Record<string, string> = {},
  options: Omit<CoreOptions, 'config'> = {},
): Promise<TestServer> {
  const dir = tempDir();
  const dbUrl = `file:${join(dir.path, 'test.db')}`;
  const config = parseConfig({ LOG_LEVEL: 'silent', DATABASE_URL: dbUrl, ...env });
  const core = await createCore({ config, ...options });
  core.addAdapter(new HttpChannel());
  const app = await createHttpServer({
    core,
    logger: core.logger,
    replyTimeoutMs: config.HTTP_REPLY_TIMEOUT_MS,
    adminToken: config.ADMIN_TOKEN,
  });
  await core.start();
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    core,
    app,
    url,
    dbUrl,
    async close() {
      await app.close();
      await core.stop(2000);
      dir.cleanup();
    },
  };
}

/** POST a JSON body (or a raw string or buffer) to the server. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: payload as BodyInit,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
