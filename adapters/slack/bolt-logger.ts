import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/log.js';

/**
 * Present a pino logger through the logger interface Bolt and its WebClient expect.
 * Bolt passes preformatted strings; they go out as the log message.
 */
export function toBoltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const join = (parts: unknown[]) => parts.map((part) => (typeof part === 'string' ? part : String(part))).join(' ');
  return {
    debug: (...parts) => logger.debug(join(parts)),
    info: (...parts) => logger.info(join(parts)),
    warn: (...parts) => logger.warn(join(parts)),
    error: (...parts) => logger.error(join(parts)),
    // The pino level decides what is written, so these only record the requested level.
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
