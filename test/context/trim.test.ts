import { describe, expect, it } from 'vitest';
import { ContextError } from '../../src/context/errors.js';
import { computeBudget, MODEL_LIMITS } from '../../src/context/models.js';
import { createTokenCounter } from '../../src/context/tokens.js';
import { buildContext } from '../../src/context/trim.js';
import { truncateToTokens, TRUNCATION_MARKER } from '../../src/context/truncate.js';
import type { HistoryMessage } from '../../src/context/types.js';
import { longConversation, makeHistory } from './helpers.js';

const SYSTEM = 'You are a support assistant.';

function toolConversation(): HistoryMessage[] {
  const filler = (n: number) => `Filler message ${n} about shipping options and opening hours of the store.`;
  return makeHistory([
    { role: 'user', content: filler(1) },
    { role: 'assistant', content: filler(2) },
    { role: 'user', content: 'Where is order #48213?' },
    {
      role: 'assistant',
      content: '',
      toolCalls: [
        { id: 'call_a', name: 'lookup_order', arguments: { orderId: '48213' } },
        { id: 'call_b', name: 'lookup_customer', arguments: { email: 'ana@example.com' } },
      ],
    },
    { role: 'tool', toolCallId: 'call_a', name: 'lookup_order', content: '{"status":"shipped","eta":"2025-03-04"}' },
    { role: 'tool', toolCallId: 'call_b', name: 'lookup_customer', content: '{"name":"Ana"}' },
    { role: 'assistant', content: 'It shipped and arrives on 2025-03-04.' },
    ...Array.from({ length: 8 }, (_, n) => ({ role: n % 2 ? ('assistant' as const) : ('user' as const), content: filler(n + 3) })),
  ]);
}

describe('buildContext budget', () => {
  const history = longConversation(400).map((message) => ({ ...message, content: message.content.repeat(40) }));

  for (const model of [...Object.keys(MODEL_LIMITS), 'unknown-model']) {
    it(`fits the budget for ${model}`, () => {
      const provider = model.startsWith('claude') ? 'anthropic' : 'openai';
      const { budgetTokens } = computeBudget(model, { maxTokens: model.startsWith('gpt-4.1') ? 50_000 : undefined });
      const built = buildContext({ system: SYSTEM, history, model, provider, budgetTokens });
      expect(built.tokens).toBeLessThanOrEqual(budgetTokens);
      expect(createTokenCounter(model, provider).countRequest(built.system, built.messages)).toBe(built.tokens);
      expect(built.droppedIds.length).toBeGreaterThan(0);
    });
  }

  it('keeps everything when it fits', () => {
    const built = buildContext({ system: SYSTEM, history: longConversation(6), model: 'gpt-4o-mini', provider: 'openai', budgetTokens: 10_000 });
    expect(built.droppedIds).toEqual([]);
    expect(built.messages).toHaveLength(6);
  });

  it('drops small talk before facts', () => {
    const history = makeHistory([
      { role: 'user', content: 'hi' },
      { role: 'user', content: 'My account is 99887766 and I was charged $45.00 twice.' },
      { role: 'assistant', content: 'thanks!' },
      { role: 'user', content: 'Something about delivery windows in general terms.' },
      { role: 'assistant', content: 'Sure, we deliver on weekdays between morning and evening.' },
      { role: 'user', content: 'And on holidays, in general?' },
      { role: 'assistant', content: 'Holidays follow the weekday schedule.' },
    ]);
    const counter = createTokenCounter('gpt-4o-mini', 'openai');
    const full = counter.countRequest(SYSTEM, history.map((m) => ({ role: m.role as 'user', content: m.content })));
    const built = buildContext({ system: SYSTEM, history, model: 'gpt-4o-mini', provider: 'openai', budgetTokens: full - 8, pinnedMessages: 3 });
    expect(built.droppedIds).toContain(1);
    expect(built.droppedIds).not.toContain(2);
  });

  it('rejects a system prompt over budget', () => {
    const call = () => buildContext({ system: SYSTEM.repeat(50), history: [], model: 'gpt-4o', provider: 'openai', budgetTokens: 20 });
    expect(call).toThrow(ContextError);
    expect(call).toThrow(/system prompt needs/);
  });
});

