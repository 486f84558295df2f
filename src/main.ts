/**
 * Composition root: parses the configuration, builds the core and connects the channels.
 * It is the one module under src/ that imports adapters, because wiring them is its job.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createChannels, createSlack, slackAlertNotifier } from '../adapters/channels.js';
import { parseChannelConfig, type ChannelConfig } from '../adapters/config.js';
import { HttpChannel } from '../adapters/http/channel.js';
import { createHttpServer } from '../adapters/http/server.js';
import { createCore, isPostgresUrl } from './app.js';
import { ConfigError, parseConfig, type Config } from './config.js';
import { createLogger } from './log.js';
import { PROCESS_ROLES, type ProcessRole } from './scale/cluster.js';

function fail(message: string): never {
  process.stderr.write(`frontdesk: ${message}\n`);
  process.exit(1);
}

/** `--role all|gateway|worker`; roles other than `all` need Redis and PostgreSQL shared by every process. */
function parseRole(config: Config): ProcessRole {
  const { values } = parseArgs({ options: { role: { type: 'string', default: 'all' } }, allowPositionals: false });
  const role = values.role as ProcessRole;
  if (!PROCESS_ROLES.includes(role)) fail(`--role must be one of ${PROCESS_ROLES.join(', ')}, got "${values.role}"`);
  if (role !== 'all') {
    const missing = [];
    if (!config.REDIS_URL) missing.push('REDIS_URL (redis://HOST:PORT)');
    if (!isPostgresUrl(config.DATABASE_URL)) missing.push('DATABASE_URL=postgres://USER@HOST/DB');
    if (missing.length > 0) fail(`--role ${role} runs beside other processes and needs ${missing.join(' and ')}`);
  }
  return role;
}

function loadConfig(): { config: Config; channels: ChannelConfig } {
  const problems: string[] = [];
  let config: Config | undefined;
  let channels: ChannelConfig | undefined;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(error.message);
  }
  try {
    channels = parseChannelConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(error.message);
  }
  if (!config || !channels) {
    process.stderr.write(`frontdesk: ${problems.join('\n')}\n`);
    process.exit(1);
  }
  return { config, channels };
}

/** Listen on HOST:PORT; a port in use or an unknown host stops start-up with what to change. */
async function listen(server: Awaited<ReturnType<typeof createHttpServer>>, config: Config): Promise<string> {
  try {
    return await server.listen({ port: config.PORT, host: config.HOST });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ConfigError(`port ${config.PORT} on ${config.HOST} is already in use; set PORT to a free port`);
    if (code === 'ENOTFOUND' || code === 'EADDRNOTAVAIL') throw new ConfigError(`HOST ${config.HOST} is not an address of this machine; set HOST, such as 127.0.0.1`);
    throw error;
  }
}

async function main(): Promise<void> {
  // A .env file in the working directory is read first; variables already set take precedence.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const { config, channels } = loadConfig();
  const role = parseRole(config);
  const logger = createLogger(config.LOG_LEVEL).child({ role });
  const slack = createSlack(channels, logger);
  const alertChannel = config.ALERT_SLACK_CHANNEL ?? channels.SLACK_STAFF_CHANNEL;
  const core = await createCore({
    config,
    logger,
    staffConsole: slack?.console,
    alertNotifier: slack && alertChannel ? slackAlertNotifier(slack, alertChannel, logger) : undefined,
    role,
  });
  core.addAdapter(new HttpChannel());
  const connected = await createChannels(core, channels, slack);

  // A worker serves no HTTP: its replies to HTTP callers travel through the gateways.
  const server =
    role === 'worker'
      ? undefined
      : await createHttpServer({ core, logger, replyTimeoutMs: config.HTTP_REPLY_TIMEOUT_MS, adminToken: config.ADMIN_TOKEN });
  if (server) await connected.mount(server);
  const address = server ? await listen(server, config) : undefined;
  await connected.start();
  await core.start();
  logger.info(
    { address, channels: [...core.adapters.keys()], staffConsole: Boolean(slack), providers: core.providers.map((p) => p.name) },
    role === 'worker' ? 'frontdesk worker is running' : 'frontdesk is listening',
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    try {
      await server?.close();
      await connected.stop();
      await core.stop(config.SHUTDOWN_GRACE_MS);
      logger.info('stopped');
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed; exiting anyway');
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  let detail = String(error);
  if (error instanceof Error) detail = error.stack ?? error.message;
  if (error instanceof ConfigError) detail = error.message;
  process.stderr.write(`frontdesk: start-up failed: ${detail}\n`);
  process.exit(1);
});
