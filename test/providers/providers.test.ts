import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatTurn, ToolSpec } from '../../src/providers/types.js';
import { type FakeLlm, startFakeLlm } from '../fakes/llm-server.js';
import { providerFor, userRequest } from './helpers.js';

let fake: FakeLlm;
beforeAll(async () => {
  fake = await startFakeLlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const balanceTool: ToolSpec = {
  name: 'get_balance',
  description: 'Current balance of the customer account',
  parameters: { type: 'object', properties: { currency: { type: 'string' } }, required: ['currency'] },
};

const afterToolCall: ChatTurn[] = [
  { role: 'user', content: 'What is my balance?' },
  { role: 'assistant', content: '', toolCalls: [{ id: 'call_7', name: 'get_balance', arguments: { currency: 'USD' } }] },
  { role: 'tool', toolCallId: 'call_7', name: 'get_balance', content: '{"balance":42}' },
];

describe.each(['openai', 'anthropic'] as const)('%s provider', (api) => {
  for (const streaming of [false, true]) {
    const mode = streaming ? 'stream' : 'json';

    it(`text reply ${mode}`, async () => {
      fake.scriptFor(api, { kind: 'text', text: 'Your balance is 42 USD.' });
      const result = await providerFor(fake, api, { streaming }).generate(userRequest());
      expect(result.text).toBe('Your balance is 42 USD.');
      expect(result.finishReason).toBe('stop');
      expect(result.toolCalls).toEqual([]);
      expect(result.provider).toBe(api);
      expect(result.usage.inputTokens).toBeGreaterThan(0);
      expect(result.usage.outputTokens).toBeGreaterThan(0);
      expect(fake.requestsFor(api)[0]?.stream).toBe(streaming);
    });

    it(`tool call ${mode}`, async () => {
      fake.scriptFor(api, { kind: 'tool_calls', calls: [{ id: 'call_1', name: 'get_balance', arguments: { currency: 'USD' } }] });
      const result = await providerFor(fake, api, { streaming }).generate(userRequest('balance?', { tools: [balanceTool] }));
      expect(result.finishReason).toBe('tool_calls');
      expect(result.toolCalls).toEqual([{ id: 'call_1', name: 'get_balance', arguments: { currency: 'USD' } }]);
    });
  }

  it('sends system, tools and max tokens', async () => {
    await providerFor(fake, api).generate(userRequest('hi', { tools: [balanceTool] }));
    const body = fake.requestsFor(api)[0]!.body;
    expect(body.model).toBe(api === 'openai' ? 'gpt-test' : 'claude-test');
    if (api === 'openai') {
      expect(body.messages).toContainEqual({ role: 'system', content: 'You are a support agent.' });
      expect(body.tools).toEqual([{ type: 'function', function: balanceTool }]);
      expect(body.max_completion_tokens).toBe(256);
    } else {
      expect(body.system).toBe('You are a support agent.');
      expect(body.tools).toEqual([{ name: 'get_balance', description: balanceTool.description, input_schema: balanceTool.parameters }]);
      expect(body.max_tokens).toBe(256);
    }
  });

  it('sends tool results back in its wire format', async () => {
    fake.scriptFor(api, { kind: 'text', text: 'It is 42.' });
    await providerFor(fake, api).generate(userRequest('', { messages: afterToolCall, tools: [balanceTool] }));
    const messages = fake.requestsFor(api)[0]!.body.messages as unknown[];
    if (api === 'openai') {
      expect(messages[2]).toEqual({
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_7', type: 'function', function: { name: 'get_balance', arguments: '{"currency":"USD"}' } }],
      });
      expect(messages[3]).toEqual({ role: 'tool', tool_call_id: 'call_7', content: '{"balance":42}' });
    } else {
      expect(messages[1]).toEqual({
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'call_7', name: 'get_balance', input: { currency: 'USD' } }],
      });
      expect(messages[2]).toEqual({
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'call_7', content: '{"balance":42}' }],
      });
    }
  });

  it('sends the api key', async () => {
    await providerFor(fake, api).generate(userRequest());
    const headers = fake.requestsFor(api)[0]!.headers;
    const credential = headers.authorization ?? headers['x-api-key'];
    expect(String(credential)).toContain('test-key');
  });

  it('caller abort -> timeout', async () => {
    fake.scriptFor(api, { kind: 'hang' });
    const controller = new AbortController();
    const pending = providerFor(fake, api, { timeoutMs: 10_000 }).generate(userRequest('hi', { signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ code: 'timeout' });
  });
});

describe('fake default reply', () => {
  it('echoes the last user message', async () => {
    const echo = await startFakeLlm({ latencyMs: 5, recordRequests: false });
    try {
      const openai = await providerFor(echo, 'openai').generate(userRequest('ping'));
      const anthropic = await providerFor(echo, 'anthropic', { streaming: true }).generate(userRequest('pong'));
      expect(openai.text).toBe('echo: ping');
      expect(anthropic.text).toBe('echo: pong');
      expect(echo.requests).toHaveLength(0);
    } finally {
      await echo.close();
    }
  });
});
