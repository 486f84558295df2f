import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';

describe('fake Telegram Bot API', () => {
  let fake: FakeTelegram;

  beforeEach(async () => {
    fake = await startFakeTelegram();
  });
  afterEach(async () => {
    await fake.close();
  });

  const call = async (method: string, init: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${fake.apiRoot}/bot1:x/${method}`, { method: 'POST', ...init });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const json = (body: unknown): RequestInit => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it.each([
    ['a < b', 'Unexpected start tag'],
    ['<b>open', "Can't find end tag"],
    ['<script>x</script>', 'Unsupported start tag'],
    ['fish & chips', 'Character entity expected'],
  ])('rejects invalid HTML %j', async (text, detail) => {
    const { status, body } = await call('sendMessage', json({ chat_id: 1, text, parse_mode: 'HTML' }));
    expect(status).toBe(400);
    expect(body.description).toMatch(/^Bad Request: can't parse entities: /);
    expect(body.description).toContain(detail);
    expect(fake.sent).toHaveLength(0);
  });

  it('accepts valid HTML', async () => {
    const { status } = await call('sendMessage', json({ chat_id: 1, text: '<b>a &lt; b</b> &amp; c', parse_mode: 'HTML' }));
    expect(status).toBe(200);
    expect(fake.sent[0]!.text).toBe('<b>a &lt; b</b> &amp; c');
  });

  it('parses form-encoded and multipart bodies', async () => {
    await call('sendMessage', { body: new URLSearchParams({ chat_id: '5', text: 'form' }) });
    const form = new FormData();
    form.set('chat_id', '6');
    form.set('text', 'multipart');
    form.set('reply_markup', JSON.stringify({ inline_keyboard: [] }));
    await call('sendMessage', { body: form });
    expect(fake.sent.map((m) => [m.chatId, m.text])).toEqual([
      ['5', 'form'],
      ['6', 'multipart'],
    ]);
    expect(fake.sent[1]!.replyMarkup).toEqual({ inline_keyboard: [] });
  });

  it('returns a scripted 429 with retry_after', async () => {
    fake.failNext('sendMessage', { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } } });
    const first = await call('sendMessage', json({ chat_id: 1, text: 'x' }));
    const second = await call('sendMessage', json({ chat_id: 1, text: 'x' }));
    expect(first.status).toBe(429);
    expect(first.body.parameters).toEqual({ retry_after: 3 });
    expect(second.status).toBe(200);
  });

  it('releases a long poll when an update arrives', async () => {
    const poll = call('getUpdates', json({ offset: 0, timeout: 20 }));
    await fake.waitForCalls('getUpdates', 1);
    fake.pushUpdate({ message: { message_id: 1 } });
    const { body } = await poll;
    expect(body.result).toEqual([{ update_id: 1, message: { message_id: 1 } }]);
  });

  it('drops updates below the offset', async () => {
    fake.pushUpdates([{ message: {} }, { message: {} }, { message: {} }]);
    const { body } = await call('getUpdates', json({ offset: 3 }));
    expect((body.result as Array<{ update_id: number }>).map((u) => u.update_id)).toEqual([3]);
  });

  it('returns 404 for an unknown method', async () => {
    const { status } = await call('sendPigeon', json({}));
    expect(status).toBe(404);
  });
});
