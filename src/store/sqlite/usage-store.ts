import { and, eq, lt, sql } from 'drizzle-orm';

import type { DailyUsage, UsageStore } from '../../monitor/budget.js';
import type { SqliteDb } from '../db.js';
import { customerDailyUsage } from '../ops-schema.js';

/** `UsageStore` on the SQLite table `customer_daily_usage`, one row per customer and UTC day. */
export class SqliteUsageStore implements UsageStore {
  constructor(private readonly db: SqliteDb) {}

  /** Add to the customer's counters for `day`, creating the row on first use. */
  async add(customerId: string, day: string, tokens: number, costUsd: number): Promise<void> {
    // One upsert that increments in SQL, so concurrent adds from several processes all count.
    this.db
      .insert(customerDailyUsage)
      .values({ customerId, day, tokens, costUsd })
      .onConflictDoUpdate({
        target: [customerDailyUsage.customerId, customerDailyUsage.day],
        set: {
          tokens: sql`${customerDailyUsage.tokens} + excluded.tokens`,
          costUsd: sql`${customerDailyUsage.costUsd} + excluded.cost_usd`,
        },
      })
      .run();
  }

  async get(customerId: string, day: string): Promise<DailyUsage | undefined> {
    return this.db
      .select()
      .from(customerDailyUsage)
      .where(and(eq(customerDailyUsage.customerId, customerId), eq(customerDailyUsage.day, day)))
      .get();
  }

  /** Return every customer with usage on `day`, in the order of their first usage that day. */
  async listDay(day: string): Promise<DailyUsage[]> {
    return this.db.select().from(customerDailyUsage).where(eq(customerDailyUsage.day, day)).orderBy(sql`rowid`).all();
  }

  /** Delete every day before `day` (`YYYY-MM-DD`) and return the number of rows deleted. */
  async pruneBefore(day: string): Promise<number> {
    return this.db.delete(customerDailyUsage).where(lt(customerDailyUsage.day, day)).run().changes;
  }
}