describe('buildContext structure', () => {
  it('keeps tool calls with their results', () => {
    const history = toolConversation();
    const counter = createTokenCounter('gpt-4o-mini', 'openai');
    for (let budgetTokens = 60; budgetTokens <= 400; budgetTokens += 7) {
      const built = buildContext({ system: SYSTEM, history, model: 'gpt-4o-mini', provider: 'openai', budgetTokens, pinnedMessages: 2, counter });
      const hasCall = built.messages.some((m) => m.role === 'assistant' && m.toolCalls?.length);
      const results = built.messages.filter((m) => m.role === 'tool').length;
      expect(results, `budget ${budgetTokens}`).toBe(hasCall ? 2 : 0);
      const callIndex = built.messages.findIndex((m) => m.role === 'assistant' && m.toolCalls?.length);
      if (callIndex >= 0) expect(built.messages[callIndex + 1]?.role).toBe('tool');
    }
  });

  it('drops orphan tool results and unanswered calls', () => {
    const history = makeHistory([
      { role: 'tool', toolCallId: 'lost', name: 'lookup_order', content: '{}' },
      { role: 'user', content: 'Hello there' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'x', name: 'lookup_order', arguments: {} }] },
      { role: 'user', content: 'Any news?' },
    ]);
    const built = buildContext({ system: SYSTEM, history, model: 'gpt-4o', provider: 'openai', budgetTokens: 1_000 });
    expect(built.droppedIds).toEqual([1, 3]);
    expect(built.messages.map((m) => m.role)).toEqual(['user', 'user']);
  });

  it('applies Anthropic role rules', () => {
    const history = makeHistory([
      { role: 'assistant', content: 'Welcome! How can I help?' },
      { role: 'user', content: 'My parcel is late.' },
      { role: 'user', content: '' },
      { role: 'user', content: 'It is order #48213.' },
      { role: 'assistant', content: 'Let me check.' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'lookup_order', arguments: { orderId: '48213' } }] },
      { role: 'tool', toolCallId: 'c1', name: 'lookup_order', content: '{"status":"late"}' },
      { role: 'assistant', content: 'It is delayed by one day.' },
      { role: 'assistant', content: '   ' },
      { role: 'user', content: 'ok' },
    ]);
    const built = buildContext({ system: SYSTEM, history, model: 'claude-3-5-haiku', provider: 'anthropic', budgetTokens: 2_000 });
    const roles = built.messages.map((m) => m.role);
    expect(roles).toEqual(['user', 'assistant', 'tool', 'assistant', 'user']);
    expect(built.messages[0]?.content).toBe('My parcel is late.\n\nIt is order #48213.');
    expect(built.messages[1]).toMatchObject({ content: 'Let me check.', toolCalls: [{ id: 'c1' }] });
    for (const message of built.messages) if (message.role !== 'tool') expect(message.content.trim() !== '' || message.role === 'assistant').toBe(true);
    expect(built.droppedIds).toEqual([1, 3, 9]);
  });

  it('alternates roles for Anthropic after trimming', () => {
    const history = longConversation(60);
    for (const budgetTokens of [80, 150, 300, 700]) {
      const built = buildContext({ system: SYSTEM, history, model: 'claude-sonnet-4-5', provider: 'anthropic', budgetTokens, pinnedMessages: 3 });
      expect(built.messages[0]?.role).toBe('user');
      built.messages.forEach((message, index) => {
        expect(message.content.trim()).not.toBe('');
        if (index > 0) expect(message.role).not.toBe(built.messages[index - 1]?.role);
      });
      expect(built.tokens).toBeLessThanOrEqual(budgetTokens);
    }
  });

  it('cuts an oversized pinned message', () => {
    const history = makeHistory([{ role: 'user', content: `Order #48213. ${'The box arrived crushed and wet. '.repeat(400)}` }]);
    const built = buildContext({ system: SYSTEM, history, model: 'gpt-4o-mini', provider: 'openai', budgetTokens: 120 });
    expect(built.truncatedIds).toEqual([1]);
    expect(built.tokens).toBeLessThanOrEqual(120);
    expect(built.messages[0]?.content.startsWith('Order #48213.')).toBe(true);
    expect(built.messages[0]?.content.endsWith(TRUNCATION_MARKER)).toBe(true);
  });
});

/** Splits with a segmenter of the test's own, so a broken module cannot vouch for itself. */
function graphemes(text: string): string[] {
  return Array.from(new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text), (part) => part.segment);
}

describe('grapheme-safe truncation', () => {
  const count = createTokenCounter('gpt-4o', 'openai').countText;
  const cases: Array<[string, string]> = [
    ['ZWJ family emoji', '👨‍👩‍👧‍👦'],
    ['flag', '🇧🇷'],
    ['combining marks', 'e\u0301\u0302'],
    ['skin tone', '👍🏽'],
  ];

  for (const [name, cluster] of cases) {
    it(`never splits a ${name}`, () => {
      const text = `Olá ${cluster.repeat(60)} fim`;
      const clusters = new Set(graphemes(text));
      for (let maxTokens = 3; maxTokens < count(text); maxTokens += 1) {
        const cut = truncateToTokens(text, maxTokens, count);
        expect(count(cut)).toBeLessThanOrEqual(maxTokens);
        const body = cut.endsWith(TRUNCATION_MARKER) ? cut.slice(0, -TRUNCATION_MARKER.length) : cut;
        for (const part of graphemes(body)) expect(clusters.has(part), `${JSON.stringify(part)} at ${maxTokens}`).toBe(true);
        expect(body).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u);
      }
    });
  }

  it('returns nothing when the marker does not fit', () => {
    expect(truncateToTokens('some long text here', 0, count)).toBe('');
  });
});
