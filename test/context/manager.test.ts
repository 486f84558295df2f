import { describe, expect, it } from 'vitest';
import { contextEnv, contextOptionsFromEnv } from '../../src/context/config.js';
import { createContextManager, type ConversationMemory } from '../../src/context/manager.js';
import { summarize, summarizeExtractive } from '../../src/context/summary.js';
import { createTokenCounter } from '../../src/context/tokens.js';
import { toChatTurn } from '../../src/context/units.js';
import { ProviderError } from '../../src/providers/errors.js';
import type { GenerateRequest, GenerateResult, Provider } from '../../src/providers/types.js';
import { longConversation, makeHistory } from './helpers.js';

const SYSTEM = 'You are a support assistant.';

/** A provider that rejects prompts above `limit` tokens, as a model with a small window does. */
class SmallWindowProvider implements Provider {
  readonly name = 'small-window';
  readonly model = 'gpt-4o-mini';
  readonly kind = 'llm' as const;
  readonly seen: number[] = [];
  private readonly counter = createTokenCounter('gpt-4o-mini', 'openai');

  constructor(private readonly limit: number) {}

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const tokens = this.counter.countRequest(request.system, request.messages);
    this.seen.push(tokens);
    if (tokens > this.limit) throw new ProviderError(this.name, 'context_length', `prompt has ${tokens} tokens`, { status: 400 });
    return { text: 'ok', toolCalls: [], finishReason: 'stop', usage: { inputTokens: tokens, outputTokens: 1 }, provider: this.name, model: this.model };
  }
}

async function answerWithShrink(provider: Provider, history = longConversation(40)) {
  // Resending summarized messages fills the 800-token budget, so the first prompt is large.
  const manager = createContextManager({ maxTokens: 800, resendSummarized: true });
  let prepared = await manager.prepare({ id: 'c1' }, history, { system: SYSTEM, model: 'gpt-4o-mini', provider: 'openai' });
  for (let attempt = 1; ; attempt += 1) {
    try {
      const result = await provider.generate({ system: prepared.system, messages: prepared.messages, maxOutputTokens: prepared.maxOutputTokens, locale: 'en' });
      return { result, prepared };
    } catch (error) {
      if (!(error instanceof ProviderError) || error.action !== 'shrink_context' || attempt > 2) throw error;
      prepared = await manager.shrink(prepared, attempt);
    }
  }
}

describe('summaries', () => {
  const dropped = makeHistory([
    { role: 'user', content: 'hi' },
    { role: 'user', content: 'I was charged $45.00 twice for order #48213, write to ana@example.com' },
    { role: 'assistant', content: 'Which card did you use?' },
    { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'lookup_order', arguments: { orderId: '48213' } }] },
    { role: 'tool', toolCallId: 'c1', name: 'lookup_order', content: '{"total":"$45.00","date":"2025-03-02"}' },
  ]);

  it('extractive summary keeps ids and amounts', () => {
    const summary = summarizeExtractive(dropped, '- customer said: my name is Ana');
    for (const fact of ['$45.00', '#48213', 'ana@example.com', '2025-03-02', 'my name is Ana']) expect(summary.text).toContain(fact);
    expect(summary.text).not.toMatch(/: hi$/m);
    expect(summary.text).not.toContain('Which card');
    expect(summary.coveredIds).toEqual([1, 2, 3, 4, 5]);
    expect(summary.coversUpTo).toBe(5);
  });

  it('keeps facts when capped', () => {
    const many = longConversation(80);
    const counter = createTokenCounter('gpt-4o-mini', 'openai');
    const summary = summarizeExtractive(many, undefined, { maxTokens: 150, countText: counter.countText });
    expect(counter.countText(summary.text)).toBeLessThanOrEqual(150);
    expect(summary.text).toContain('#40077');
    expect(summary.text).toContain('$77.50');
  });

  it('LLM summary gets missing facts appended', async () => {
    const prompts: string[] = [];
    const summary = await summarize(dropped, undefined, {
      llm: async (prompt) => {
        prompts.push(prompt);
        return '- Customer was double charged for order #48213.';
      },
    });
    expect(prompts[0]).toContain('ana@example.com');
    expect(summary.abstractive).toBe(true);
    expect(summary.text).toContain('#48213');
    expect(summary.text).toMatch(/Earlier facts: .*\$45\.00.*ana@example\.com/);
  });

  it('falls back when the LLM fails', async () => {
    const summary = await summarize(dropped, undefined, { llm: async () => Promise.reject(new Error('down')) });
    expect(summary.abstractive).toBe(false);
    expect(summary.text).toContain('#48213');
  });
});

