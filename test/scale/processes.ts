/**
 * Child processes of `src/main.ts` in one role each, sharing one PostgreSQL schema and one
 * Redis prefix that belong to the test, and helpers to read the shared database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import pg from 'pg';
import { dropSchema, PG_URL, REDIS_URL, uniqueName } from './services.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** One running `src/main.ts` process and the JSON log lines it wrote so far. */
export interface RoleProcess {
  role: string;
  child: ChildProcess;
  logs: Array<Record<string, unknown>>;
  /** Base URL of the HTTP server; gateways and `all` only. */
  url?: string;
  /** Resolve once a log line matches; reject after `timeoutMs`. */
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolve with the exit code once the process ended. */
  exited: Promise<number | null>;
}

/** A test's deployment: one schema, one Redis prefix and the processes started in it. */
export class TestCluster {
  readonly schema = uniqueName('fd_cluster');
  readonly prefix = uniqueName('fdc');
  readonly processes: RoleProcess[] = [];
  private client: pg.Client | undefined;

  constructor(private readonly env: Record<string, string> = {}) {}

  /** Start `src/main.ts --role <role>` and resolve once it reports that it is running. */
  async start(role: 'all' | 'gateway' | 'worker', env: Record<string, string> = {}): Promise<RoleProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role', role], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: PG_URL,
        PG_SCHEMA: this.schema,
        PG_POOL_SIZE: '4',
        REDIS_URL,
        REDIS_PREFIX: this.prefix,
        PORT: '0',
        LOG_LEVEL: 'info',
        REDIS_QUEUE_LOCK_MS: '1500',
        REDIS_QUEUE_STALLED_INTERVAL_MS: '500',
        LEASE_TTL_MS: '1500',
        OUTCOME_POLL_MS: '250',
        ...this.env,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logs: Array<Record<string, unknown>> = [];
    const waiters = new Set<() => void>();
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        return;
      }
      for (const check of waiters) check();
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    const waitForLog = (match: (line: Record<string, unknown>) => boolean, timeoutMs = 20_000) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const check = () => {
          const found = logs.find(match);
          if (!found) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${role} process: no matching log line within ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });

    const handle: RoleProcess = { role, child, logs, waitForLog, exited };
    this.processes.push(handle);
    const ready = await waitForLog((line) => line.msg === 'frontdesk is listening' || line.msg === 'frontdesk worker is running');
    if (typeof ready.address === 'string') handle.url = ready.address;
    return handle;
  }

  /** Run one query on the test's schema. */
  async query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    if (!this.client) {
      this.client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${this.schema}` });
      await this.client.connect();
    }
    return (await this.client.query<T>(text, values)).rows;
  }

  /** Kill every process still running, drop the schema and delete the prefix's Redis keys. */
  async destroy(): Promise<void> {
    for (const { child, exited } of this.processes) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    }
    await this.client?.end();
    await dropSchema(this.schema);
    const redis = new Redis(REDIS_URL);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.prefix}:*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
}

/** POST one message to `/api/messages` of `baseUrl`. */
export async function postMessage(
  baseUrl: string,
  body: { userId: string; text: string; messageId?: string },
): Promise<{ status: number; body: { messageId: number; outcome: string; replies: Array<{ text: string; kind: string }> } }> {
  const response = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as never };
}

/** Poll `read` until `done` holds for its result; reject after `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
