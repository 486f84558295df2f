/**
 * The LLM path end to end: HTTP channel -> guard -> agent -> real openai / anthropic SDKs
 * against the fake LLM server -> validator -> outbox, on a fresh SQLite file per test.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../fakes/llm-server.js';
import { post, startTestServer, type TestServer } from '../helpers/core.js';
import { fakeLlmEnv, requestLogRows } from '../helpers/e2e.js';

let server: TestServer | undefined;
let fake: FakeLlm | undefined;

afterEach(async () => {
  await server?.close();
  await fake?.close();
  server = undefined;
  fake = undefined;
});

async function start(env: Record<string, string> = {}): Promise<{ server: TestServer; fake: FakeLlm }> {
  fake = await startFakeLlm();
  server = await startTestServer({ ...fakeLlmEnv(fake), ...env });
  return { server, fake };
}

const balanceCall = { kind: 'tool_calls' as const, calls: [{ name: 'get_account_balance', arguments: {} }] };

describe('LLM answers over HTTP', () => {
  it('answers with the OpenAI provider and logs the request', async () => {
    const { server, fake } = await start();
    fake.scriptFor('openai', { kind: 'text', text: 'We ship to every country in the European Union.' });

    const response = await post(`${server.url}/api/messages`, { userId: 'dana', text: 'Do you ship to Europe?' });

    expect(response.status).toBe(200);
    expect(response.body.outcome).toBe('answer');
    expect(response.body.replies[0].text).toBe('We ship to every country in the European Union.');
    expect(fake.requestsFor('openai')).toHaveLength(1);
    expect(fake.requestsFor('anthropic')).toHaveLength(0);
    const [row] = requestLogRows(server.core);
    expect(row!.provider).toBe('openai');
    expect(row!.model).toBe('gpt-4o-mini');
    expect(row!.fallbackLevel).toBe(0);
    expect(row!.tokensIn).toBeGreaterThan(0);
    expect(row!.tokensOut).toBeGreaterThan(0);
    expect(row!.costUsd).toBeGreaterThan(0);
    expect(row!.validatorOutcome).toBe('passed');
    expect(row!.outcome).toBe('answer');
  });

  it('answers a balance question with the tool result', async () => {
    const { server, fake } = await start();
    fake.scriptFor('openai', balanceCall, { kind: 'text', text: 'Your store credit balance is $47.15.' });

    const response = await post(`${server.url}/api/messages`, { userId: 'alice', text: 'What is my balance?' });

    expect(response.status).toBe(200);
    expect(response.body.replies[0].text).toBe('Your store credit balance is $47.15.');
    const [, second] = fake.requestsFor('openai');
    // The second call carries the tool result that grounds the amount.
    expect(JSON.stringify(second!.body.messages)).toContain('$47.15');
    const [row] = requestLogRows(server.core);
    expect(row!.validatorOutcome).toBe('passed');
    expect(row!.fallbackLevel).toBe(0);
  });

  it('rejects an invented balance and falls back to Anthropic', async () => {
    const { server, fake } = await start();
    const invented = { kind: 'text' as const, text: 'Your store credit balance is $127,549.32.' };
    fake.scriptFor('openai', balanceCall, invented, invented);
    fake.scriptFor('anthropic', balanceCall, { kind: 'text', text: 'You have $47.15 in store credit.' });

    const response = await post(`${server.url}/api/messages`, { userId: 'alice', text: 'What is my balance?' });

    expect(response.status).toBe(200);
    expect(response.body.outcome).toBe('answer');
    expect(response.body.replies[0].text).toBe('You have $47.15 in store credit.');
    expect(JSON.stringify(response.body)).not.toContain('127,549.32');
    const openai = fake.requestsFor('openai');
    expect(openai).toHaveLength(3);
    // The retry after the rejection carries a correction note that names the invented value.
    const correction = JSON.stringify(openai[2]!.body.messages);
    expect(correction).toContain('127,549.32');
    expect(fake.requestsFor('anthropic')).toHaveLength(2);
    const [row] = requestLogRows(server.core);
    expect(row!.provider).toBe('anthropic');
    expect(row!.fallbackLevel).toBe(1);
    expect(row!.validatorOutcome).toBe('rejected');
    expect(row!.validatorReasons).toContain('hallucinated_money');
  });
});

describe('provider failures', () => {
  it('opens the breaker and answers from Anthropic without calling OpenAI', async () => {
    const { server, fake } = await start({ BREAKER_VOLUME_THRESHOLD: '3', BREAKER_RESET_TIMEOUT_MS: '60000' });
    fake.respondWith((request) => (request.api === 'openai' ? { kind: 'server_error', status: 500 } : { kind: 'text', text: 'Happy to help with that.' }));

    // Until the breaker opens, each message still tries OpenAI first.
    let sent = 0;
    while (server.core.health.snapshotOf('openai').state !== 'open') {
      expect(sent).toBeLessThan(10);
      const response = await post(`${server.url}/api/messages`, { userId: `early-${sent}`, text: `Question number ${sent} about gift wrapping` });
      expect(response.body.replies[0].text).toBe('Happy to help with that.');
      sent += 1;
    }
    const openaiCalls = fake.requestsFor('openai').length;

    for (let i = 0; i < 5; i += 1) {
      const response = await post(`${server.url}/api/messages`, { userId: `late-${i}`, text: `Another question ${i} about gift cards` });
      expect(response.status).toBe(200);
      expect(response.body.replies[0].text).toBe('Happy to help with that.');
    }

    expect(fake.requestsFor('openai')).toHaveLength(openaiCalls);
    const late = requestLogRows(server.core).slice(sent);
    expect(late).toHaveLength(5);
    for (const row of late) {
      expect(row.provider).toBe('anthropic');
      expect(row.fallbackLevel).toBe(1);
    }
  });

  it('apologizes and hands off when every provider fails', async () => {
    const { server, fake } = await start();
    fake.respondWith(() => ({ kind: 'server_error', status: 500 }));

    const response = await post(`${server.url}/api/messages`, { userId: 'erin', text: 'Can you engrave a name on the lid?' });

    expect(response.status).toBe(200);
    expect(response.body.outcome).toBe('handoff');
    const texts = response.body.replies.map((reply: { text: string }) => reply.text);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(/something went wrong/i);
    expect(texts[1]).toContain(server.core.config.SUPPORT_CONTACT);
    const [row] = requestLogRows(server.core);
    expect(row!.outcome).toBe('handoff');
    expect(row!.fallbackLevel).toBe(3);
  });

  it('shrinks the context after a context length error', async () => {
    const { server, fake } = await start();
    fake.scriptFor('openai', { kind: 'text', text: 'Noted, thank you.' }, { kind: 'text', text: 'Noted as well.' });
    await post(`${server.url}/api/messages`, { userId: 'finn', text: 'I like the blue lamp.' });
    await post(`${server.url}/api/messages`, { userId: 'finn', text: 'The green one is nice too.' });
    fake.scriptFor('openai', { kind: 'context_length' }, { kind: 'text', text: 'Both lamps are in stock.' });

    const response = await post(`${server.url}/api/messages`, { userId: 'finn', text: 'Are both lamps in stock?' });

    expect(response.status).toBe(200);
    expect(response.body.replies[0].text).toBe('Both lamps are in stock.');
    const [rejected, retried] = fake.requestsFor('openai').slice(2);
    const sizeOf = (body: Record<string, unknown>) => (body.messages as unknown[]).length;
    expect(sizeOf(retried!.body)).toBeLessThan(sizeOf(rejected!.body));
    // The current question survives the shrink.
    expect(JSON.stringify(retried!.body.messages)).toContain('Are both lamps in stock?');
    const row = requestLogRows(server.core).at(-1)!;
    expect(row.provider).toBe('openai');
    expect(row.fallbackLevel).toBe(0);
    expect(fake.requestsFor('anthropic')).toHaveLength(0);
  });
});
