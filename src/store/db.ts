import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

export type SqliteDb = BetterSQLite3Database<typeof schema>;

export interface OpenedDatabase {
  db: SqliteDb;
  /** The underlying better-sqlite3 handle, for pragmas, checkpoints and closing. */
  sqlite: Database.Database;
  close(): void;
}

const MIGRATIONS_DIR = join(import.meta.dirname, '..', '..', 'drizzle', 'sqlite');

/** Turn `file:data/frontdesk.db`, `file::memory:` or a bare path into a better-sqlite3 path. */
export function sqlitePathFromUrl(url: string): string {
  const path = url.startsWith('file:') ? url.slice('file:'.length) : url;
  return path === '' ? ':memory:' : path;
}

/**
 * Open the SQLite database, set the pragmas every connection needs and apply pending
 * migrations. WAL lets readers run beside the single writer; the busy timeout makes a
 * second process wait for the write lock instead of failing at once.
 */
export function openSqlite(url: string, options: { busyTimeoutMs?: number } = {}): OpenedDatabase {
  const path = sqlitePathFromUrl(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });

  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL in WAL mode loses at most the last transactions on power loss, never integrity.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  sqlite.pragma('foreign_keys = ON');

  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });

  return {
    db,
    sqlite,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
