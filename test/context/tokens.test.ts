import { describe, expect, it } from 'vitest';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { computeBudget, findModelLimits, MODEL_LIMITS, UNKNOWN_MODEL_LIMITS } from '../../src/context/models.js';
import { createTokenCounter } from '../../src/context/tokens.js';

describe('model table', () => {
  it('finds dated snapshots by prefix', () => {
    expect(findModelLimits('gpt-4o-mini-2024-07-18').limits).toBe(MODEL_LIMITS['gpt-4o-mini']);
    expect(findModelLimits('claude-3-5-haiku-20241022').limits.contextWindow).toBe(200_000);
    expect(findModelLimits('gpt-4-0613').limits.encoding).toBe('cl100k_base');
    expect(findModelLimits('gpt-4.1-mini').limits.encoding).toBe('o200k_base');
  });

  it('gives unknown models the conservative default', () => {
    const found = findModelLimits('my-local-llama');
    expect(found.known).toBe(false);
    expect(found.limits).toBe(UNKNOWN_MODEL_LIMITS);
    expect(findModelLimits('o10').known).toBe(false);
  });

  it('subtracts reserve and margin and applies the cap', () => {
    const budget = computeBudget('gpt-4o-mini');
    expect(budget.budgetTokens).toBe(128_000 - 1_024 - 2_560);
    expect(computeBudget('gpt-4o-mini', { maxTokens: 3_000 }).budgetTokens).toBe(3_000);
    expect(computeBudget('gpt-4o-mini', { maxTokens: 3_000, fixedTokens: 500 }).budgetTokens).toBe(2_500);
    expect(computeBudget('gpt-5').budgetTokens).toBe(272_000 - 8_000);
  });
});

describe('token counter', () => {
  it('counts OpenAI text with the model encoding', () => {
    const text = 'Olá! Seu pedido #48213 de R$ 25,90 chega amanhã 🚚';
    expect(createTokenCounter('gpt-4o', 'openai').countText(text)).toBe(countO200k(text));
    expect(createTokenCounter('gpt-3.5-turbo', 'openai').countText(text)).toBe(countCl100k(text));
  });

  it('adds chat overhead per message', () => {
    const counter = createTokenCounter('gpt-4o-mini', 'openai');
    const content = 'Where is my order?';
    expect(counter.countTurn({ role: 'user', content })).toBe(countO200k(content) + 3);
    expect(counter.countRequest('', [{ role: 'user', content }])).toBe(countO200k(content) + 3 + 3);
  });

  it('estimates Anthropic above the o200k count', () => {
    const text = 'The refund of $120.00 for invoice INV-2031 was sent on March 3rd.';
    const estimate = createTokenCounter('claude-3-5-haiku', 'anthropic');
    expect(estimate.estimated).toBe(true);
    expect(estimate.countText(text)).toBe(Math.ceil(countO200k(text) * 1.2));
  });

  it('counts tool calls and results', () => {
    const counter = createTokenCounter('gpt-4o-mini', 'openai');
    const bare = counter.countTurn({ role: 'assistant', content: '' });
    const withCall = counter.countTurn({
      role: 'assistant',
      content: '',
      toolCalls: [{ id: 'call_1', name: 'lookup_order', arguments: { orderId: '48213' } }],
    });
    expect(withCall).toBeGreaterThan(bare + 8);
  });
});
