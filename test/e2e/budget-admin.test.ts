/** The daily budget switch, and admin commands from Telegram, through the wired app. */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../fakes/llm-server.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { post } from '../helpers/core.js';
import { fakeLlmEnv, requestLogRows, startAppServer, type AppServer } from '../helpers/e2e.js';

let server: AppServer | undefined;
let llm: FakeLlm | undefined;
let telegram: FakeTelegram | undefined;

afterEach(async () => {
  await server?.close();
  await llm?.close();
  await telegram?.close();
  server = undefined;
  llm = undefined;
  telegram = undefined;
});

describe('daily budget', () => {
  it('switches a spent customer to the rules engine', async () => {
    llm = await startFakeLlm();
    server = await startAppServer({ ...fakeLlmEnv(llm, ['openai']), CUSTOMER_DAILY_TOKEN_BUDGET: '1', CACHE_ENABLED: 'false' });
    llm.scriptFor('openai', { kind: 'text', text: 'We ship to every country in the European Union.' });

    const first = await post(`${server.url}/api/messages`, { userId: 'spender', text: 'Do you ship to Europe?' });
    expect(first.body.replies[0].text).toBe('We ship to every country in the European Union.');

    const second = await post(`${server.url}/api/messages`, { userId: 'spender', text: 'How much is shipping?' });
    expect(second.body.replies[0].text).toContain('$4.99');
    expect(llm.requestsFor('openai')).toHaveLength(1);

    const rows = requestLogRows(server.core);
    expect(rows.map((row) => row.fallbackLevel)).toEqual([0, 2]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await server.core.monitor.budget.overBudgetCustomers(today)).toEqual(['http:spender']);

    // Another customer still gets the LLM.
    llm.scriptFor('openai', { kind: 'text', text: 'We ship to every country in the European Union.' });
    const other = await post(`${server.url}/api/messages`, { userId: 'saver', text: 'Do you ship to Europe?' });
    expect(other.body.replies[0].text).toBe('We ship to every country in the European Union.');
  });
});

describe('telegram admin commands', () => {
  const update = (userId: number, text: string, messageId: number) => ({
    message: {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: 'private', first_name: 'Op' },
      from: { id: userId, is_bot: false, first_name: 'Op', language_code: 'en' },
      text,
      entities: [{ type: 'bot_command', offset: 0, length: '/frontdesk'.length }],
    },
  });

  it('runs for a listed admin and refuses others', async () => {
    telegram = await startFakeTelegram();
    server = await startAppServer({ TELEGRAM_BOT_TOKEN: '42:admin-test', TELEGRAM_API_ROOT: telegram.apiRoot, TELEGRAM_ADMIN_IDS: '900' });

    telegram.pushUpdate(update(900, '/frontdesk pause', 1));
    const [paused] = await telegram.waitForSent(1, 10_000);
    expect(paused!.chatId).toBe('900');
    expect(paused!.text).toContain('Maintenance mode on');
    expect(server.core.controls.paused).toBe(true);

    telegram.pushUpdate(update(901, '/frontdesk resume', 2));
    const sent = await telegram.waitForSent(2, 10_000);
    expect(sent[1]!.chatId).toBe('901');
    expect(sent[1]!.text.toLowerCase()).toContain('only frontdesk admins');
    expect(server.core.controls.paused).toBe(true);
  });
});
