/**
 * Composition root: parses the configuration, builds the core and connects the channels.
 * It is the one module under src/ that imports adapters, because wiring them is its job.
 */
import { HttpChannel } from '../adapters/http/channel.js';
import { createHttpServer } from '../adapters/http/server.js';
import { createCore } from './app.js';
import { ConfigError, parseConfig, type Config } from './config.js';
import { createLogger } from './log.js';

function loadConfig(): Config {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`frontdesk: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const core = await createCore({ config, logger });
  core.addAdapter(new HttpChannel());

  const server = createHttpServer({ core, logger, replyTimeoutMs: config.HTTP_REPLY_TIMEOUT_MS, adminToken: config.ADMIN_TOKEN });
  await core.start();
  const address = await server.listen({ port: config.PORT, host: config.HOST });
  logger.info({ address, channels: [...core.adapters.keys()] }, 'frontdesk is listening');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await server.close();
    await core.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`frontdesk: start-up failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
