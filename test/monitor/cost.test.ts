import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { PriceTable } from '../../src/monitor/cost.js';

describe('PriceTable', () => {
  it('prices a known model per million tokens', () => {
    const table = new PriceTable();
    expect(table.costUsd('gpt-4o-mini', 1_000_000, 0)).toBeCloseTo(0.15);
    expect(table.costUsd('gpt-4o-mini', 2000, 1000)).toBeCloseTo((2000 * 0.15 + 1000 * 0.6) / 1e6);
  });

  it('matches dated ids by longest prefix', () => {
    const table = new PriceTable();
    expect(table.priceOf('gpt-4o-mini-2024-07-18')).toEqual({ input: 0.15, output: 0.6 });
    expect(table.priceOf('gpt-4o-2024-08-06')).toEqual({ input: 2.5, output: 10 });
    expect(table.priceOf('claude-3-5-haiku-20241022')).toEqual({ input: 0.8, output: 4 });
  });

  it('takes overrides and new models', () => {
    const table = new PriceTable({ overrides: { 'gpt-4o-mini': { input: 1, output: 2 }, local: { input: 0, output: 0 } } });
    expect(table.costUsd('gpt-4o-mini', 1_000_000, 1_000_000)).toBe(3);
    expect(table.priceOf('local')).toEqual({ input: 0, output: 0 });
  });

  it('counts an unknown model as free and warns once', () => {
    const lines: Array<{ level: number; model: string }> = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    const table = new PriceTable({ logger });
    expect(table.costUsd('mystery-1', 100, 100)).toBe(0);
    expect(table.costUsd('mystery-1', 100, 100)).toBe(0);
    expect(table.costUsd('rules', 0, 0)).toBe(0);
    expect(lines.map((line) => [line.level, line.model])).toEqual([[40, 'mystery-1']]);
  });
});
