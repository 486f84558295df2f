import { z } from 'zod';

/** Empty strings in the environment mean "not set", as in most .env files. */
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const int = (defaultValue: number, min = 0) =>
  z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(min).default(defaultValue));

const coreEnv = z.object({
  PORT: int(3000, 0).pipe(z.number().max(65535)),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .default('file:data/frontdesk.db')
    .refine((v) => v.startsWith('file:') || v.startsWith('postgres://') || v.startsWith('postgresql://'), {
      message: 'expected file:PATH or postgres://USER@HOST/DB',
    }),
  REDIS_URL: optionalString.pipe(z.string().url().optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ADMIN_TOKEN: optionalString,
  FAQ_PATH: z.string().default('data/faq.json'),
  /** Longest customer message accepted, in characters. */
  MAX_MESSAGE_CHARS: int(4000, 1),
  /** Messages queued or in progress at once; beyond it customers are told to retry shortly. */
  QUEUE_MAX_PENDING: int(20000, 1),
  /** Messages processed at once across all conversations. */
  QUEUE_CONCURRENCY: int(256, 1),
  /** How long `POST /api/messages` waits for the outcome before answering 202. */
  HTTP_REPLY_TIMEOUT_MS: int(30000, 1),
  /** Where customers can reach people when no staff console is connected. */
  SUPPORT_CONTACT: z.string().default('support@lumengoods.example'),
  HANDOFF_EXPECTED_WAIT_MINUTES: int(10, 0),

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString,
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_BASE_URL: optionalString,
  ANTHROPIC_MODEL: z.string().default('claude-3-5-haiku-latest'),

  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_API_ROOT: optionalString,
  TELEGRAM_WEBHOOK_URL: optionalString,
  TELEGRAM_WEBHOOK_SECRET: optionalString,

  WHATSAPP_MODE: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['web', 'cloud']).optional()),
  WHATSAPP_CLOUD_TOKEN: optionalString,
  WHATSAPP_CLOUD_PHONE_ID: optionalString,
  WHATSAPP_CLOUD_APP_SECRET: optionalString,
  WHATSAPP_CLOUD_VERIFY_TOKEN: optionalString,
  WHATSAPP_CLOUD_API_URL: optionalString,

  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: optionalString,
  SLACK_STAFF_CHANNEL: optionalString,
  SLACK_ADMIN_USERS: optionalString,
});

export type Config = z.infer<typeof coreEnv>;

/** Start-up stops with this error when a variable has an invalid value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parse the environment once. Modules receive the typed result and never read `process.env`.
 * Every problem is reported with the variable's name and what was expected.
 */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = coreEnv.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const value = env[variable];
    // Values of credentials, and URLs that may embed a password, are never echoed.
    const secret = /TOKEN|SECRET|KEY|PASSWORD/.test(variable) || (value ?? '').includes('@');
    const shown =
      value === undefined || secret
        ? ''
        : ` (got ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
    return `  ${variable}: ${issue.message}${shown}`;
  });
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}
