/** PostgreSQL versions of the usage, Telegram alias and feedback stores. */
import { and, asc, eq, gte, sql } from 'drizzle-orm';

import type { DailyUsage, UsageStore } from '../../monitor/budget.js';
import type { FeedbackEntry, FeedbackStore, StoredFeedback } from '../sqlite/feedback-store.js';
import type { TelegramAliasStore } from '../sqlite/telegram-alias-store.js';
import type { PgDb } from './connect.js';
import { customerDailyUsage, feedback, telegramChatAliases } from './ops-schema.js';

/** `UsageStore` on the PostgreSQL table `customer_daily_usage`. */
export class PgUsageStore implements UsageStore {
  constructor(private readonly db: PgDb) {}

  /** Add to the customer's counters for `day`; one upsert, so concurrent adds from several processes all count. */
  async add(customerId: string, day: string, tokens: number, costUsd: number): Promise<void> {
    await this.db
      .insert(customerDailyUsage)
      .values({ customerId, day, tokens, costUsd })
      .onConflictDoUpdate({
        target: [customerDailyUsage.customerId, customerDailyUsage.day],
        set: {
          tokens: sql`${customerDailyUsage.tokens} + excluded.tokens`,
          costUsd: sql`${customerDailyUsage.costUsd} + excluded.cost_usd`,
        },
      });
  }

  async get(customerId: string, day: string): Promise<DailyUsage | undefined> {
    const [row] = await this.db
      .select(usageColumns)
      .from(customerDailyUsage)
      .where(and(eq(customerDailyUsage.customerId, customerId), eq(customerDailyUsage.day, day)));
    return row;
  }

  /** Return every customer with usage on `day`, in the order of their first usage that day. */
  async listDay(day: string): Promise<DailyUsage[]> {
    return this.db.select(usageColumns).from(customerDailyUsage).where(eq(customerDailyUsage.day, day)).orderBy(asc(customerDailyUsage.seq));
  }
}

const usageColumns = {
  customerId: customerDailyUsage.customerId,
  day: customerDailyUsage.day,
  tokens: customerDailyUsage.tokens,
  costUsd: customerDailyUsage.costUsd,
};

/** `TelegramAliasStore` on the PostgreSQL table `telegram_chat_aliases`. */
export class PgTelegramAliasStore implements TelegramAliasStore {
  constructor(private readonly db: PgDb) {}

  async list(): Promise<Array<[string, string]>> {
    const rows = await this.db
      .select({ oldChatId: telegramChatAliases.oldChatId, newChatId: telegramChatAliases.newChatId })
      .from(telegramChatAliases)
      .orderBy(asc(telegramChatAliases.migratedAt), asc(telegramChatAliases.seq));
    return rows.map((row) => [row.oldChatId, row.newChatId]);
  }

  /** Insert the alias, or point a known old id at `newChatId`, keeping its first `migratedAt`. */
  async put(oldChatId: string, newChatId: string, at: number): Promise<void> {
    await this.db
      .insert(telegramChatAliases)
      .values({ oldChatId, newChatId, migratedAt: at })
      .onConflictDoUpdate({ target: telegramChatAliases.oldChatId, set: { newChatId } });
  }
}

/** `FeedbackStore` on the PostgreSQL table `feedback`; values are stored unchecked. */
export class PgFeedbackStore implements FeedbackStore {
  constructor(private readonly db: PgDb) {}

  async add(entry: FeedbackEntry): Promise<void> {
    await this.db.insert(feedback).values(entry);
  }

  async listSince(since: number): Promise<StoredFeedback[]> {
    return this.db
      .select()
      .from(feedback)
      .where(gte(feedback.createdAt, since))
      .orderBy(asc(feedback.createdAt), asc(feedback.id));
  }
}
