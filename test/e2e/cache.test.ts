/** The response cache end to end: shared FAQ-like answers are reused, personal ones never are. */
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

const QUESTION = 'Do you sell gift cards?';
const ANSWER = 'Yes, gift cards are sold in our online store.';
const balanceCall = { kind: 'tool_calls' as const, calls: [{ name: 'get_account_balance', arguments: {} }] };

describe('response cache', () => {
  it('serves a shared answer to a second customer', async () => {
    fake = await startFakeLlm();
    server = await startTestServer(fakeLlmEnv(fake));
    fake.scriptFor('openai', { kind: 'text', text: ANSWER });

    const first = await post(`${server.url}/api/messages`, { userId: 'gina', text: QUESTION });
    const second = await post(`${server.url}/api/messages`, { userId: 'hank', text: QUESTION });

    expect(first.body.replies[0].text).toBe(ANSWER);
    expect(second.body.replies[0].text).toBe(ANSWER);
    expect(fake.requests).toHaveLength(1);
    const [miss, hit] = requestLogRows(server.core);
    expect(miss!.cacheHit).toBe(false);
    expect(hit!.cacheHit).toBe(true);
    const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/frontdesk_cache_lookups_total\{result="hit"\} 1/);
    expect(hit!.conversationId).toBe('http:hank');
  });

  it('never shares a personal answer', async () => {
    fake = await startFakeLlm();
    server = await startTestServer(fakeLlmEnv(fake));
    const url = `${server.url}/api/messages`;
    fake.scriptFor('openai', balanceCall, { kind: 'text', text: 'Your balance is $47.15.' });
    const alice = await post(url, { userId: 'alice', text: 'What is my balance?' });
    expect(alice.body.replies[0].text).toBe('Your balance is $47.15.');

    // Bob asks the same words: the model is asked again and reads his own account.
    fake.scriptFor('openai', balanceCall, { kind: 'text', text: 'Your balance is $0.00.' });
    const bob = await post(url, { userId: 'bob', text: 'What is my balance?' });
    expect(bob.body.replies[0].text).toBe('Your balance is $0.00.');
    expect(JSON.stringify(bob.body)).not.toContain('47.15');
    expect(fake.requests).toHaveLength(4);

    // A shared answer is cached by another customer...
    fake.scriptFor('openai', { kind: 'text', text: ANSWER });
    await post(url, { userId: 'hank', text: QUESTION });
    expect(fake.requests).toHaveLength(5);
    // ...but alice's conversation used a personal tool, so it goes to the model instead.
    fake.scriptFor('openai', { kind: 'text', text: 'Yes, we sell gift cards.' });
    const aliceAgain = await post(url, { userId: 'alice', text: QUESTION });
    expect(aliceAgain.body.replies[0].text).toBe('Yes, we sell gift cards.');
    expect(fake.requests).toHaveLength(6);

    const rows = requestLogRows(server.core);
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row.cacheHit).toBe(false);
    expect((await server.core.store.getConversation('http:alice'))!.personal).toBe(true);
  });
});
