import { randomBytes } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';

/** Test database; trust authentication as user `postgres`, as the CI machine sets it up. */
export const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = 'redis://127.0.0.1:6379';

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** True when PostgreSQL listens on 127.0.0.1:5432; suites skip with a message otherwise. */
export const pgAvailable = await reachable(5432);
/** True when Redis listens on 127.0.0.1:6379; suites skip with a message otherwise. */
export const redisAvailable = await reachable(6379);

if (!pgAvailable) console.warn('PostgreSQL is not reachable on 127.0.0.1:5432: skipping PostgreSQL tests (.ci/run starts it)');
if (!redisAvailable) console.warn('Redis is not reachable on 127.0.0.1:6379: skipping Redis tests (.ci/run starts it)');

/** Build a name unique to this test run, usable as a PostgreSQL schema or a Redis key prefix. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Drop a schema created for one test, with everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
