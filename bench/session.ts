/**
 * One benchmark run of one bot: a fresh fake Bot API, a fresh fake LLM process with the
 * scenario's latency, and a fresh bot process. Everything is stopped and the temporary
 * folder removed when the run ends, also when it fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BenchChild } from './processes.js';
import { TelegramDriver } from './telegram-driver.js';

export type BotKind = 'baseline' | 'frontdesk';

/** The LLM's fixed answer; the marker below separates it from frontdesk's notices. */
export const LLM_REPLY = 'Thanks for asking. Lumen Goods can help with orders, shipping, returns and payments in this chat.';
export const ANSWER_MARKER = 'Lumen Goods can help with orders';

const TOKEN = '123456:bench-token';

export interface SessionOptions {
  bot: BotKind;
  llmLatencyMs: number;
  /** Core variables for frontdesk on top of the bench defaults; ignored by the baseline. */
  coreEnv?: Record<string, string>;
  nodeFlags?: string[];
}

export interface Session {
  driver: TelegramDriver;
  bot: BenchChild;
  llm: BenchChild;
  /** Temporary folder of this run, removed at the end. */
  dir: string;
}

/** A window of bot CPU time and wall time. */
export interface Measured {
  wallMs: number;
  botCpuMs: number;
  llmCpuMs: number;
  driverCpuMs: number;
}

/** Run `fn` with a fresh set of processes; stops them all afterwards. */
export async function withSession<T>(options: SessionOptions, fn: (session: Session) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-bench-'));
  let driver: TelegramDriver | undefined;
  let llm: BenchChild | undefined;
  let bot: BenchChild | undefined;
  try {
    driver = await TelegramDriver.start(ANSWER_MARKER);
    llm = await BenchChild.start({
      script: 'llm-host.ts',
      env: { BENCH_LLM_LATENCY_MS: String(options.llmLatencyMs), BENCH_LLM_REPLY: LLM_REPLY },
    });
    const env: Record<string, string> = {
      BENCH_TELEGRAM_TOKEN: TOKEN,
      BENCH_TELEGRAM_API_ROOT: driver.apiRoot,
      BENCH_OPENAI_BASE_URL: llm.url!,
      BENCH_DB_PATH: join(dir, 'frontdesk.db'),
      BENCH_LOG_PATH: join(dir, 'frontdesk.log'),
      BENCH_CORE_ENV: JSON.stringify(options.coreEnv ?? {}),
      BENCH_BASELINE_CONCURRENCY: options.coreEnv?.QUEUE_CONCURRENCY ?? '256',
    };
    const script = options.bot === 'baseline' ? 'baseline-bot.ts' : 'frontdesk-bot.ts';
    bot = await BenchChild.start({ script, env, nodeFlags: options.nodeFlags });
    return await fn({ driver, bot, llm, dir });
  } finally {
    await bot?.stop();
    await llm?.stop();
    await driver?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Measure the wall time and the CPU time of every process while `fn` runs. */
export async function measure(session: Session, fn: () => Promise<void>): Promise<Measured> {
  const [botBefore, llmBefore] = await Promise.all([session.bot.stats(), session.llm.stats()]);
  const driverBefore = process.cpuUsage();
  const started = performance.now();
  await fn();
  const wallMs = performance.now() - started;
  const driverCpu = process.cpuUsage(driverBefore);
  const [botAfter, llmAfter] = await Promise.all([session.bot.stats(), session.llm.stats()]);
  return {
    wallMs,
    botCpuMs: (botAfter.cpuMicros - botBefore.cpuMicros) / 1000,
    llmCpuMs: (llmAfter.cpuMicros - llmBefore.cpuMicros) / 1000,
    driverCpuMs: (driverCpu.user + driverCpu.system) / 1000,
  };
}

/** Customer questions used in rotation, so that no chat repeats one text back to back. */
export const QUESTIONS = [
  'Hi, how do returns work for a jacket I bought last week?',
  'Can you tell me which payment methods you accept?',
  'Do you ship to Canada and how long does it take?',
  'Is it possible to change the delivery address of my order?',
  'What is your policy for damaged items that arrive broken?',
  'Could I exchange shoes for a bigger size?',
  'Where can I see the status of my delivery?',
  'Do you offer gift wrapping for presents?',
  'How can I update the email on my account?',
  'Are there any discounts for students right now?',
  'My package says delivered but I cannot find it anywhere.',
  'Can I cancel an order that has not shipped yet?',
  'Which courier do you use for express shipping?',
  'Do your products come with a warranty?',
  'How do I reset the password of my account?',
  'Can I pick up an order in a store instead?',
];

export function question(index: number): string {
  return QUESTIONS[index % QUESTIONS.length]!;
}
