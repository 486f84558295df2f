/**
 * Composition root: parses the configuration, builds the core and connects the channels.
 * It is the one module under src/ that imports adapters, because wiring them is its job.
 */
import { existsSync } from 'node:fs';
import { createChannels, createSlack, slackAlertNotifier } from '../adapters/channels.js';
import { parseChannelConfig, type ChannelConfig } from '../adapters/config.js';
import { HttpChannel } from '../adapters/http/channel.js';
import { createHttpServer } from '../adapters/http/server.js';
import { createCore } from './app.js';
import { ConfigError, parseConfig, type Config } from './config.js';
import { createLogger } from './log.js';

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
  const logger = createLogger(config.LOG_LEVEL);
  const slack = createSlack(channels, logger);
  const alertChannel = config.ALERT_SLACK_CHANNEL ?? channels.SLACK_STAFF_CHANNEL;
  const core = await createCore({
    config,
    logger,
    staffConsole: slack?.console,
    alertNotifier: slack && alertChannel ? slackAlertNotifier(slack, alertChannel, logger) : undefined,
  });
  core.addAdapter(new HttpChannel());
  const connected = await createChannels(core, channels, slack);

  const server = await createHttpServer({ core, logger, replyTimeoutMs: config.HTTP_REPLY_TIMEOUT_MS, adminToken: config.ADMIN_TOKEN });
  await connected.mount(server);
  const address = await listen(server, config);
  await connected.start();
  await core.start();
  logger.info({ address, channels: [...core.adapters.keys()], staffConsole: Boolean(slack), providers: core.providers.map((p) => p.name) }, 'frontdesk is listening');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await server.close();
    await connected.stop();
    await core.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  const detail = error instanceof ConfigError ? error.message : error instanceof Error ? error.stack : String(error);
  process.stderr.write(`frontdesk: start-up failed: ${detail}\n`);
  process.exit(1);
});
