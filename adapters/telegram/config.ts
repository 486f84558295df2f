import { z } from 'zod';

/** Split a comma-separated list of ids, dropping blanks. */
function parseIdList(value: string): string[] {
  return value
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
}

/**
 * Telegram environment variables. All are optional: without `TELEGRAM_BOT_TOKEN` the channel
 * stays off, and without `TELEGRAM_WEBHOOK_URL` it uses long polling.
 */
export const telegramEnv = z
  .object({
    /** Bot token from BotFather, such as `123456:ABC-DEF...`. */
    TELEGRAM_BOT_TOKEN: z.string().min(1).optional(),
    /** Bot API root without a trailing slash; tests and benchmarks point it at a local fake. */
    TELEGRAM_API_ROOT: z
      .url()
      .transform((url) => url.replace(/\/+$/, ''))
      .default('https://api.telegram.org'),
    /** Public HTTPS URL of `/telegram/webhook`; when set, webhook mode replaces long polling. */
    TELEGRAM_WEBHOOK_URL: z.url().optional(),
    /** Value Telegram echoes in `X-Telegram-Bot-Api-Secret-Token`: 1-256 of A-Z, a-z, 0-9, _ and -. */
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, 'use 1-256 characters of A-Z, a-z, 0-9, _ and -')
      .optional(),
    /** Comma-separated Telegram user ids allowed to use admin commands. */
    TELEGRAM_ADMIN_IDS: z.string().default('').transform(parseIdList),
  })
  .refine((env) => !env.TELEGRAM_WEBHOOK_URL || env.TELEGRAM_WEBHOOK_SECRET, {
    message: 'TELEGRAM_WEBHOOK_SECRET is required when TELEGRAM_WEBHOOK_URL is set',
    path: ['TELEGRAM_WEBHOOK_SECRET'],
  });

export type TelegramEnv = z.infer<typeof telegramEnv>;