describe('context manager', () => {
  it('summarizes dropped messages into the prompt', async () => {
    const manager = createContextManager({ maxTokens: 300 });
    const history = longConversation(40);
    const prepared = await manager.prepare({ id: 'c1' }, history, { system: SYSTEM, model: 'gpt-4o-mini', provider: 'openai' });
    expect(prepared.tokens).toBeLessThanOrEqual(300);
    expect(prepared.droppedIds.length).toBeGreaterThan(0);
    expect(prepared.summaryUsed).toBe(true);
    expect(prepared.system).toContain('Earlier facts: ');
    expect(prepared.newSummary?.coversUpTo).toBeGreaterThanOrEqual(Math.max(...prepared.droppedIds.filter((id) => id < 37)));
    expect(prepared.system).toContain('#40002');
  });

  it('carries the stored summary to the next turn', async () => {
    const manager = createContextManager({ maxTokens: 300 });
    const memory: ConversationMemory = { id: 'c2' };
    const history = longConversation(50);
    for (let length = 10; length <= 50; length += 2) {
      const prepared = await manager.prepare(memory, history.slice(0, length), { system: SYSTEM, model: 'gpt-4o-mini', provider: 'openai' });
      expect(prepared.tokens).toBeLessThanOrEqual(300);
      if (prepared.newSummary) {
        expect(prepared.newSummary.coversUpTo).toBeGreaterThanOrEqual(memory.summaryCoversUpTo ?? 0);
        memory.summary = prepared.newSummary.text;
        memory.summaryCoversUpTo = prepared.newSummary.coversUpTo;
      }
    }
    expect(memory.summary).toContain('#40037');
    expect(memory.summary).toContain('$32.50');
    // The summary may use what the system prompt and the four pinned messages leave of 300 tokens.
    const counter = createTokenCounter('gpt-4o-mini', 'openai');
    const pinned = history.slice(46, 50).map(toChatTurn);
    expect(counter.countText(memory.summary ?? '')).toBeLessThanOrEqual(300 - counter.countRequest(SYSTEM, pinned));
    expect(memory.summaryCoversUpTo).toBe(46);
  });

  it('uses the summary LLM once per turn', async () => {
    let calls = 0;
    const manager = createContextManager({ maxTokens: 300, summaryLlm: async () => { calls += 1; return '- summary by model'; } });
    const prepared = await manager.prepare({ id: 'c3' }, longConversation(40), { system: SYSTEM, model: 'gpt-4o-mini', provider: 'openai' });
    expect(calls).toBe(1);
    expect(prepared.system).toContain('- summary by model');
  });

  it('recovers from one context-length error', async () => {
    const provider = new SmallWindowProvider(450);
    const { result, prepared } = await answerWithShrink(provider);
    expect(result.text).toBe('ok');
    expect(prepared.attempt).toBe(1);
    expect(provider.seen).toHaveLength(2);
    expect(provider.seen[1]).toBeLessThanOrEqual(400);
  });

  it('falls back to a minimal context', async () => {
    const provider = new SmallWindowProvider(160);
    const history = longConversation(40);
    const { prepared } = await answerWithShrink(provider, history);
    expect(prepared.attempt).toBe(2);
    expect(prepared.messages).toEqual([{ role: 'user', content: history[38]?.content }]);
    expect(prepared.system.startsWith(SYSTEM)).toBe(true);
    expect(prepared.newSummary?.coversUpTo).toBe(40);
  });

  it('gives up after two shrinks', async () => {
    const provider = new SmallWindowProvider(5);
    await expect(answerWithShrink(provider)).rejects.toMatchObject({ code: 'context_length' });
    expect(provider.seen).toHaveLength(3);
  });
});

describe('context env', () => {
  it('parses defaults and values', () => {
    expect(contextOptionsFromEnv(contextEnv.parse({}))).toEqual({ pinnedMessages: 4, maxTokens: undefined, reservedOutputTokens: undefined });
    const env = contextEnv.parse({ CONTEXT_MAX_TOKENS: '4000', CONTEXT_PINNED_MESSAGES: '6', CONTEXT_SUMMARY_MODEL: 'gpt-4o-mini' });
    expect(env).toMatchObject({ CONTEXT_MAX_TOKENS: 4000, CONTEXT_PINNED_MESSAGES: 6, CONTEXT_SUMMARY_MODEL: 'gpt-4o-mini' });
    expect(() => contextEnv.parse({ CONTEXT_MAX_TOKENS: '-1' })).toThrow();
  });
});
