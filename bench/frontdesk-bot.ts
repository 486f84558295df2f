/**
 * frontdesk as the benchmark runs it: the core from `createCore` with its full default
 * pipeline (SQLite store, guard, context, agent, validator, monitor) and the Telegram channel
 * in long-polling mode, composed as `src/main.ts` does but without the HTTP server. Logs go
 * at info to a real file, so their cost is part of the measurement.
 */
import pino from 'pino';
import { createChannels } from '../adapters/channels.js';
import { parseChannelConfig } from '../adapters/config.js';
import { createCore } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { requiredEnv, serveParent } from './child.js';

// Variables the scenario sets on top of the ones below, such as raised rate limits.
const scenarioEnv = JSON.parse(process.env.BENCH_CORE_ENV ?? '{}') as Record<string, string>;
const env: Record<string, string> = {
  DATABASE_URL: `file:${requiredEnv('BENCH_DB_PATH')}`,
  LOG_LEVEL: 'info',
  OPENAI_API_KEY: 'bench',
  OPENAI_BASE_URL: requiredEnv('BENCH_OPENAI_BASE_URL'),
  TELEGRAM_BOT_TOKEN: requiredEnv('BENCH_TELEGRAM_TOKEN'),
  TELEGRAM_API_ROOT: requiredEnv('BENCH_TELEGRAM_API_ROOT'),
  ...scenarioEnv,
};

const destination = pino.destination({ dest: requiredEnv('BENCH_LOG_PATH'), sync: false, mkdir: true });
const logger = createLogger(env.LOG_LEVEL!, destination);
const core = await createCore({ config: parseConfig(env), logger });
const channels = await createChannels(core, parseChannelConfig(env), undefined);
await channels.start();
await core.start();

serveParent({}, async () => {
  await channels.stop();
  await core.stop(2000);
  destination.flushSync();
});
