import { join } from 'node:path';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { Logger } from '../../log.js';
import * as schema from './schema.js';

export type PgDb = NodePgDatabase<typeof schema>;

export interface PgOpenOptions {
  /**
   * PostgreSQL schema that contains the tables and the migrations journal; `public` by
   * default. Tests use a fresh one per run.
   */
  schema?: string;
  /** Connections in the pool, at least 2; 10 by default, which is also pg's default. */
  poolSize?: number;
  logger?: Logger;
}

const MIGRATIONS_DIR = join(import.meta.dirname, '..', '..', '..', 'drizzle', 'pg');
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Open a pool whose connections all use `schema` as their search_path, and apply pending
 * migrations. The search_path is sent as a start-up parameter (`-c search_path=...`), so it
 * holds on every connection the pool opens later, not only on the first one.
 */
export async function openPg(url: string, options: PgOpenOptions = {}): Promise<{ db: PgDb; pool: pg.Pool }> {
  const schemaName = options.schema ?? 'public';
  if (!SCHEMA_NAME.test(schemaName)) {
    throw new RangeError(`invalid PostgreSQL schema name "${schemaName}": use lower-case letters, digits and _`);
  }

  const poolSize = options.poolSize ?? 10;
  // Migrations run on one connection while another holds the migration lock.
  if (poolSize < 2) throw new RangeError(`poolSize must be at least 2, got ${poolSize}`);

  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: `-c search_path=${schemaName}`,
  });
  // An idle connection that the server drops emits 'error' on the pool; unhandled, it would end the process.
  pool.on('error', (error) => options.logger?.warn({ err: error }, 'idle PostgreSQL connection failed'));

  try {
    const db = drizzle(pool, { schema });
    await migrateLocked(pool, db, schemaName);
    return { db, pool };
  } catch (error) {
    await pool.end();
    throw error;
  }
}

/**
 * Apply migrations while holding an advisory lock, because several processes starting at
 * once would otherwise run the same CREATE TABLE statements side by side and all but one
 * would fail.
 */
async function migrateLocked(pool: pg.Pool, db: PgDb, schemaName: string): Promise<void> {
  const lockHolder = await pool.connect();
  try {
    await lockHolder.query('SELECT pg_advisory_lock(hashtext($1))', [`frontdesk-migrate:${schemaName}`]);
    await lockHolder.query(`CREATE SCHEMA IF NOT EXISTS "${schemaName}"`);
    await migrate(db, { migrationsFolder: MIGRATIONS_DIR, migrationsSchema: schemaName });
  } finally {
    await lockHolder.query('SELECT pg_advisory_unlock(hashtext($1))', [`frontdesk-migrate:${schemaName}`]).catch(() => undefined);
    lockHolder.release();
  }
}
