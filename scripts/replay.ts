/**
 * `npm run replay -- FILE.jsonl [--limit N] [--concurrency N] [--out report.json] [--db file:PATH]
 *   [--keep-rate-limits] [--fake-llm [--primary-errors F] [--primary-timeouts F] [--primary-down] [--seed N]]`
 *
 * Feeds recorded customer messages through the full pipeline on a fresh database and prints
 * a report: outcomes by kind, handoffs, errors, latency percentiles, answers by provider and
 * fallback level, and duration.
 *
 * Replay measures the pipeline, not abuse: a replayed conversation sends its next turn as soon
 * as the previous one has its outcome, which the guard's per-sender limits treat as a burst.
 * So the rate limits are raised unless `--keep-rate-limits` is given.
 *
 * `--fake-llm` starts the fake LLM server in this process with OpenAI as the primary and
 * Anthropic as the secondary, and turns the response cache off so that every turn goes
 * through the provider chain; `--cache` keeps it on to measure the LLM calls it saves. `--primary-errors` and `--primary-timeouts` are the shares of
 * primary calls answered with HTTP 500 or left hanging; `LLM_TIMEOUT_MS` defaults to 1000
 * there, so a hanging call costs one second. `--primary-down` fails every primary call.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../src/app.js';
import { ConfigError, parseConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { ReplayChannel } from './replay/channel.js';
import { startChaosLlm, type ChaosCounts, type ChaosLlm } from './replay/fake-llm.js';
import { levelShares, type LevelShare } from './replay/levels.js';
import { readReplayFile, type ReplayConversation } from './replay/records.js';
import { runReplay, type ReplayReport } from './replay/run.js';

const USAGE =
  'usage: npm run replay -- FILE.jsonl [--limit N] [--concurrency N] [--out PATH] [--db file:PATH] [--keep-rate-limits]\n' +
  '         [--fake-llm [--cache] [--primary-errors 0..1] [--primary-timeouts 0..1] [--primary-down] [--seed N]]';

/** Limits far above what one replayed conversation sends, so no replayed turn is limited. */
const REPLAY_RATE_LIMITS = {
  RATE_LIMIT_PER_MINUTE: '100000',
  RATE_LIMIT_PER_HOUR: '1000000',
  RATE_LIMIT_FLOOR: '100000',
  RATE_LIMIT_HOUR_FLOOR: '1000000',
};

type FullReport = ReplayReport & {
  /** Messages answered from the response cache. */
  cacheHits: number;
  fallback: LevelShare[];
  fakeLlm?: { primaryErrors: number; primaryTimeouts: number; primaryDown: boolean; llmTimeoutMs: number; calls: ChaosCounts };
};

async function* take<T>(source: AsyncIterable<T>, limit: number): AsyncGenerator<T> {
  let count = 0;
  for await (const item of source) {
    if (count >= limit) return;
    count += 1;
    yield item;
  }
}

function parseOptions() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      limit: { type: 'string' },
      concurrency: { type: 'string', default: '16' },
      out: { type: 'string' },
      db: { type: 'string' },
      'keep-rate-limits': { type: 'boolean', default: false },
      'fake-llm': { type: 'boolean', default: false },
      'primary-errors': { type: 'string', default: '0' },
      'primary-timeouts': { type: 'string', default: '0' },
      'primary-down': { type: 'boolean', default: false },
      seed: { type: 'string', default: '1' },
      cache: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const file = positionals[0];
  if (!file) throw new Error(USAGE);
  if (!existsSync(file)) throw new Error(`replay file ${file} not found`);
  const primaryErrors = share(values['primary-errors'], '--primary-errors');
  const primaryTimeouts = share(values['primary-timeouts'], '--primary-timeouts');
  if (primaryErrors + primaryTimeouts > 1) throw new Error('--primary-errors plus --primary-timeouts must not exceed 1');
  const chaosRequested = primaryErrors > 0 || primaryTimeouts > 0 || values['primary-down'];
  if (chaosRequested && !values['fake-llm']) throw new Error('--primary-errors, --primary-timeouts and --primary-down need --fake-llm');
  return { file, values, primaryErrors, primaryTimeouts };
}

function share(raw: string, name: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new Error(`${name} must be a number from 0 to 1, got "${raw}"`);
  return value;
}

