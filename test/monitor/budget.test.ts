import { describe, expect, it } from 'vitest';
import { BudgetGuard, InMemoryUsageStore, utcDay } from '../../src/monitor/budget.js';

const day1 = Date.UTC(2026, 0, 5, 10);
const day2 = Date.UTC(2026, 0, 6, 0, 1);

describe('BudgetGuard', () => {
  it('switches a customer off at the token budget', async () => {
    const guard = new BudgetGuard({ limits: { dailyTokens: 1000, dailyCostUsd: 0 } });
    await guard.recordUsage('alice', day1, 600, 0.001);
    expect(await guard.isOverBudget('alice', day1)).toBe(false);

    await guard.recordUsage('alice', day1, 400, 0.001);
    expect(await guard.isOverBudget('alice', day1)).toBe(true);
    expect(await guard.isOverBudget('bob', day1)).toBe(false);
    expect(await guard.isOverBudget('alice', day2)).toBe(false);
  });

  it('switches a customer off at the cost budget', async () => {
    const guard = new BudgetGuard({ limits: { dailyTokens: 0, dailyCostUsd: 0.05 } });
    await guard.recordUsage('alice', day1, 10, 0.03);
    await guard.recordUsage('bob', day1, 10, 0.06);
    await guard.recordUsage('carol', day1, 10, 0.05);

    expect(await guard.isOverBudget('alice', day1)).toBe(false);
    expect(await guard.overBudgetCustomers(utcDay(day1))).toEqual(['bob', 'carol']);
    expect(await guard.overBudgetCustomers(utcDay(day2))).toEqual([]);
  });

  it('never switches off without budgets', async () => {
    const guard = new BudgetGuard({ limits: { dailyTokens: 0, dailyCostUsd: 0 } });
    await guard.recordUsage('alice', day1, 1e9, 1e3);
    expect(guard.enabled).toBe(false);
    expect(await guard.isOverBudget('alice', day1)).toBe(false);
  });

  it('uses the injected usage store', async () => {
    const store = new InMemoryUsageStore();
    await store.add('alice', utcDay(day1), 5000, 0);
    const guard = new BudgetGuard({ limits: { dailyTokens: 1000, dailyCostUsd: 0 }, store });
    expect(await guard.isOverBudget('alice', day1)).toBe(true);

    store.pruneBefore(utcDay(day2));
    expect(await store.listDay(utcDay(day1))).toEqual([]);
  });
});
