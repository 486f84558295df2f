import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { BudgetGuard, InMemoryUsageStore, utcDay, type UsageStore } from '../../src/monitor/budget.js';
import { SqliteUsageStore } from '../../src/store/sqlite/usage-store.js';
import { tempDatabase, type TempDatabase } from './helpers.js';
import { pgAvailable, pgOpsFactory } from './pg-helpers.js';

const DAY1 = Date.UTC(2026, 0, 5, 10);
const DAY2 = Date.UTC(2026, 0, 6, 0, 1);

let database: TempDatabase | undefined;
afterEach(() => {
  database?.remove();
  database = undefined;
});

const pgOps = pgOpsFactory();
const implementations: Array<[string, () => UsageStore | Promise<UsageStore>]> = [
  ['InMemoryUsageStore', () => new InMemoryUsageStore()],
  [
    'SqliteUsageStore',
    () => {
      database = tempDatabase();
      return new SqliteUsageStore(database.open().db);
    },
  ],
  ...(pgAvailable ? [['PgUsageStore', async () => (await pgOps()).usage] as [string, () => Promise<UsageStore>]] : []),
];

describe.each(implementations)('%s', (_name, createStore) => {
  let store: UsageStore;
  beforeEach(async () => {
    store = await createStore();
  });

  it('returns undefined before any usage', async () => {
    expect(await store.get('alice', '2026-01-05')).toBeUndefined();
    expect(await store.listDay('2026-01-05')).toEqual([]);
  });

  it('adds up usage per customer and day', async () => {
    await store.add('alice', '2026-01-05', 600, 0.001);
    await store.add('alice', '2026-01-05', 400, 0.002);
    await store.add('alice', '2026-01-06', 7, 0.5);
    await store.add('bob', '2026-01-05', 10, 0);

    expect(await store.get('alice', '2026-01-05')).toEqual({
      customerId: 'alice',
      day: '2026-01-05',
      tokens: 1000,
      costUsd: 0.001 + 0.002,
    });
    expect(await store.get('alice', '2026-01-06')).toEqual({ customerId: 'alice', day: '2026-01-06', tokens: 7, costUsd: 0.5 });
    expect((await store.listDay('2026-01-05')).map((usage) => usage.customerId)).toEqual(['alice', 'bob']);
  });

  it('counts every concurrent add', async () => {
    await Promise.all(Array.from({ length: 50 }, () => store.add('alice', '2026-01-05', 2, 0.25)));
    expect(await store.get('alice', '2026-01-05')).toMatchObject({ tokens: 100, costUsd: 12.5 });
  });

  it('backs the budget guard', async () => {
    const guard = new BudgetGuard({ limits: { dailyTokens: 1000, dailyCostUsd: 0.05 }, store });
    await guard.recordUsage('alice', DAY1, 600, 0.001);
    expect(await guard.isOverBudget('alice', DAY1)).toBe(false);
    await guard.recordUsage('alice', DAY1, 400, 0.001);
    await guard.recordUsage('carol', DAY1, 10, 0.05);

    expect(await guard.isOverBudget('alice', DAY1)).toBe(true);
    expect(await guard.isOverBudget('alice', DAY2)).toBe(false);
    expect(await guard.overBudgetCustomers(utcDay(DAY1))).toEqual(['alice', 'carol']);
  });
});

describe('SqliteUsageStore on a file', () => {
  it('keeps usage across reopening', async () => {
    database = tempDatabase();
    const first = database.open();
    await new SqliteUsageStore(first.db).add('alice', '2026-01-05', 600, 0.03);
    first.close();

    const reopened = new SqliteUsageStore(database.open().db);
    await reopened.add('alice', '2026-01-05', 400, 0.02);
    expect(await reopened.get('alice', '2026-01-05')).toEqual({
      customerId: 'alice',
      day: '2026-01-05',
      tokens: 1000,
      costUsd: 0.03 + 0.02,
    });
  });

  it('adds from two connections', async () => {
    database = tempDatabase();
    const first = new SqliteUsageStore(database.open().db);
    const second = new SqliteUsageStore(database.open().db);
    await Promise.all([first.add('alice', '2026-01-05', 1, 0), second.add('alice', '2026-01-05', 2, 0)]);
    expect((await first.get('alice', '2026-01-05'))?.tokens).toBe(3);
  });

  it('prunes days before a day', async () => {
    database = tempDatabase();
    const store = new SqliteUsageStore(database.open().db);
    await store.add('alice', '2026-01-04', 1, 0);
    await store.add('bob', '2026-01-04', 1, 0);
    await store.add('alice', '2026-01-05', 1, 0);

    expect(await store.pruneBefore('2026-01-05')).toBe(2);
    expect(await store.listDay('2026-01-04')).toEqual([]);
    expect(await store.listDay('2026-01-05')).toHaveLength(1);
  });
});
