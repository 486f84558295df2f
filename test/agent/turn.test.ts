import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Tool, ToolRegistry } from '../../src/agent/tools.js';
import { runTurn } from '../../src/agent/turn.js';
import type { TurnDeps, TurnInput, Validate } from '../../src/agent/turn-types.js';
import { ManualClock } from '../../src/clock.js';
import { catalogKeys, t } from '../../src/i18n.js';
import { ProviderHealth } from '../../src/providers/health.js';
import type { GenerateRequest, GenerateResult, Provider } from '../../src/providers/types.js';
import { type FakeLlm, startFakeLlm } from '../fakes/llm-server.js';
import { providerFor } from '../providers/helpers.js';

/** Stands in for the rules engine, which another module provides. */
class RulesStub implements Provider {
  readonly name = 'rules';
  readonly model = 'rules-v1';
  readonly kind = 'rules' as const;
  calls = 0;
  constructor(private readonly reply: Partial<GenerateResult> = {}) {}

  async generate(_request: GenerateRequest): Promise<GenerateResult> {
    this.calls += 1;
    const base = { text: 'Our opening hours are 9 to 18.', toolCalls: [], finishReason: 'stop' as const };
    return { ...base, usage: { inputTokens: 0, outputTokens: 0 }, provider: this.name, model: this.model, ...this.reply };
  }
}

const balanceTool: Tool = {
  spec: {
    name: 'get_balance',
    description: 'Account balance of the customer',
    parameters: { type: 'object', properties: { currency: { type: 'string' } }, required: ['currency'] },
  },
  personal: true,
  async run(args, context) {
    return { customerId: context.customerId, balance: 42, currency: args.currency };
  },
};

let fake: FakeLlm;
let health: ProviderHealth;
let clock: ManualClock;
let waits: number[];

beforeAll(async () => {
  fake = await startFakeLlm({ defaultReply: { text: 'Default answer.' } });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  clock = new ManualClock(0);
  waits = [];
  health = new ProviderHealth({ volumeThreshold: 3, clock });
});
afterEach(() => health.close());

function input(messages: GenerateRequest['messages'] = [{ role: 'user', content: 'What is my balance?' }]): TurnInput {
  return {
    request: { system: 'You are a support agent.', messages, maxOutputTokens: 256, locale: 'en' },
    customerId: 'cust-1',
    conversationId: 'conv-1',
  };
}

function deps(overrides: Partial<TurnDeps> = {}): TurnDeps {
  return {
    providers: [providerFor(fake, 'openai'), providerFor(fake, 'anthropic'), new RulesStub()],
    health,
    tools: new ToolRegistry([balanceTool]),
    clock,
    sleep: async (ms) => {
      waits.push(ms);
      clock.advance(ms);
    },
    random: () => 0.5,
    ...overrides,
  };
}

