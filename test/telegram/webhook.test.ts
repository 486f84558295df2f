import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TelegramAdapter } from '../../adapters/telegram/adapter.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { MemorySink, TOKEN, privateMessage } from './helpers.js';

const SECRET = 'webhook-secret_123';

describe('Telegram webhook mode', () => {
  let fake: FakeTelegram;
  let app: FastifyInstance;
  let adapter: TelegramAdapter;
  let sink: MemorySink;
  let url: string;

  beforeEach(async () => {
    fake = await startFakeTelegram();
    sink = new MemorySink();
    adapter = new TelegramAdapter({
      token: TOKEN,
      apiRoot: fake.apiRoot,
      webhookUrl: 'https://bot.example.com/telegram/webhook',
      webhookSecret: SECRET,
    });
    app = Fastify();
    adapter.mount(app);
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    url = `${address}/telegram/webhook`;
    await adapter.start(sink);
  });

  afterEach(async () => {
    await adapter.stop();
    await app.close();
    await fake.close();
  });

  const post = (body: unknown, secret?: string): Promise<Response> =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret !== undefined && { 'x-telegram-bot-api-secret-token': secret }) },
      body: JSON.stringify(body),
    });

  it('sets the webhook with the secret', () => {
    expect(fake.webhook()).toEqual({ url: 'https://bot.example.com/telegram/webhook', secretToken: SECRET });
    const setWebhook = fake.calls.find((c) => c.method === 'setWebhook');
    expect(setWebhook?.params.allowed_updates).toEqual(['message', 'edited_message', 'callback_query', 'my_chat_member']);
  });

  it('accepts an update with the right secret', async () => {
    const response = await post({ update_id: 1, message: privateMessage({ text: 'hi' }) }, SECRET);
    expect(response.status).toBe(200);
    expect(sink.accepted.map((m) => m.text)).toEqual(['hi']);
  });

  it('rejects a wrong secret with 401', async () => {
    const response = await post({ update_id: 2, message: privateMessage({ text: 'hi' }) }, 'wrong');
    expect(response.status).toBe(401);
    expect(sink.acceptCalls).toBe(0);
  });

  it('rejects a missing secret with 401', async () => {
    const response = await post({ update_id: 3, message: privateMessage({ text: 'hi' }) });
    expect(response.status).toBe(401);
    expect(sink.acceptCalls).toBe(0);
  });

  it('handles a redelivered update once', async () => {
    const update = { update_id: 4, message: privateMessage({ text: 'once' }) };
    expect((await post(update, SECRET)).status).toBe(200);
    expect((await post(update, SECRET)).status).toBe(200);
    expect(sink.acceptCalls).toBe(1);
  });

  it('answers 500 when the sink fails, then takes the redelivery', async () => {
    const update = { update_id: 5, message: privateMessage({ text: 'retry me' }) };
    sink.failNextAccept = true;
    expect((await post(update, SECRET)).status).toBe(500);
    expect((await post(update, SECRET)).status).toBe(200);
    expect(sink.accepted.map((m) => m.text)).toEqual(['retry me']);
  });
});

describe('Telegram adapter options', () => {
  it('requires a secret in webhook mode', () => {
    expect(() => new TelegramAdapter({ token: TOKEN, webhookUrl: 'https://bot.example.com/telegram/webhook' })).toThrow(
      /TELEGRAM_WEBHOOK_SECRET/,
    );
  });

  it('requires a token', () => {
    expect(() => new TelegramAdapter({ token: '' })).toThrow(/TELEGRAM_BOT_TOKEN/);
  });

  it('mounts no route in polling mode', async () => {
    const app = Fastify();
    new TelegramAdapter({ token: TOKEN }).mount(app);
    await app.ready();
    expect(app.hasRoute({ method: 'POST', url: '/telegram/webhook' })).toBe(false);
    await app.close();
  });
});
