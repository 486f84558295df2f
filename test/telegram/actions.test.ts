import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { telegramEnv } from '../../adapters/telegram/config.js';
import { catalogKeys, t } from '../../src/i18n.js';
import { alice, bob, groupMessage, privateMessage, startHarness, waitUntil, type Harness } from './helpers.js';

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

describe('Telegram welcome and commands', () => {
  let h: Harness;

  afterEach(async () => {
    await h.close();
  });

  it('greets /start in the user locale', async () => {
    h = await startHarness();
    h.fake.pushUpdate({ message: privateMessage({ text: '/start promo42', entities: [{ type: 'bot_command', offset: 0, length: 6 }] }) });
    const [welcome] = await h.fake.waitForSent(1);
    expect(welcome!.text).toBe(t('pt-BR', 'telegram.welcome', { name: 'Alice' }));
    expect(welcome!.chatId).toBe(String(alice.id));
    expect(h.sink.acceptCalls).toBe(0);
  });

  it('greets a bare group mention', async () => {
    h = await startHarness();
    const handle = `@${h.fake.botUsername}`;
    const message = groupMessage(-42, { text: handle, entities: [{ type: 'mention', offset: 0, length: handle.length }] });
    h.fake.pushUpdate({ message });
    const [welcome] = await h.fake.waitForSent(1);
    expect(welcome!.text).toBe(t('en', 'telegram.welcome', { name: bob.first_name }));
    expect(welcome!.replyToMessageId).toBe(message.message_id);
    expect(h.sink.acceptCalls).toBe(0);
  });

  it('lets a command handler keep an update', async () => {
    h = await startHarness();
    const handled: string[] = [];
    h.adapter.commands.command('stats', (ctx) => void handled.push(ctx.from?.username ?? 'unknown'));
    h.fake.pushUpdate({ message: privateMessage({ text: '/stats', entities: [{ type: 'bot_command', offset: 0, length: 6 }] }, bob) });
    h.fake.pushUpdate({ message: privateMessage({ text: 'a question' }) });
    await waitUntil(() => h.sink.accepted.length === 1, 'the question');
    expect(handled).toEqual(['bob_b']);
    expect(h.sink.accepted.map((m) => m.text)).toEqual(['a question']);
  });

  it('ships the welcome text in every locale', () => {
    for (const locale of ['en', 'pt-BR', 'es'] as const) {
      expect(catalogKeys(locale)).toContain('telegram.welcome');
    }
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
