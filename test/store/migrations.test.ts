import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, describe, expect, it } from 'vitest';

import { sqlitePathFromUrl } from '../../src/store/db.js';
import { tempDatabase, type TempDatabase } from './helpers.js';

const MIGRATIONS = join(import.meta.dirname, '..', '..', 'drizzle', 'sqlite');

const OPS_TABLES = [
  'customer_daily_usage',
  'feedback',
  'guard_allowlist',
  'guard_audit',
  'guard_blocks',
  'guard_limit_overrides',
  'handoffs',
  'telegram_chat_aliases',
];

const OPS_INDEXES = [
  'feedback_created_at_idx',
  'guard_audit_sender_id_idx',
  'handoffs_conversation_id_state_idx',
  'handoffs_staff_channel_staff_thread_ts_idx',
];

function namesOf(sqlite: Database.Database, type: 'table' | 'index'): string[] {
  const rows = sqlite.prepare('SELECT name FROM sqlite_master WHERE type = ? ORDER BY name').all(type) as { name: string }[];
  return rows.map((row) => row.name);
}

let database: TempDatabase | undefined;
afterEach(() => {
  database?.remove();
  database = undefined;
});

describe('ops_tables migration', () => {
  it('creates the tables and indexes', () => {
    database = tempDatabase();
    const { sqlite } = database.open();
    expect(namesOf(sqlite, 'table')).toEqual(expect.arrayContaining(OPS_TABLES));
    expect(namesOf(sqlite, 'index')).toEqual(expect.arrayContaining(OPS_INDEXES));
  });

  it('upgrades a database made by the first migration', () => {
    database = tempDatabase();

    // A migrations folder with only 0000, as a database created before this change saw it.
    const oldFolder = join(sqlitePathFromUrl(database.url), '..', 'old-migrations');
    mkdirSync(join(oldFolder, 'meta'), { recursive: true });
    copyFileSync(join(MIGRATIONS, '0000_initial.sql'), join(oldFolder, '0000_initial.sql'));
    const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as {
      entries: { tag: string }[];
    };
    journal.entries = journal.entries.filter((entry) => entry.tag === '0000_initial');
    writeFileSync(join(oldFolder, 'meta', '_journal.json'), JSON.stringify(journal));

    const old = new Database(sqlitePathFromUrl(database.url));
    migrate(drizzle(old), { migrationsFolder: oldFolder });
    expect(namesOf(old, 'table')).not.toContain('handoffs');
    old.close();

    const { sqlite } = database.open();
    expect(namesOf(sqlite, 'table')).toEqual(expect.arrayContaining(OPS_TABLES));
  });
});
