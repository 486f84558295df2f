import { and, eq, lt, sql } from 'drizzle-orm';

import type { DailyUsage, UsageStore } from '../../monitor/budget.js';
import type { SqliteDb } from '../db.js';
import { customerDailyUsage } from '../ops-schema.js';

/** `UsageStore` on the SQLite table `customer_daily_usage`, one row per customer and UTC day. */
export class SqliteUsageStore implements UsageStore {
  /** Built on first use, because `add` and `get` run for every handled message. */
  private prepared: ReturnType<typeof prepareUsage> | undefined;

  constructor(private readonly db: SqliteDb) {}

  private get statements(): ReturnType<typeof prepareUsage> {
    this.prepared ??= prepareUsage(this.db);
    return this.prepared;
  }

  /** Add to the customer's counters for `day`, creating the row on first use. */
  async add(customerId: string, day: string, tokens: number, costUsd: number): Promise<void> {
    this.statements.add.run({ customerId, day, tokens, costUsd });
  }

  async get(customerId: string, day: string): Promise<DailyUsage | undefined> {
    return this.statements.get.get({ customerId, day });
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

function prepareUsage(db: SqliteDb) {
  return {
    // One upsert that increments in SQL, so concurrent adds from several processes all count.
    add: db
      .insert(customerDailyUsage)
      .values({
        customerId: sql.placeholder('customerId'),
        day: sql.placeholder('day'),
        tokens: sql.placeholder('tokens'),
        costUsd: sql.placeholder('costUsd'),
      })
      .onConflictDoUpdate({
        target: [customerDailyUsage.customerId, customerDailyUsage.day],
        set: {
          tokens: sql`${customerDailyUsage.tokens} + excluded.tokens`,
          costUsd: sql`${customerDailyUsage.costUsd} + excluded.cost_usd`,
        },
      })
      .prepare(),
    get: db
      .select()
      .from(customerDailyUsage)
      .where(and(eq(customerDailyUsage.customerId, sql.placeholder('customerId')), eq(customerDailyUsage.day, sql.placeholder('day'))))
      .prepare(),
  };
}
