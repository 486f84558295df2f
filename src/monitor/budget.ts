import type { Logger } from 'pino';
import { silentLogger } from '../log.js';
import type { MonitorEnv } from './config.js';

/** LLM usage of one customer on one UTC day. */
export interface DailyUsage {
  customerId: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  tokens: number;
  costUsd: number;
}

/**
 * Storage of per-customer daily usage. A persistent implementation needs one table,
 * `customer_daily_usage`, with columns customer_id text, day text `YYYY-MM-DD`, tokens
 * integer and cost_usd real, and primary key (customer_id, day). `add` is an upsert that
 * increments both counters.
 */
export interface UsageStore {
  add(customerId: string, day: string, tokens: number, costUsd: number): Promise<void>;
  get(customerId: string, day: string): Promise<DailyUsage | undefined>;
  /** Every customer with usage on `day`. */
  listDay(day: string): Promise<DailyUsage[]>;
}

/** UsageStore in process memory; usage is lost on restart. */
export class InMemoryUsageStore implements UsageStore {
  private readonly days = new Map<string, Map<string, DailyUsage>>();

  async add(customerId: string, day: string, tokens: number, costUsd: number): Promise<void> {
    const customers = this.days.get(day) ?? new Map<string, DailyUsage>();
    this.days.set(day, customers);
    const usage = customers.get(customerId) ?? { customerId, day, tokens: 0, costUsd: 0 };
    usage.tokens += tokens;
    usage.costUsd += costUsd;
    customers.set(customerId, usage);
  }

  async get(customerId: string, day: string): Promise<DailyUsage | undefined> {
    const usage = this.days.get(day)?.get(customerId);
    return usage ? { ...usage } : undefined;
  }

  async listDay(day: string): Promise<DailyUsage[]> {
    return [...(this.days.get(day)?.values() ?? [])].map((usage) => ({ ...usage }));
  }

  /** Drop every day before `day`, so memory stays bounded in a long-running process. */
  pruneBefore(day: string): void {
    for (const stored of this.days.keys()) if (stored < day) this.days.delete(stored);
  }
}

export interface BudgetLimits {
  /** Tokens (in + out) per customer per UTC day; 0 means no token budget. */
  dailyTokens: number;
  /** USD per customer per UTC day; 0 means no cost budget. */
  dailyCostUsd: number;
}

/** Read the budget limits out of the parsed environment. */
export function budgetLimitsFromEnv(env: MonitorEnv): BudgetLimits {
  return { dailyTokens: env.CUSTOMER_DAILY_TOKEN_BUDGET, dailyCostUsd: env.CUSTOMER_DAILY_COST_BUDGET_USD };
}

/** Return the UTC day, `YYYY-MM-DD`, of a time in milliseconds since the epoch. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Per-customer daily LLM budgets. Once a customer has spent a budget, the pipeline should
 * route that customer to the rules engine and handoff only, until the next UTC day.
 * The check happens before a turn, so the turn that crosses the budget still completes.
 */
export class BudgetGuard {
  private readonly limits: BudgetLimits;
  private readonly store: UsageStore;
  private readonly logger: Logger;

  constructor(options: { limits: BudgetLimits; store?: UsageStore; logger?: Logger }) {
    this.limits = options.limits;
    this.store = options.store ?? new InMemoryUsageStore();
    this.logger = options.logger ?? silentLogger;
  }

  /** True when either budget is set. */
  get enabled(): boolean {
    return this.limits.dailyTokens > 0 || this.limits.dailyCostUsd > 0;
  }

  /** Add the usage of one handled message to its customer's day. */
  async recordUsage(customerId: string, at: number, tokens: number, costUsd: number): Promise<void> {
    if (tokens === 0 && costUsd === 0) return;
    const day = utcDay(at);
    if (!this.enabled) {
      // Without a budget nothing can be crossed, so the reads for the log line are skipped.
      await this.store.add(customerId, day, tokens, costUsd);
      return;
    }
    const before = await this.store.get(customerId, day);
    await this.store.add(customerId, day, tokens, costUsd);
    const after = await this.store.get(customerId, day);
    if (after && !this.exceeds(before) && this.exceeds(after)) {
      this.logger.info(
        { customerId, day, tokens: after.tokens, costUsd: after.costUsd },
        'customer spent the daily budget; LLM answers are off until the next UTC day',
      );
    }
  }

  /** True when the customer has spent a daily budget on the UTC day of `now`. */
  async isOverBudget(customerId: string, now: number): Promise<boolean> {
    if (!this.enabled) return false;
    return this.exceeds(await this.store.get(customerId, utcDay(now)));
  }

  /** Customers who spent a daily budget on `day` (`YYYY-MM-DD`), sorted by id. */
  async overBudgetCustomers(day: string): Promise<string[]> {
    if (!this.enabled) return [];
    const usage = await this.store.listDay(day);
    return usage.filter((entry) => this.exceeds(entry)).map((entry) => entry.customerId).sort();
  }

  private exceeds(usage: DailyUsage | undefined): boolean {
    if (!usage) return false;
    const { dailyTokens, dailyCostUsd } = this.limits;
    if (dailyTokens > 0 && usage.tokens >= dailyTokens) return true;
    return dailyCostUsd > 0 && usage.costUsd >= dailyCostUsd;
  }
}
