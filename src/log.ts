import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths removed from every log line. Message text and credentials may appear only at debug,
 * and even there these fields are censored.
 */
export const REDACTED_PATHS = [
  'text',
  '*.text',
  'content',
  '*.content',
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-slack-signature"]',
  'secret',
  '*.secret',
];

/** Create the process logger; `destination` lets tests capture lines in memory. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'frontdesk' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A logger that drops everything; the default where none is injected. */
export const silentLogger: Logger = pino({ level: 'silent' });
