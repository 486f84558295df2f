/**
 * `npm run replay -- FILE.jsonl [--limit N] [--concurrency N] [--out report.json] [--db file:PATH]`
 *
 * Feeds recorded customer messages through the full pipeline on a fresh database and prints
 * a report: outcomes by kind, handoffs, errors, latency percentiles, providers and duration.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../src/app.js';
import { ConfigError, parseConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { ReplayChannel } from './replay/channel.js';
import { readReplayFile, type ReplayConversation } from './replay/records.js';
import { runReplay } from './replay/run.js';

async function* take<T>(source: AsyncIterable<T>, limit: number): AsyncGenerator<T> {
  let count = 0;
  for await (const item of source) {
    if (count >= limit) return;
    count += 1;
    yield item;
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      limit: { type: 'string' },
      concurrency: { type: 'string', default: '16' },
      out: { type: 'string' },
      db: { type: 'string' },
    },
  });
  const file = positionals[0];
  if (!file) throw new Error('usage: npm run replay -- FILE.jsonl [--limit N] [--concurrency N] [--out PATH] [--db file:PATH]');
  if (!existsSync(file)) throw new Error(`replay file ${file} not found`);

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const databaseUrl = values.db ?? `file:${join('data', 'replay', `replay-${stamp}.db`)}`;
  const config = parseConfig({ LOG_LEVEL: 'warn', ...process.env, DATABASE_URL: databaseUrl });
  const logger = createLogger(config.LOG_LEVEL, process.stderr as never);
  const core = await createCore({ config, logger });
  core.addAdapter(new ReplayChannel());
  await core.start();

  const startedAt = core.clock.now();
  const limit = values.limit ? Number(values.limit) : Number.POSITIVE_INFINITY;
  const conversations: AsyncIterable<ReplayConversation> = take(readReplayFile(file), limit);
  let lastPrint = 0;
  const report = await runReplay({
    core,
    conversations,
    concurrency: Number(values.concurrency),
    outcomeTimeoutMs: 60_000,
    file,
    onProgress: (done, messages) => {
      const now = Date.now();
      if (now - lastPrint >= 1000) {
        lastPrint = now;
        process.stderr.write(`\rreplay: ${done} conversations, ${messages} messages`);
      }
    },
  });
  process.stderr.write('\n');
  for (const row of await core.store.providerCounts(startedAt)) {
    report.providers[`${row.provider ?? 'none'} (level ${row.fallbackLevel ?? '-'})`] = row.count;
  }
  await core.stop();

  const out = values.out ?? join('data', 'replay', `replay-report-${stamp}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  printReport(report, out);
  if (report.errors > 0 || report.missingOutcomes > 0) process.exitCode = 1;
}

function printReport(report: Awaited<ReturnType<typeof runReplay>>, out: string): void {
  const lines = [
    `file              ${report.file}`,
    `conversations     ${report.conversations}`,
    `messages          ${report.messages}`,
    `outcomes          ${Object.entries(report.outcomes).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    `handoffs          ${report.handoffs}`,
    `errors            ${report.errors}`,
    `missing outcomes  ${report.missingOutcomes}`,
    `providers         ${Object.entries(report.providers).map(([k, v]) => `${k}=${v}`).join(', ')}`,
    `latency ms        p50 ${report.latencyMs.p50}  p95 ${report.latencyMs.p95}  p99 ${report.latencyMs.p99}  max ${report.latencyMs.max}`,
    `duration          ${(report.durationMs / 1000).toFixed(1)} s (${report.messagesPerSecond} messages/s)`,
    `report written to ${out}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`replay: ${message}\n`);
  process.exit(1);
});