describe('runTurn', () => {
  it('primary answers at level 0', async () => {
    fake.scriptFor('openai', { kind: 'text', text: 'Hello there.' });
    const result = await runTurn(input(), deps());
    expect(result.outcome).toEqual({ kind: 'answer', text: 'Hello there.', finishReason: 'stop' });
    expect(result.provider).toBe('openai');
    expect(result.model).toBe('gpt-test');
    expect(result.fallbackLevel).toBe(0);
    expect(result.attempts).toBe(1);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(fake.requestsFor('anthropic')).toHaveLength(0);
  });

  it('tool round trip on openai', async () => {
    fake.scriptFor('openai', { kind: 'tool_calls', calls: [{ id: 'call_1', name: 'get_balance', arguments: { currency: 'USD' } }] });
    fake.scriptFor('openai', { kind: 'text', text: 'Your balance is 42 USD.' });
    const result = await runTurn(input(), deps());

    expect(result.outcome).toMatchObject({ kind: 'answer', text: 'Your balance is 42 USD.' });
    expect(result.facts).toEqual([
      { tool: 'get_balance', args: { currency: 'USD' }, result: { customerId: 'cust-1', balance: 42, currency: 'USD' }, personal: true },
    ]);
    expect(result.personal).toBe(true);
    const second = fake.requestsFor('openai')[1]!.body.messages as { role: string; tool_call_id?: string }[];
    expect(second.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_1' });
    expect(fake.requestsFor('openai')[0]!.body.tools).toHaveLength(1);
  });

  it('tool round trip on anthropic', async () => {
    health.setEnabled('openai', false);
    fake.scriptFor('anthropic', { kind: 'tool_calls', calls: [{ id: 'toolu_1', name: 'get_balance', arguments: { currency: 'EUR' } }] });
    fake.scriptFor('anthropic', { kind: 'text', text: 'Your balance is 42 EUR.' });
    const result = await runTurn(input(), deps());

    expect(result.outcome).toMatchObject({ kind: 'answer', text: 'Your balance is 42 EUR.' });
    expect(result.fallbackLevel).toBe(1);
    expect(result.providers[0]).toMatchObject({ provider: 'openai', outcome: 'skipped', skipped: 'disabled' });
    expect(fake.requestsFor('openai')).toHaveLength(0);
    const second = fake.requestsFor('anthropic')[1]!.body.messages as { role: string; content: { type: string }[] }[];
    expect(second.at(-1)?.content[0]).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_1' });
  });

  it('open breaker skips the dead primary', async () => {
    fake.scriptFor('openai', { kind: 'server_error' }, { kind: 'server_error' }, { kind: 'server_error' });
    const first = await runTurn(input(), deps());
    expect(first.provider).toBe('anthropic');
    expect(first.errors.map((error) => error.code)).toEqual(['server_error', 'server_error', 'server_error']);
    expect(health.snapshotOf('openai').state).toBe('open');

    const second = await runTurn(input(), deps());
    expect(second.provider).toBe('anthropic');
    expect(second.fallbackLevel).toBe(1);
    expect(second.providers[0]).toMatchObject({ provider: 'openai', skipped: 'breaker_open', attempts: 0 });
    expect(fake.requestsFor('openai')).toHaveLength(3);
  });

  it('breaker opening mid-retry fails over', async () => {
    health.close();
    health = new ProviderHealth({ volumeThreshold: 2, clock });
    fake.scriptFor('openai', { kind: 'server_error' }, { kind: 'server_error' });
    const result = await runTurn(input(), deps({ health }));
    expect(result.provider).toBe('anthropic');
    expect(result.providers[0]).toMatchObject({ provider: 'openai', outcome: 'failed', attempts: 2, errors: ['server_error', 'server_error'] });
    expect(fake.requestsFor('openai')).toHaveLength(2);
  });

  it('provider bug fails over', async () => {
    const broken: Provider = { name: 'broken', model: 'x', kind: 'llm', generate: () => Promise.reject(new TypeError('oops')) };
    const result = await runTurn(input(), deps({ providers: [broken, providerFor(fake, 'anthropic')] }));
    expect(result.provider).toBe('anthropic');
    expect(result.providers[0]).toMatchObject({ outcome: 'failed', attempts: 1, errors: ['server_error'] });
  });

  it('waits retry-after when it fits', async () => {
    fake.scriptFor('openai', { kind: 'rate_limited', retryAfter: '2' }, { kind: 'text', text: 'After the wait.' });
    const result = await runTurn(input(), deps());
    expect(result.outcome).toMatchObject({ kind: 'answer', text: 'After the wait.' });
    expect(result.fallbackLevel).toBe(0);
    expect(result.attempts).toBe(2);
    expect(waits).toEqual([2_000]);
    expect(clock.now()).toBe(2_000);
  });

  it('long retry-after moves to secondary', async () => {
    fake.scriptFor('openai', { kind: 'rate_limited', retryAfter: '60' });
    const result = await runTurn(input(), deps());
    expect(result.provider).toBe('anthropic');
    expect(waits).toEqual([]);
    expect(fake.requestsFor('openai')).toHaveLength(1);
  });

  it('overloaded moves on without waiting', async () => {
    const providers = [providerFor(fake, 'anthropic'), providerFor(fake, 'openai')];
    fake.scriptFor('anthropic', { kind: 'overloaded' });
    const result = await runTurn(input(), deps({ providers }));
    expect(result.provider).toBe('openai');
    expect(result.errors).toEqual([{ provider: 'anthropic', code: 'overloaded' }]);
    expect(waits).toEqual([]);
  });

  it('backs off after a server error', async () => {
    fake.scriptFor('openai', { kind: 'server_error', status: 503 }, { kind: 'text', text: 'Recovered.' });
    const result = await runTurn(input(), deps());
    expect(result.provider).toBe('openai');
    expect(waits).toEqual([125]);
  });

  it('context length shrinks and retries', async () => {
    const long: GenerateRequest['messages'] = [
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'first answer' },
      { role: 'user', content: 'second question' },
      { role: 'assistant', content: 'second answer' },
      { role: 'user', content: 'What is my balance?' },
    ];
    fake.scriptFor('openai', { kind: 'context_length' }, { kind: 'text', text: 'Shorter now.' });
    const result = await runTurn(input(long), deps());
    expect(result.outcome).toMatchObject({ kind: 'answer', text: 'Shorter now.' });
    const [before, after] = fake.requestsFor('openai').map((request) => (request.body.messages as unknown[]).length);
    expect(before).toBe(6);
    expect(after).toBeLessThan(before!);
  });

  it('bad request goes to the next provider', async () => {
    fake.scriptFor('openai', { kind: 'bad_request' });
    const result = await runTurn(input(), deps());
    expect(result.provider).toBe('anthropic');
    expect(fake.requestsFor('openai')).toHaveLength(1);
  });

  it('invalid tool json retries the same provider', async () => {
    fake.scriptFor('openai', { kind: 'tool_calls', calls: [{ name: 'get_balance', arguments: '{"currency": US' }] }, { kind: 'text', text: 'Fine.' });
    const result = await runTurn(input(), deps());
    expect(result.provider).toBe('openai');
    expect(result.errors).toEqual([{ provider: 'openai', code: 'invalid_tool_arguments' }]);
  });

  it('streaming with a mid-stream error retries', async () => {
    const providers = [providerFor(fake, 'anthropic', { streaming: true }), new RulesStub()];
    fake.scriptFor('anthropic', { kind: 'stream_error', text: 'Your bal' }, { kind: 'text', text: 'Your balance is 42.' });
    const result = await runTurn(input(), deps({ providers }));
    expect(result.outcome).toMatchObject({ kind: 'answer', text: 'Your balance is 42.' });
    expect(result.errors).toEqual([{ provider: 'anthropic', code: 'stream_error' }]);
  });

  it('validator rejection corrects then falls back', async () => {
    const validate: Validate = (candidate) =>
      candidate.provider === 'openai' ? { ok: false, reasons: ['balance not in facts'] } : { ok: true };
    fake.scriptFor('openai', { kind: 'text', text: 'Your balance is 1000.' }, { kind: 'text', text: 'Your balance is 999.' });
    fake.scriptFor('anthropic', { kind: 'text', text: 'Let me check that for you.' });
    const result = await runTurn(input(), deps({ validate }));

    expect(result.provider).toBe('anthropic');
    expect(result.fallbackLevel).toBe(1);
    expect(result.rejections).toEqual([
      { provider: 'openai', reasons: ['balance not in facts'] },
      { provider: 'openai', reasons: ['balance not in facts'] },
    ]);
    const retried = fake.requestsFor('openai')[1]!.body.messages as { role: string; content: string }[];
    expect(retried.at(-2)).toEqual({ role: 'assistant', content: 'Your balance is 1000.' });
    expect(retried.at(-1)?.role).toBe('user');
    expect(retried.at(-1)?.content).toContain('balance not in facts');
    expect(result.providers[0]?.outcome).toBe('rejected');
  });

  it('empty answer gets a correction', async () => {
    const providers = [providerFor(fake, 'anthropic'), new RulesStub()];
    fake.scriptFor('anthropic', { kind: 'text', text: '' }, { kind: 'text', text: 'Here it is.' });
    const result = await runTurn(input(), deps({ providers }));
    expect(result.outcome).toMatchObject({ kind: 'answer', text: 'Here it is.' });
    expect(result.rejections).toEqual([{ provider: 'anthropic', reasons: ['the answer is empty'] }]);
    const retried = fake.requestsFor('anthropic')[1]!.body.messages as { role: string }[];
    expect(retried.map((message) => message.role)).toEqual(['user']);
  });

  it('correction note is localized', () => {
    for (const locale of ['en', 'pt-BR', 'es'] as const) {
      expect(catalogKeys(locale)).toContain('agent.correction_note');
      expect(t(locale, 'agent.correction_note', { reasons: 'X1' })).toContain('X1');
    }
  });

  it('model asks for a human', async () => {
    fake.scriptFor('openai', { kind: 'tool_calls', calls: [{ name: 'request_human', arguments: { reason: 'billing dispute' } }] });
    const result = await runTurn(input(), deps());
    expect(result.outcome).toEqual({ kind: 'handoff', reason: 'model_requested', details: { reason: 'billing dispute' } });
    expect(result.fallbackLevel).toBe(3);
    expect(result.provider).toBe('openai');
  });

  it('rules engine answers at level 2', async () => {
    fake.scriptFor('openai', { kind: 'content_filter' });
    fake.scriptFor('anthropic', { kind: 'truncated' });
    const result = await runTurn(input(), deps());
    expect(result.provider).toBe('rules');
    expect(result.fallbackLevel).toBe(2);
    expect(result.errors.map((error) => error.code)).toEqual(['content_filter', 'truncated']);
  });

  it('rules handoff passes through', async () => {
    const rules = new RulesStub({ text: '', handoff: { reason: 'no_rule_matched' } });
    fake.scriptFor('openai', { kind: 'bad_request' });
    fake.scriptFor('anthropic', { kind: 'bad_request' });
    const result = await runTurn(input(), deps({ providers: [providerFor(fake, 'openai'), providerFor(fake, 'anthropic'), rules] }));
    expect(result.outcome).toEqual({ kind: 'handoff', reason: 'no_rule_matched', details: undefined });
    expect(result.provider).toBe('rules');
    expect(result.fallbackLevel).toBe(3);
  });

  it('all providers failing hands off', async () => {
    const alerts: string[] = [];
    health.on('auth_failure', (event) => alerts.push(event.name));
    fake.scriptFor('openai', { kind: 'auth', status: 401 });
    fake.scriptFor('anthropic', { kind: 'auth', status: 403 });
    const result = await runTurn(input(), deps({ providers: [providerFor(fake, 'openai'), providerFor(fake, 'anthropic')] }));
    expect(result.outcome).toEqual({ kind: 'handoff', reason: 'all_providers_failed' });
    expect(result.fallbackLevel).toBe(3);
    expect(result.provider).toBeUndefined();
    expect(alerts).toEqual(['openai', 'anthropic']);
    expect(health.isAvailable('openai')).toBe(false);
  });

  it('deadline stops a hung primary', async () => {
    fake.scriptFor('openai', { kind: 'hang' });
    const rules = new RulesStub();
    const providers = [providerFor(fake, 'openai', { timeoutMs: 10_000 }), providerFor(fake, 'anthropic'), rules];
    const result = await runTurn({ ...input(), deadlineMs: 150 }, deps({ providers, clock: undefined, sleep: undefined }));

    expect(result.errors).toEqual([{ provider: 'openai', code: 'timeout' }]);
    expect(result.providers[1]).toMatchObject({ provider: 'anthropic', skipped: 'deadline' });
    expect(result.provider).toBe('rules');
    expect(result.deadlineExceeded).toBe(true);
    expect(fake.requestsFor('anthropic')).toHaveLength(0);
    expect(health.snapshotOf('openai').failures).toBe(0);
  });
});
