import { sql } from 'drizzle-orm';

import type { SqliteDb } from '../db.js';
import { telegramChatAliases } from '../ops-schema.js';

/**
 * Storage of Telegram group migrations. At start-up the adapter takes `list()` as its
 * `chatAliases`; its `onChatMigrated(oldId, newId)` hook calls `put`.
 */
export interface TelegramAliasStore {
  /** Every `[oldChatId, newChatId]` pair in migration order, so chains replay correctly. */
  list(): Promise<Array<[string, string]>>;
  /** Record that `oldChatId` moved to `newChatId` at `at` (epoch ms). */
  put(oldChatId: string, newChatId: string, at: number): Promise<void>;
}

/** `TelegramAliasStore` in process memory, for tests and runs without a database. */
export class InMemoryTelegramAliasStore implements TelegramAliasStore {
  private readonly aliases = new Map<string, { newChatId: string; at: number }>();

  async list(): Promise<Array<[string, string]>> {
    return [...this.aliases.entries()]
      .sort((a, b) => a[1].at - b[1].at)
      .map(([oldChatId, alias]) => [oldChatId, alias.newChatId]);
  }

  async put(oldChatId: string, newChatId: string, at: number): Promise<void> {
    const known = this.aliases.get(oldChatId);
    this.aliases.set(oldChatId, { newChatId, at: known?.at ?? at });
  }
}

/** `TelegramAliasStore` on the SQLite table `telegram_chat_aliases`. */
export class SqliteTelegramAliasStore implements TelegramAliasStore {
  constructor(private readonly db: SqliteDb) {}

  async list(): Promise<Array<[string, string]>> {
    const rows = this.db
      .select({ oldChatId: telegramChatAliases.oldChatId, newChatId: telegramChatAliases.newChatId })
      .from(telegramChatAliases)
      .orderBy(telegramChatAliases.migratedAt, sql`rowid`)
      .all();
    return rows.map((row) => [row.oldChatId, row.newChatId]);
  }

  /**
   * Insert the alias, or point a known old id at `newChatId`. A repeated migration keeps its
   * first `migratedAt`, because moving it to the end of `list()` would break the replay of a chain.
   */
  async put(oldChatId: string, newChatId: string, at: number): Promise<void> {
    this.db
      .insert(telegramChatAliases)
      .values({ oldChatId, newChatId, migratedAt: at })
      .onConflictDoUpdate({ target: telegramChatAliases.oldChatId, set: { newChatId } })
      .run();
  }
}
