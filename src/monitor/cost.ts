import type { Logger } from 'pino';
import { silentLogger } from '../log.js';
import type { ModelPrice } from './config.js';

/**
 * Built-in list prices in USD per one million tokens (input, output), written down from the
 * providers' public price pages as of August 2025 and not re-checked since. Prices change:
 * check them before trusting cost figures, and set MODEL_PRICES to override or add models.
 * Cached-input and batch discounts are not modelled, so costs are upper estimates.
 */
export const DEFAULT_MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  'claude-3-5-sonnet': { input: 3, output: 15 },
  'claude-3-7-sonnet': { input: 3, output: 15 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'claude-opus-4': { input: 15, output: 75 },
};

const TOKENS_PER_PRICE_UNIT = 1_000_000;

export interface PriceTableOptions {
  /** Entries that replace or extend the defaults (MODEL_PRICES). */
  overrides?: Record<string, ModelPrice>;
  logger?: Logger;
}

/** Per-model prices with lookup by exact name or by the longest known prefix. */
export class PriceTable {
  private readonly prices: Map<string, ModelPrice>;
  /** Known names, longest first, so `gpt-4o-mini-2024-07-18` matches `gpt-4o-mini`, not `gpt-4o`. */
  private readonly namesByLength: string[];
  private readonly warned = new Set<string>();
  private readonly logger: Logger;

  constructor(options: PriceTableOptions = {}) {
    this.prices = new Map(Object.entries({ ...DEFAULT_MODEL_PRICES, ...options.overrides }));
    this.namesByLength = [...this.prices.keys()].sort((a, b) => b.length - a.length);
    this.logger = options.logger ?? silentLogger;
  }

  /** Return the price of `model`, matching dated ids such as `claude-3-5-haiku-20241022`. */
  priceOf(model: string): ModelPrice | undefined {
    const exact = this.prices.get(model);
    if (exact) return exact;
    const name = this.namesByLength.find((known) => model.startsWith(known));
    return name === undefined ? undefined : this.prices.get(name);
  }

  /**
   * Compute the cost in USD of one call. An unknown model costs 0 and logs one warning per
   * model name, so a missing price shows up in the log without flooding it.
   */
  costUsd(model: string, tokensIn: number, tokensOut: number): number {
    if (tokensIn === 0 && tokensOut === 0) return 0;
    const price = this.priceOf(model);
    if (!price) {
      if (!this.warned.has(model)) {
        this.warned.add(model);
        this.logger.warn({ model }, 'no price for model; its cost is counted as 0, set MODEL_PRICES');
      }
      return 0;
    }
    return (tokensIn * price.input + tokensOut * price.output) / TOKENS_PER_PRICE_UNIT;
  }
}
