/** Telegram end to end: the real `src/main.ts` in a child process, long polling the fake Bot API. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { startMain, type MainProcess } from '../helpers/child.js';
import { tempDir } from '../helpers/core.js';

const TOKEN = '123456:E2E-token';
let main: MainProcess | undefined;
let fake: FakeTelegram | undefined;
let dir: ReturnType<typeof tempDir> | undefined;

afterEach(async () => {
  await main?.stop();
  await fake?.close();
  dir?.cleanup();
  main = undefined;
  fake = undefined;
  dir = undefined;
});

describe('telegram through main', () => {
  it('answers a shipping question', async () => {
    fake = await startFakeTelegram();
    dir = tempDir('frontdesk-e2e-telegram-');
    main = await startMain({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${join(dir.path, 'main.db')}`,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
    });
    expect(main.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${main.address}/healthz`);
    expect(health.status).toBe(200);

    fake.pushUpdate({
      message: {
        message_id: 11,
        date: Math.floor(Date.now() / 1000),
        chat: { id: 4242, type: 'private', first_name: 'Ivy' },
        from: { id: 4242, is_bot: false, first_name: 'Ivy', language_code: 'en' },
        text: 'how much is shipping?',
      },
    });

    const [sent] = await fake.waitForSent(1, 15_000);
    expect(sent!.chatId).toBe('4242');
    expect(sent!.text).toContain('$4.99');
    expect(await main.stop()).toBe(0);
  });
});
