import { afterEach, describe, expect, it } from 'vitest';
import { ChannelSendError } from '../../src/bus/errors.js';
import { telegramErrors } from '../fakes/telegram-api.js';
import { manualSleep, outbound, privateMessage, startHarness, waitUntil, type Harness } from './helpers.js';

describe('Telegram sending', () => {
  let h: Harness;

  afterEach(async () => {
    await h.close();
  });

  it('sends HTML and returns the platform id', async () => {
    h = await startHarness();
    const receipt = await h.adapter.send(outbound('501', 'Your **order 42** costs < R$ 10 & ships today'));
    expect(receipt.platformMessageIds).toEqual(['501:1']);
    expect(h.fake.sent[0]).toMatchObject({
      chatId: '501',
      parseMode: 'HTML',
      text: 'Your <b>order 42</b> costs &lt; R$ 10 &amp; ships today',
    });
  });

  it('splits a long answer under 4096 characters', async () => {
    h = await startHarness();
    const paragraph = `${'Our return policy covers most items bought in the last 30 days. '.repeat(20)}`.trim();
    const text = Array.from({ length: 8 }, () => paragraph).join('\n\n');
    const receipt = await h.adapter.send(outbound('501', text));
    expect(receipt.platformMessageIds.length).toBeGreaterThan(1);
    expect(h.fake.sent).toHaveLength(receipt.platformMessageIds.length);
    for (const message of h.fake.sent) {
      expect(message.text.length).toBeLessThanOrEqual(4096);
      expect(message.text.startsWith('Our return policy')).toBe(true);
    }
    expect(h.fake.sent.map((m) => m.text).join('\n\n')).toBe(text);
  });

  it('keeps emoji intact at the split point', async () => {
    h = await startHarness();
    const text = '👩‍💻'.repeat(2000);
    await h.adapter.send(outbound('501', text));
    expect(h.fake.sent.length).toBeGreaterThan(1);
    expect(h.fake.sent.map((m) => m.text).join('')).toBe(text);
    for (const message of h.fake.sent) expect(message.text).toMatch(/^(👩‍💻)+$/u);
  });

  it('resends as plain text after a parse error', async () => {
    h = await startHarness();
    h.fake.failNext('sendMessage', telegramErrors.cantParseEntities());
    const receipt = await h.adapter.send(outbound('501', 'Use **code 10%** at checkout'));
    expect(receipt.platformMessageIds).toEqual(['501:1']);
    expect(h.fake.sent[0]!.text).toBe('Use code 10% at checkout');
    expect(h.fake.sent[0]!.parseMode).toBeUndefined();
    expect(h.fake.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(2);
  });

  it('waits out a 429 for one chat while others send', async () => {
    const timer = manualSleep();
    h = await startHarness({ sleep: timer.sleep });
    h.fake.failNext('sendMessage', telegramErrors.tooManyRequests(7), { chatId: 601 });

    const first = h.adapter.send(outbound('601', 'to chat A'));
    const queued = h.adapter.send(outbound('601', 'second to chat A'));
    await waitUntil(() => timer.requested.length === 1, 'the retry_after wait');
    expect(timer.requested).toEqual([7000]);

    await h.adapter.send(outbound('602', 'to chat B'));
    expect(h.fake.sent.map((m) => m.chatId)).toEqual(['602']);

    timer.release();
    await first;
    await queued;
    expect(h.fake.sent.map((m) => m.text)).toEqual(['to chat B', 'to chat A', 'second to chat A']);
  });

  it('gives up after the retry limit', async () => {
    const timer = manualSleep();
    h = await startHarness({ sleep: timer.sleep, maxRateLimitRetries: 1 });
    h.fake.failNext('sendMessage', telegramErrors.tooManyRequests(2), { times: 2 });
    const sending = h.adapter.send(outbound('601', 'hello'));
    await waitUntil(() => timer.requested.length === 1, 'the first wait');
    timer.release();
    const error = await sending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelSendError);
    expect((error as ChannelSendError).code).toBe('rate_limited');
    expect((error as ChannelSendError).retryAfterMs).toBe(2000);
  });

  it('returns a long retry_after to the caller at once', async () => {
    const timer = manualSleep();
    h = await startHarness({ sleep: timer.sleep, maxRetryAfterMs: 5000 });
    h.fake.failNext('sendMessage', telegramErrors.tooManyRequests(30));
    const error = await h.adapter.send(outbound('601', 'hello')).catch((e: unknown) => e);
    expect((error as ChannelSendError).code).toBe('rate_limited');
    expect((error as ChannelSendError).retryAfterMs).toBe(30_000);
    expect(timer.requested).toEqual([]);
  });

  it('marks a blocking chat and stops sending', async () => {
    h = await startHarness();
    h.fake.failNext('sendMessage', telegramErrors.blocked());
    const error = await h.adapter.send(outbound('701', 'hello')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelSendError);
    expect((error as ChannelSendError).code).toBe('blocked');

    const again = await h.adapter.send(outbound('701', 'hello again')).catch((e: unknown) => e);
    expect((again as ChannelSendError).code).toBe('blocked');
    const typing = await h.adapter.typing('701').catch((e: unknown) => e);
    expect((typing as ChannelSendError).code).toBe('blocked');
    expect(h.fake.calls.filter((c) => c.method === 'sendMessage' || c.method === 'sendChatAction')).toHaveLength(1);
  });

  it('sends again after the customer writes', async () => {
    h = await startHarness();
    h.fake.failNext('sendMessage', telegramErrors.blocked());
    await h.adapter.send(outbound('501', 'hello')).catch(() => undefined);
    h.fake.pushUpdate({ message: privateMessage({ text: 'I am back' }) });
    await waitUntil(() => h.sink.accepted.length === 1, 'the new message');
    await h.adapter.send(outbound('501', 'welcome back'));
    expect(h.fake.sent.map((m) => m.text)).toEqual(['welcome back']);
  });

  it('blocks on my_chat_member kicked', async () => {
    h = await startHarness();
    const chat = { id: 501, type: 'private', first_name: 'Alice' };
    const user = { id: 501, is_bot: false, first_name: 'Alice' };
    const bot = { id: h.fake.botId, is_bot: true, first_name: 'Frontdesk' };
    h.fake.pushUpdate({
      my_chat_member: {
        chat,
        from: user,
        date: 1,
        old_chat_member: { status: 'member', user: bot },
        new_chat_member: { status: 'kicked', user: bot, until_date: 0 },
      },
    });
    await waitUntil(() => h.adapter['sender'].isBlocked('501'), 'the block');
    const error = await h.adapter.send(outbound('501', 'hi')).catch((e: unknown) => e);
    expect((error as ChannelSendError).code).toBe('blocked');
  });

  it.each([
    [400, 'Bad Request: chat not found', 'bad_request'],
    [502, 'Bad Gateway', 'unavailable'],
    [401, 'Unauthorized', 'unavailable'],
  ] as const)('maps %i %s to %s', async (status, description, code) => {
    h = await startHarness();
    h.fake.failNext('sendMessage', { status, body: { ok: false, error_code: status, description } });
    const error = await h.adapter.send(outbound('501', 'x')).catch((e: unknown) => e);
    expect((error as ChannelSendError).code).toBe(code);
  });

  it('maps a network failure to transport', async () => {
    h = await startHarness();
    await h.adapter.stop();
    await h.fake.close();
    const error = await h.adapter.send(outbound('501', 'x')).catch((e: unknown) => e);
    expect((error as ChannelSendError).code).toBe('transport');
  });

  it('rejects an empty text', async () => {
    h = await startHarness();
    const error = await h.adapter.send(outbound('501', '  ')).catch((e: unknown) => e);
    expect((error as ChannelSendError).code).toBe('bad_request');
    expect(h.fake.sent).toHaveLength(0);
  });

  it('attaches buttons to the last chunk', async () => {
    h = await startHarness();
    const buttons = ['1', '2', '3', '4', '5'].map((n) => ({ id: `rate:${n}`, label: n }));
    await h.adapter.send(outbound('501', `${'word '.repeat(1000)}\n\n${'more '.repeat(200)}`, { buttons }));
    const [first, last] = [h.fake.sent[0]!, h.fake.sent.at(-1)!];
    expect(h.fake.sent.length).toBeGreaterThan(1);
    expect(first.replyMarkup).toBeUndefined();
    expect(last.replyMarkup).toEqual({ inline_keyboard: [buttons.map((b) => ({ text: b.label, callback_data: b.id }))] });
  });

  it('puts long labels on their own rows', async () => {
    h = await startHarness();
    const buttons = [
      { id: 'handoff', label: 'Talk to a person' },
      { id: 'faq', label: 'Read the FAQ' },
    ];
    await h.adapter.send(outbound('501', 'Choose', { buttons }));
    expect(h.fake.sent[0]!.replyMarkup).toEqual({
      inline_keyboard: [[{ text: 'Talk to a person', callback_data: 'handoff' }], [{ text: 'Read the FAQ', callback_data: 'faq' }]],
    });
  });

  it('rejects a button id over 64 bytes', async () => {
    h = await startHarness();
    const error = await h.adapter.send(outbound('501', 'x', { buttons: [{ id: 'é'.repeat(33), label: 'x' }] })).catch((e: unknown) => e);
    expect((error as ChannelSendError).code).toBe('bad_request');
    expect(h.fake.sent).toHaveLength(0);
  });

  it('replies to the inbound message', async () => {
    h = await startHarness();
    await h.adapter.send(outbound('-100', 'answer', { replyToPlatformId: '-100:55' }));
    expect(h.fake.sent[0]!.replyToMessageId).toBe(55);
  });

  it('sends a typing action', async () => {
    h = await startHarness();
    await h.adapter.typing('501');
    const [call] = await h.fake.waitForCalls('sendChatAction', 1);
    expect(call!.params).toMatchObject({ chat_id: '501', action: 'typing' });
  });
});
