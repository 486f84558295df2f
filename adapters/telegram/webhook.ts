/** Webhook mode: the Fastify route Telegram posts updates to. */

import { webhookCallback, type Bot } from 'grammy';
import type { HttpMount } from '../../src/bus/types.js';

/** Route Telegram posts updates to; fixed by the public HTTP contract. */
export const TELEGRAM_WEBHOOK_PATH = '/telegram/webhook';

/**
 * Register `POST /telegram/webhook` on `app`. grammy compares the
 * `X-Telegram-Bot-Api-Secret-Token` header with `secretToken` and returns 401 when it is
 * wrong or missing. Otherwise it runs the bot's middleware and returns 200 once the update
 * was handled, so a failed hand-off gets a 500 and Telegram delivers the update again.
 */
export function mountTelegramWebhook(app: HttpMount, bot: Bot, secretToken: string): void {
  const handleUpdate = webhookCallback(bot, 'fastify', {
    secretToken,
    // The handler only persists the update. If that takes longer, the request fails with a
    // 500, Telegram delivers the update again and the core's deduplication drops a copy.
    timeoutMilliseconds: 10_000,
    onTimeout: 'throw',
  });
  app.post(TELEGRAM_WEBHOOK_PATH, async (request, reply) => {
    await handleUpdate(request, reply);
    return reply;
  });
}
