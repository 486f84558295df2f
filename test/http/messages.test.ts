import { afterEach, describe, expect, it } from 'vitest';
import { EchoProvider } from '../helpers/providers.js';
import { post, startTestServer, type TestServer } from '../helpers/core.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('POST /api/messages', () => {
  it('returns the rules engine answer', async () => {
    server = await startTestServer();
    const response = await post(`${server.url}/api/messages`, { userId: 'alice', text: 'how much is shipping?' });
    expect(response.status).toBe(200);
    expect(response.body.conversationId).toBe('http:alice');
    expect(response.body.outcome).toBe('answer');
    expect(response.body.replies).toHaveLength(1);
    expect(response.body.replies[0].text).toContain('$4.99');
  });

  it('answers in the requested locale', async () => {
    server = await startTestServer();
    const response = await post(`${server.url}/api/messages`, { userId: 'ana', text: 'qual o prazo de entrega', locale: 'pt-BR' });
    expect(response.body.replies[0].text).toContain('dias úteis');
  });

  it('returns the first outcome for a repeated messageId and answers once', async () => {
    const echo = new EchoProvider();
    server = await startTestServer({}, { providers: [echo] });
    const body = { userId: 'bob', text: 'hello there', messageId: 'm-1' };
    const [first, second] = await Promise.all([
      post(`${server.url}/api/messages`, body),
      post(`${server.url}/api/messages`, body),
    ]);
    const third = await post(`${server.url}/api/messages`, body);
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(third.body).toEqual(first.body);
    expect(echo.calls).toBe(1);
    const listed = await fetch(`${server.url}/api/conversations/http:bob/messages`).then((r) => r.json());
    expect(listed.messages.filter((m: { direction: string }) => m.direction === 'out')).toHaveLength(1);
  });

  it('keeps per-conversation order under concurrency', async () => {
    // Twenty messages at once from one sender is a burst the guard would limit; raise its limits here.
    server = await startTestServer(
      { QUEUE_CONCURRENCY: '8', RATE_LIMIT_PER_MINUTE: '1000', RATE_LIMIT_PER_HOUR: '10000', RATE_LIMIT_FLOOR: '1000' },
      { providers: [new EchoProvider(2)] },
    );
    const texts = Array.from({ length: 20 }, (_, i) => `message number ${i}`);
    const sends = texts.map((text, i) => post(`${server!.url}/api/messages`, { userId: 'carol', text, messageId: `c-${i}` }));
    const responses = await Promise.all(sends);
    for (const response of responses) expect(response.status).toBe(200);

    const listed = await fetch(`${server.url}/api/conversations/http:carol/messages?limit=100`).then((r) => r.json());
    const inbound = listed.messages.filter((m: { direction: string }) => m.direction === 'in').map((m: { id: number }) => m.id);
    const outbound = listed.messages.filter((m: { direction: string }) => m.direction === 'out');
    expect(outbound).toHaveLength(20);
    // Replies were produced in arrival order: the n-th reply echoes the n-th stored message.
    const storedTexts = listed.messages.filter((m: { direction: string }) => m.direction === 'in').map((m: { text: string }) => m.text);
    expect(outbound.map((m: { text: string }) => m.text)).toEqual(storedTexts.map((t: string) => `echo: ${t}`));
    expect(inbound).toEqual([...inbound].sort((a: number, b: number) => a - b));
  });

  it('tells the customer to retry when the queue is full, and loses nothing', async () => {
    const echo = new EchoProvider();
    echo.hold();
    server = await startTestServer({ QUEUE_CONCURRENCY: '1', QUEUE_MAX_PENDING: '2' }, { providers: [echo] });
    const url = `${server.url}/api/messages`;
    const held = [post(url, { userId: 'u1', text: 'first' }), post(url, { userId: 'u2', text: 'second' })];
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await post(url, { userId: 'u3', text: 'third' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.body.outcome).toBe('busy');
    expect(refused.body.replies[0].text).toMatch(/try again/i);

    echo.open();
    const answered = await Promise.all(held);
    expect(answered.map((r) => r.status)).toEqual([200, 200]);
    const stored = await fetch(`${server.url}/api/conversations/http:u3/messages`).then((r) => r.json());
    expect(stored.messages.map((m: { text: string }) => m.text)).toEqual(['third', refused.body.replies[0].text]);
  });

  it.each([
    ['empty text', { userId: 'x', text: '   ' }, /text must not be empty/],
    ['text over the maximum', { userId: 'x', text: 'a'.repeat(4001) }, /longer than 4000/],
    ['a missing userId', { text: 'hi' }, /userId/],
    ['a wrong type', { userId: 42, text: 'hi' }, /userId/],
    ['an unknown field', { userId: 'x', text: 'hi', admin: true }, /unknown field\(s\): admin/],
  ])('rejects %s with 400', async (_label, body, message) => {
    server = await startTestServer();
    const response = await post(`${server.url}/api/messages`, body);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(message);
  });

  it('rejects invalid JSON and non-UTF-8 bodies with 400 and keeps serving', async () => {
    server = await startTestServer();
    const url = `${server.url}/api/messages`;
    const invalidJson = await post(url, '{"userId": "x", "text": ');
    expect(invalidJson.status).toBe(400);
    expect(invalidJson.body.error).toMatch(/not valid JSON/);

    const latin1 = Buffer.concat([Buffer.from('{"userId":"x","text":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    const notUtf8 = await post(url, latin1);
    expect(notUtf8.status).toBe(400);
    expect(notUtf8.body.error).toMatch(/not valid UTF-8/);

    const healthy = await post(url, { userId: 'x', text: 'how much is shipping' });
    expect(healthy.status).toBe(200);
  });
});

describe('GET /api/conversations/:id/messages', () => {
  it('lists a conversation and 404s an unknown one', async () => {
    server = await startTestServer();
    await post(`${server.url}/api/messages`, { userId: 'dan', text: 'hi' });
    const listed = await fetch(`${server.url}/api/conversations/dan/messages`).then((r) => r.json());
    expect(listed.conversationId).toBe('http:dan');
    expect(listed.messages).toHaveLength(2);
    expect(listed.messages[0]).toMatchObject({ direction: 'in', text: 'hi', state: 'done' });
    expect(listed.messages[1]).toMatchObject({ direction: 'out', kind: 'answer', state: 'sent' });
    const missing = await fetch(`${server.url}/api/conversations/nobody/messages`);
    expect(missing.status).toBe(404);
  });

  it('requires the admin token for conversations of other channels', async () => {
    server = await startTestServer({ ADMIN_TOKEN: 'admin-secret-token-123' });
    const denied = await fetch(`${server.url}/api/conversations/telegram:42/messages`);
    expect(denied.status).toBe(401);
    const allowed = await fetch(`${server.url}/api/conversations/telegram:42/messages`, {
      headers: { authorization: 'Bearer admin-secret-token-123' },
    });
    expect(allowed.status).toBe(404);
  });
});

describe('health endpoints', () => {
  it('answer liveness and readiness', async () => {
    server = await startTestServer();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`).then((r) => r.json());
    expect(ready).toEqual({ status: 'ready', checks: { database: true, providers: {} } });
  });
});
