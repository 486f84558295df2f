/**
 * `npx tsx scripts/replay-cluster.ts FILE.jsonl [--workers 1,2] [--limit N] [--concurrency N] [--llm-latency MS]`
 *
 * Measures the multi-process mode: for each worker count, starts one gateway and that many
 * workers (`src/main.ts --role ...`) on a fresh PostgreSQL schema and Redis prefix, feeds
 * the conversations through the gateway's `POST /api/messages`, and prints messages per
 * second. With `--llm-latency`, replies come from a fake OpenAI server with that latency
 * instead of the rules engine. Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startFakeLlm } from '../test/fakes/llm-server.js';
import { readReplayFile, type ReplayConversation } from './replay/records.js';
import { percentile } from './replay/run.js';

const DATABASE_URL = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Started {
  child: ChildProcess;
  address?: string;
}

/** Every child started, so none outlives this script when it fails. */
const spawned = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of spawned) if (child.exitCode === null) child.kill('SIGKILL');
});

function startRole(role: 'gateway' | 'worker', env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role', role], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  spawned.add(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role} did not start within 60 s`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${role} exited with code ${code} during start-up`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.includes('frontdesk is listening') && !line.includes('frontdesk worker is running')) return;
      clearTimeout(timer);
      const parsed = JSON.parse(line) as { address?: string };
      resolve({ child, address: parsed.address });
    });
  });
}

async function stop(processes: Started[]): Promise<void> {
  await Promise.all(
    processes.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.removeAllListeners('exit');
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}

async function cleanUp(schema: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}

/** Post every customer turn in order, `concurrency` conversations at once; returns latencies of turns that got a 200. */
async function feed(url: string, conversations: ReplayConversation[], concurrency: number) {
  const latencies: number[] = [];
  let missing = 0;
  let next = 0;
  const worker = async () => {
    while (next < conversations.length) {
      const conversation = conversations[next++]!;
      for (const [index, text] of conversation.customerTurns.entries()) {
        const sentAt = performance.now();
        const response = await fetch(`${url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId: conversation.id, text: text.slice(0, 4000), messageId: `${conversation.id}#${index}`, locale: conversation.locale }),
        });
        await response.arrayBuffer();
        if (response.status === 200) latencies.push(performance.now() - sentAt);
        else missing += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, missing };
}

async function measure(workers: number, conversations: ReplayConversation[], options: { concurrency: number; llmUrl?: string }) {
  const stamp = `${process.pid}_${workers}_${Date.now().toString(36)}`;
  const schema = `fd_replay_${stamp}`;
  const prefix = `fdreplay_${stamp}`;
  const env: Record<string, string> = {
    DATABASE_URL,
    REDIS_URL,
    PG_SCHEMA: schema,
    REDIS_PREFIX: prefix,
    PORT: '0',
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '100000',
    RATE_LIMIT_PER_HOUR: '1000000',
    HTTP_REPLY_TIMEOUT_MS: '60000',
    ...(options.llmUrl && { OPENAI_API_KEY: 'sk-replay', OPENAI_BASE_URL: options.llmUrl }),
  };
  // Readiness is read from the info-level start-up line; later lines are read and dropped.
  const gateway = await startRole('gateway', env);
  const started = [gateway, ...(await Promise.all(Array.from({ length: workers }, () => startRole('worker', env))))];
  try {
    const messages = conversations.reduce((sum, conversation) => sum + conversation.customerTurns.length, 0);
    const begin = performance.now();
    const { latencies, missing } = await feed(gateway.address!, conversations, options.concurrency);
    const seconds = (performance.now() - begin) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      workers,
      messages,
      answered: latencies.length,
      missing,
      seconds: Math.round(seconds * 100) / 100,
      messagesPerSecond: Math.round((messages / seconds) * 10) / 10,
      p50Ms: Math.round(percentile(latencies, 0.5)),
      p95Ms: Math.round(percentile(latencies, 0.95)),
    };
  } finally {
    await stop(started);
    await cleanUp(schema, prefix);
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      workers: { type: 'string', default: '1,2' },
      limit: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '32' },
      'llm-latency': { type: 'string' },
    },
  });
  const file = positionals[0];
  if (!file) throw new UsageError('usage: npx tsx scripts/replay-cluster.ts FILE.jsonl [--workers 1,2] [--limit N] [--concurrency N] [--llm-latency MS]');
  if (!existsSync(file)) throw new UsageError(`replay file ${file} not found`);
  const conversations: ReplayConversation[] = [];
  for await (const conversation of readReplayFile(file)) {
    if (conversations.length >= Number(values.limit)) break;
    conversations.push(conversation);
  }
  const llm = values['llm-latency'] ? await startFakeLlm({ latencyMs: Number(values['llm-latency']), recordRequests: false, defaultReply: { text: 'Thanks for writing. Your request is noted.' } }) : undefined;
  const results = [];
  for (const count of values.workers.split(',').map(Number)) {
    process.stderr.write(`replay-cluster: gateway + ${count} worker(s)...\n`);
    results.push(await measure(count, conversations, { concurrency: Number(values.concurrency), llmUrl: llm?.openaiBaseUrl }));
  }
  await llm?.close();
  console.table(results);
}

/** A mistake in the command line, reported without a stack trace. */
class UsageError extends Error {}

main().catch((error: unknown) => {
  const detail = error instanceof UsageError ? error.message : error instanceof Error ? error.stack : String(error);
  process.stderr.write(`replay-cluster: ${detail}\n`);
  process.exit(1);
});
