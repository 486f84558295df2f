import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/providers/errors.js';
import { parseRetryAfter } from '../../src/providers/error-map.js';
import { type FakeApi, type FakeLlm, type FakeReply, startFakeLlm } from '../fakes/llm-server.js';
import { providerFor, userRequest } from './helpers.js';

let fake: FakeLlm;
beforeAll(async () => {
  fake = await startFakeLlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function failureOf(api: FakeApi, reply: FakeReply, streaming = false): Promise<ProviderError> {
  fake.scriptFor(api, reply);
  const provider = providerFor(fake, api, { streaming, timeoutMs: 300 });
  const error = await provider.generate(userRequest()).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const cases: { reply: FakeReply; openai: [string, string]; anthropic: [string, string] }[] = [
  { reply: { kind: 'rate_limited', retryAfter: '3' }, openai: ['rate_limited', 'retry_after'], anthropic: ['rate_limited', 'retry_after'] },
  { reply: { kind: 'overloaded' }, openai: ['server_error', 'backoff'], anthropic: ['overloaded', 'next_provider'] },
  { reply: { kind: 'server_error', status: 500 }, openai: ['server_error', 'backoff'], anthropic: ['server_error', 'backoff'] },
  { reply: { kind: 'server_error', status: 503 }, openai: ['server_error', 'backoff'], anthropic: ['server_error', 'backoff'] },
  { reply: { kind: 'hang' }, openai: ['timeout', 'backoff'], anthropic: ['timeout', 'backoff'] },
  { reply: { kind: 'reset' }, openai: ['network', 'backoff'], anthropic: ['network', 'backoff'] },
  { reply: { kind: 'context_length' }, openai: ['context_length', 'shrink_context'], anthropic: ['context_length', 'shrink_context'] },
  { reply: { kind: 'bad_request' }, openai: ['bad_request', 'no_retry'], anthropic: ['bad_request', 'no_retry'] },
  { reply: { kind: 'auth', status: 401 }, openai: ['auth', 'mark_unhealthy'], anthropic: ['auth', 'mark_unhealthy'] },
  { reply: { kind: 'auth', status: 403 }, openai: ['auth', 'mark_unhealthy'], anthropic: ['auth', 'mark_unhealthy'] },
  { reply: { kind: 'content_filter' }, openai: ['content_filter', 'next_provider'], anthropic: ['content_filter', 'next_provider'] },
  { reply: { kind: 'truncated' }, openai: ['truncated', 'next_provider'], anthropic: ['truncated', 'next_provider'] },
  {
    reply: { kind: 'tool_calls', calls: [{ name: 'get_balance', arguments: '{"account": ' }] },
    openai: ['invalid_tool_arguments', 'backoff'],
    anthropic: ['invalid_tool_arguments', 'backoff'],
  },
];

describe.each(['openai', 'anthropic'] as const)('%s error mapping', (api) => {
  for (const streaming of [false, true]) {
    const mode = streaming ? 'stream' : 'json';
    it.each(cases)(`$reply.kind ${mode} -> code and action`, async ({ reply, ...expected }) => {
      const error = await failureOf(api, reply, streaming);
      expect(error.code).toBe(expected[api][0]);
      expect(error.action).toBe(expected[api][1]);
      expect(error.provider).toBe(api);
    });
  }

  it('rate limit carries retry-after', async () => {
    const error = await failureOf(api, { kind: 'rate_limited', retryAfter: '7' });
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(7_000);
  });

  it('retry-after-ms wins over retry-after', async () => {
    const error = await failureOf(api, { kind: 'rate_limited', retryAfter: '7', retryAfterMs: 1_500 });
    expect(error.retryAfterMs).toBe(1_500);
  });

  it('mid-stream error -> stream_error', async () => {
    const error = await failureOf(api, { kind: 'stream_error', text: 'Your balance is' }, true);
    expect(error.code).toBe('stream_error');
    expect(error.action).toBe('backoff');
  });

  it('sdk does not retry on its own', async () => {
    await failureOf(api, { kind: 'server_error' });
    expect(fake.requestsFor(api)).toHaveLength(1);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('reads delay-seconds', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }), now)).toBe(2_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': '0.5' }), now)).toBe(500);
  });

  it('reads an HTTP date', () => {
    const headers = new Headers({ 'retry-after': new Date(now + 30_000).toUTCString() });
    expect(parseRetryAfter(headers, now)).toBe(30_000);
  });

  it('clamps a past date to zero', () => {
    const headers = new Headers({ 'retry-after': new Date(now - 30_000).toUTCString() });
    expect(parseRetryAfter(headers, now)).toBe(0);
  });

  it('prefers retry-after-ms', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '9', 'retry-after-ms': '120' }), now)).toBe(120);
  });

  it('ignores missing and invalid values', () => {
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
