/**
 * Helpers for the end-to-end suites: the whole app wired as `src/main.ts` wires it (channels,
 * Slack console, HTTP server), environment for the fake LLM, and request-log reads.
 */
import { join } from 'node:path';
import { asc } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { createChannels, createSlack, type Channels } from '../../adapters/channels.js';
import { parseChannelConfig } from '../../adapters/config.js';
import { HttpChannel } from '../../adapters/http/channel.js';
import { createHttpServer } from '../../adapters/http/server.js';
import { createCore, type Core, type CoreOptions } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { requestLog } from '../../src/store/schema.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { FakeLlm } from '../fakes/llm-server.js';
import { tempDir } from './core.js';

/** Environment that points both LLM providers at one fake server, with quick retries. */
export function fakeLlmEnv(fake: FakeLlm, providers: Array<'openai' | 'anthropic'> = ['openai', 'anthropic']): Record<string, string> {
  const env: Record<string, string> = {
    LLM_RETRY_BASE_DELAY_MS: '5',
    LLM_RETRY_MAX_DELAY_MS: '20',
    LLM_TIMEOUT_MS: '5000',
  };
  if (providers.includes('openai')) Object.assign(env, { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.openaiBaseUrl });
  if (providers.includes('anthropic')) Object.assign(env, { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: fake.anthropicBaseUrl });
  return env;
}

export interface AppServer {
  core: Core;
  app: FastifyInstance;
  channels: Channels;
  url: string;
  close(): Promise<void>;
}

/**
 * Start the app as `src/main.ts` does, on a fresh SQLite file and 127.0.0.1 with a random
 * port: the Slack console when SLACK_* is set, the other configured channels, and HTTP.
 */
export async function startAppServer(env: Record<string, string>, options: Omit<CoreOptions, 'config' | 'staffConsole'> = {}): Promise<AppServer> {
  const dir = tempDir('frontdesk-e2e-');
  const fullEnv = { LOG_LEVEL: 'silent', DATABASE_URL: `file:${join(dir.path, 'e2e.db')}`, ...env };
  const config = parseConfig(fullEnv);
  const channelConfig = parseChannelConfig(fullEnv);
  const slack = createSlack(channelConfig, options.logger ?? silentLogger);
  const core = await createCore({ config, ...options, staffConsole: slack?.console });
  core.addAdapter(new HttpChannel());
  const channels = await createChannels(core, channelConfig, slack);
  const app = await createHttpServer({ core, logger: core.logger, replyTimeoutMs: config.HTTP_REPLY_TIMEOUT_MS, adminToken: config.ADMIN_TOKEN });
  await channels.mount(app);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  await channels.start();
  await core.start();
  return {
    core,
    app,
    channels,
    url,
    async close() {
      await app.close();
      await channels.stop();
      await core.stop(2000);
      dir.cleanup();
    },
  };
}

/** One request-log row as stored, with `validatorReasons` decoded. */
export type RequestLogRow = Omit<typeof requestLog.$inferSelect, 'validatorReasons'> & { validatorReasons: string[] | null };

/** Every request-log row of the core's SQLite database, oldest first. */
export function requestLogRows(core: Core): RequestLogRow[] {
  if (!(core.store instanceof SqliteStore)) throw new Error('requestLogRows needs the SQLite store');
  const rows = core.store.db.select().from(requestLog).orderBy(asc(requestLog.id)).all();
  return rows.map((row) => ({ ...row, validatorReasons: row.validatorReasons ? (JSON.parse(row.validatorReasons) as string[]) : null }));
}

/** Poll `condition` every 10 ms until it returns true; throw with `what` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A message of `GET /api/conversations/:id/messages`. */
export interface ListedMessage {
  id: number;
  direction: 'in' | 'out';
  author: string;
  kind: string;
  text: string;
  state: string;
}

/** The conversation as `GET /api/conversations/:id/messages` lists it. */
export async function listMessages(url: string, conversationId: string): Promise<{ state: string; messages: ListedMessage[] }> {
  const response = await fetch(`${url}/api/conversations/${encodeURIComponent(conversationId)}/messages?limit=1000`);
  if (response.status !== 200) throw new Error(`listing ${conversationId} failed with HTTP ${response.status}`);
  return (await response.json()) as { state: string; messages: ListedMessage[] };
}