async function main(): Promise<void> {
  const { file, values, primaryErrors, primaryTimeouts } = parseOptions();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const databaseUrl = values.db ?? `file:${join('data', 'replay', `replay-${stamp}.db`)}`;

  let chaos: ChaosLlm | undefined;
  if (values['fake-llm']) {
    chaos = await startChaosLlm({ primaryErrors, primaryTimeouts, primaryDown: values['primary-down'], seed: Number(values.seed) });
  }
  const env = {
    LOG_LEVEL: 'warn',
    ...(values['keep-rate-limits'] ? {} : REPLAY_RATE_LIMITS),
    ...(chaos ? { LLM_TIMEOUT_MS: '1000', CACHE_ENABLED: values.cache ? 'true' : 'false' } : {}),
    ...process.env,
    ...(chaos?.env ?? {}),
    DATABASE_URL: databaseUrl,
  };
  const config = parseConfig(env);
  const logger = createLogger(config.LOG_LEVEL, process.stderr as never);
  const core = await createCore({ config, logger });
  core.addAdapter(new ReplayChannel());
  await core.start();

  const startedAt = core.clock.now();
  const limit = values.limit ? Number(values.limit) : Number.POSITIVE_INFINITY;
  const conversations: AsyncIterable<ReplayConversation> = take(readReplayFile(file), limit);
  let lastPrint = Date.now();
  const replayed = await runReplay({
    core,
    conversations,
    concurrency: Number(values.concurrency),
    outcomeTimeoutMs: 60_000,
    file,
    onProgress: (done, messages) => {
      const now = Date.now();
      if (now - lastPrint >= 1000) {
        lastPrint = now;
        // On a terminal the line is redrawn in place; in a log file each update is its own line.
        const line = `replay: ${done} conversations, ${messages} messages`;
        process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}\n`);
      }
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  const summary = await core.store.summarizeRequests(startedAt);
  const report: FullReport = { ...replayed, fallback: await levelShares(core, startedAt), cacheHits: summary.cacheHits };
  for (const row of report.fallback) report.providers[`${row.provider} (level ${row.fallbackLevel ?? '-'})`] = row.count;
  if (chaos) {
    const calls = { ...chaos.counts };
    report.fakeLlm = { primaryErrors, primaryTimeouts, primaryDown: values['primary-down'], llmTimeoutMs: config.LLM_TIMEOUT_MS, calls };
  }
  await core.stop();
  await chaos?.close();

  const out = values.out ?? join('data', 'replay', `replay-report-${stamp}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  printReport(report, out);
  if (report.errors > 0 || report.missingOutcomes > 0) process.exitCode = 1;
}

function printReport(report: FullReport, out: string): void {
  const lines = [
    `file              ${report.file}`,
    `conversations     ${report.conversations}`,
    `messages          ${report.messages}`,
    `outcomes          ${Object.entries(report.outcomes).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    `handoffs          ${report.handoffs}`,
    `errors            ${report.errors}`,
    `missing outcomes  ${report.missingOutcomes}`,
    `latency ms        p50 ${report.latencyMs.p50}  p95 ${report.latencyMs.p95}  p99 ${report.latencyMs.p99}  max ${report.latencyMs.max}`,
    'answered by       level  provider    count   share  p99 ms',
  ];
  for (const row of report.fallback) {
    const level = String(row.fallbackLevel ?? '-').padEnd(5);
    const share = `${(row.share * 100).toFixed(1)}%`.padStart(6);
    lines.push(`                  ${level}  ${row.provider.padEnd(10)} ${String(row.count).padStart(6)}  ${share}  ${row.p99Ms}`);
  }
  if (report.fakeLlm) {
    const { calls, ...settings } = report.fakeLlm;
    lines.push(`fake LLM          ${Object.entries(settings).map(([k, v]) => `${k}=${v}`).join(' ')}`);
    lines.push(`fake LLM calls    ${Object.entries(calls).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  }
  if (report.cacheHits > 0) {
    const share = ((report.cacheHits / Math.max(1, report.messages)) * 100).toFixed(1);
    lines.push(`cache hits        ${report.cacheHits} (${share}% of messages answered without an LLM call)`);
  }
  lines.push(`duration          ${(report.durationMs / 1000).toFixed(1)} s (${report.messagesPerSecond} messages/s)`);
  lines.push(`report written to ${out}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`replay: ${message}\n`);
  process.exit(1);
});
