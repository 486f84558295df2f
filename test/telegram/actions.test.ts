import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { telegramEnv } from '../../adapters/telegram/config.js';
import { alice, privateMessage, startHarness, type Harness } from './helpers.js';

describe('Telegram callback queries', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('turns a button press into an action', async () => {
    const botUser = { id: h.fake.botId, is_bot: true, first_name: 'Frontdesk' };
    const message = privateMessage({ text: 'How did we do?', from: botUser });
    const messageId = message.message_id as number;
    h.fake.pushUpdate({ callback_query: { id: 'cb-1', from: alice, chat_instance: 'ci', data: 'rate:5', message } });

    const [answer] = await h.fake.waitForCalls('answerCallbackQuery', 1);
    expect(answer!.params).toMatchObject({ callback_query_id: 'cb-1' });
    expect(h.sink.actions).toEqual([
      {
        channel: 'telegram',
        chatId: String(alice.id),
        sender: { id: String(alice.id), displayName: 'Alice Moreira', locale: 'pt-br' },
        actionId: 'rate:5',
        platformMessageId: `${alice.id}:${messageId}`,
      },
    ]);
    const [edit] = await h.fake.waitForCalls('editMessageReplyMarkup', 1);
    expect(edit!.params).toMatchObject({ chat_id: String(alice.id), message_id: messageId });
  });

  it('answers a press without data and makes no action', async () => {
    h.fake.pushUpdate({ callback_query: { id: 'cb-2', from: alice, chat_instance: 'ci', game_short_name: 'g' } });
    await h.fake.waitForCalls('answerCallbackQuery', 1);
    expect(h.sink.actions).toEqual([]);
  });
});

describe('telegramEnv', () => {
  it('applies defaults', () => {
    const env = telegramEnv.parse({});
    expect(env.TELEGRAM_API_ROOT).toBe('https://api.telegram.org');
    expect(env.TELEGRAM_ADMIN_IDS).toEqual([]);
    expect(env.TELEGRAM_BOT_TOKEN).toBeUndefined();
  });

  it('parses admin ids and trims the API root', () => {
    const env = telegramEnv.parse({ TELEGRAM_ADMIN_IDS: '12, 34,,56', TELEGRAM_API_ROOT: 'http://127.0.0.1:9000/' });
    expect(env.TELEGRAM_ADMIN_IDS).toEqual(['12', '34', '56']);
    expect(env.TELEGRAM_API_ROOT).toBe('http://127.0.0.1:9000');
  });

  it('requires a secret with a webhook URL', () => {
    const result = telegramEnv.safeParse({ TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/telegram/webhook' });
    expect(result.success).toBe(false);
  });

  it('rejects a secret with invalid characters', () => {
    const result = telegramEnv.safeParse({ TELEGRAM_WEBHOOK_SECRET: 'has spaces!' });
    expect(result.success).toBe(false);
  });
});
