import { z } from 'zod';
import { cacheEnv } from './cache/config.js';
import { contextEnv } from './context/config.js';
import { guardEnv } from './guard/config.js';
import { handoffEnv } from './handoff/config.js';
import { monitorEnv } from './monitor/config.js';
import { providersEnv } from './providers/config.js';
import { scaleEnv } from './scale/config.js';
import { validateEnv } from './validate/config.js';

const int = (defaultValue: number, min = 0) => z.coerce.number().int().min(min).default(defaultValue);
const flag = (defaultValue: boolean) => z.stringbool().default(defaultValue);

/** Variables of the core itself; each module's own variables live beside the module. */
const coreEnv = z.object({
  PORT: int(3000, 0).pipe(z.number().max(65535)),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .default('file:data/frontdesk.db')
    .refine((v) => v.startsWith('file:') || v.startsWith('postgres://') || v.startsWith('postgresql://'), {
      message: 'expected file:PATH or postgres://USER@HOST/DB',
    }),
  REDIS_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ADMIN_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  FAQ_PATH: z.string().default('data/faq.json'),
  /** Messages queued or in progress at once; beyond it customers are told to retry shortly. */
  QUEUE_MAX_PENDING: int(20000, 1),
  /** Messages processed at once across all conversations. */
  QUEUE_CONCURRENCY: int(256, 1),
  /** How long `POST /api/messages` waits for the outcome before answering 202. */
  HTTP_REPLY_TIMEOUT_MS: int(30000, 1),
  /** Contact given to customers who need a person when no staff console is connected. */
  SUPPORT_CONTACT: z.string().default('support@lumengoods.example'),
  /** Seed the demo store's accounts and orders into an empty database. */
  DEMO_DATA: flag(true),
  /** Comma-separated paths of modules that export extra tools. */
  TOOL_MODULES: z.string().default(''),
  /** JSON array of HTTP tools: `[{"name","description","parameters","url","timeoutMs"?}]`. */
  HTTP_TOOLS: z.string().default('[]'),
  /** Thumbs up / down buttons under answers, on channels that show buttons. */
  FEEDBACK_BUTTONS: flag(true),
  /** Validator rejections within one message after which the conversation goes to a person. */
  VALIDATOR_HANDOFF_AFTER: int(3, 1),
});

const coreSchemas = [coreEnv, providersEnv, guardEnv, contextEnv, validateEnv, monitorEnv, cacheEnv, handoffEnv, scaleEnv] as const;

type Parsed<T extends readonly z.ZodType[]> = T extends readonly [infer Head extends z.ZodType, ...infer Rest extends z.ZodType[]]
  ? z.infer<Head> & Parsed<Rest>
  : unknown;

export type Config = Parsed<typeof coreSchemas>;

/** Start-up stops with this error when a variable has an invalid value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Empty strings in the environment mean "not set", as in most .env files. */
function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') result[key] = value;
  return result;
}

function describeIssue(issue: z.core.$ZodIssue, env: Record<string, string>): string {
  const variable = issue.path.join('.') || '(environment)';
  const value = env[variable];
  // Values of credentials, and URLs that may embed a password, are never echoed.
  const secret = /TOKEN|SECRET|KEY|PASSWORD/.test(variable) || (value ?? '').includes('@');
  const echoed =
    value === undefined || secret ? '' : ` (got ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  return `  ${variable}: ${issue.message}${echoed}`;
}

/**
 * Parse the environment against several schemas and merge the results. Every problem of
 * every schema is reported at once, each with the variable's name and what was expected.
 */
export function parseEnvSchemas<T extends readonly z.ZodType[]>(schemas: T, env: Record<string, string | undefined>): Parsed<T> {
  const clean = withoutEmpty(env);
  const merged: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const schema of schemas) {
    const result = schema.safeParse(clean);
    if (result.success) Object.assign(merged, result.data);
    else problems.push(...result.error.issues.map((issue) => describeIssue(issue, clean)));
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  return merged as Parsed<T>;
}

/**
 * Parse the core's environment once. Modules receive the typed result and never read
 * `process.env`; channel variables are parsed by the adapters' own schemas.
 */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  return parseEnvSchemas(coreSchemas, env);
}
