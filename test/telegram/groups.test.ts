import { afterEach, describe, expect, it } from 'vitest';
import { telegramErrors } from '../fakes/telegram-api.js';
import { groupMessage, outbound, startHarness, waitUntil, type Harness } from './helpers.js';

const GROUP = -1001;

describe('Telegram group policy', () => {
  let h: Harness;

  afterEach(async () => {
    await h.close();
  });

  /** Push `ignored` then a marker that is addressed to the bot; return what was accepted. */
  async function acceptedAfter(ignored: Record<string, unknown>): Promise<string[]> {
    const username = h.fake.botUsername;
    h.fake.pushUpdate({ message: ignored });
    h.fake.pushUpdate({
      message: groupMessage(GROUP, { text: `@${username} marker`, entities: [{ type: 'mention', offset: 0, length: username.length + 1 }] }),
    });
    await waitUntil(() => h.sink.accepted.some((m) => m.text === 'marker'), 'the marker message');
    return h.sink.accepted.map((m) => m.text);
  }

  it('ignores a group message without a mention', async () => {
    h = await startHarness();
    expect(await acceptedAfter(groupMessage(GROUP, { text: 'talking among ourselves' }))).toEqual(['marker']);
  });

  it('accepts a mention and strips it', async () => {
    h = await startHarness();
    const handle = `@${h.fake.botUsername}`;
    const text = `hey ${handle} where is my refund?`;
    h.fake.pushUpdate({ message: groupMessage(GROUP, { text, entities: [{ type: 'mention', offset: 4, length: handle.length }] }) });
    await waitUntil(() => h.sink.accepted.length === 1, 'the mention');
    expect(h.sink.accepted[0]!.text).toBe('hey where is my refund?');
    expect(h.sink.accepted[0]!.chatId).toBe(String(GROUP));
  });

  it('ignores a mention of another user', async () => {
    h = await startHarness();
    const message = groupMessage(GROUP, { text: '@someone_else hi', entities: [{ type: 'mention', offset: 0, length: 13 }] });
    expect(await acceptedAfter(message)).toEqual(['marker']);
  });

  it('accepts a text_mention of the bot', async () => {
    h = await startHarness();
    const bot = { id: h.fake.botId, is_bot: true, first_name: 'Frontdesk' };
    const text = 'Frontdesk can you help';
    h.fake.pushUpdate({ message: groupMessage(GROUP, { text, entities: [{ type: 'text_mention', offset: 0, length: 9, user: bot }] }) });
    await waitUntil(() => h.sink.accepted.length === 1, 'the text mention');
    expect(h.sink.accepted[0]!.text).toBe(text);
  });

  it('accepts a reply to the bot', async () => {
    h = await startHarness();
    const botMessage = groupMessage(GROUP, { text: 'How can I help?', from: { id: h.fake.botId, is_bot: true, first_name: 'Frontdesk' } });
    h.fake.pushUpdate({ message: groupMessage(GROUP, { text: 'my card was charged twice', reply_to_message: botMessage }, 'supergroup') });
    await waitUntil(() => h.sink.accepted.length === 1, 'the reply');
    expect(h.sink.accepted[0]!.text).toBe('my card was charged twice');
  });

  it('ignores a reply to another user', async () => {
    h = await startHarness();
    const other = groupMessage(GROUP, { text: 'hello' });
    expect(await acceptedAfter(groupMessage(GROUP, { text: 'hi', reply_to_message: other }))).toEqual(['marker']);
  });

  it('accepts a caption mention', async () => {
    h = await startHarness();
    const handle = `@${h.fake.botUsername}`;
    const photo = [{ file_id: 'p', file_unique_id: 'p', width: 1, height: 1 }];
    h.fake.pushUpdate({
      message: groupMessage(GROUP, { photo, caption: `${handle} broken item`, caption_entities: [{ type: 'mention', offset: 0, length: handle.length }] }),
    });
    await waitUntil(() => h.sink.accepted.length === 1, 'the caption mention');
    expect(h.sink.accepted[0]!.text).toBe('broken item');
    expect(h.sink.accepted[0]!.attachments).toHaveLength(1);
  });

  it('honours the botUsername option', async () => {
    h = await startHarness({ botUsername: 'shop_help_bot' });
    h.fake.pushUpdate({ message: groupMessage(GROUP, { text: '@shop_help_bot hi', entities: [{ type: 'mention', offset: 0, length: 14 }] }) });
    await waitUntil(() => h.sink.accepted.length === 1, 'the mention');
    expect(h.sink.accepted[0]!.text).toBe('hi');
  });
});

describe('Telegram group migration', () => {
  let h: Harness;

  afterEach(async () => {
    await h.close();
  });

  it('keeps the conversation and sends to the new id', async () => {
    const migrations: Array<[string, string]> = [];
    h = await startHarness({ onChatMigrated: (oldId, newId) => void migrations.push([oldId, newId]) });
    const handle = `@${h.fake.botUsername}`;
    const newId = -1009876;
    h.fake.pushUpdate({ message: groupMessage(GROUP, { migrate_to_chat_id: newId }) });
    h.fake.pushUpdate({ message: groupMessage(newId, { migrate_from_chat_id: GROUP }, 'supergroup') });
    h.fake.pushUpdate({
      message: groupMessage(newId, { text: `${handle} still there?`, entities: [{ type: 'mention', offset: 0, length: handle.length }] }, 'supergroup'),
    });
    await waitUntil(() => h.sink.accepted.length === 1, 'the message in the supergroup');

    expect(migrations).toEqual([[String(GROUP), String(newId)]]);
    const inbound = h.sink.accepted[0]!;
    expect(inbound.chatId).toBe(String(GROUP));
    expect(inbound.platformMessageId.startsWith(`${newId}:`)).toBe(true);

    const receipt = await h.adapter.send(outbound(String(GROUP), 'Yes!'));
    expect(h.fake.sent[0]!.chatId).toBe(String(newId));
    expect(receipt.platformMessageIds).toEqual([`${newId}:1`]);
  });

  it('uses aliases loaded at start-up', async () => {
    h = await startHarness({ chatAliases: [['-55', '-10055']] });
    await h.adapter.send(outbound('-55', 'hello'));
    expect(h.fake.sent[0]!.chatId).toBe('-10055');
  });

  it('follows a migration reported by sendMessage', async () => {
    const migrations: Array<[string, string]> = [];
    h = await startHarness({ onChatMigrated: (oldId, newId) => void migrations.push([oldId, newId]) });
    h.fake.failNext('sendMessage', telegramErrors.chatMigrated(-100777), { chatId: -777 });
    await h.adapter.send(outbound('-777', 'hello group'));
    expect(migrations).toEqual([['-777', '-100777']]);
    expect(h.fake.sent.map((m) => m.chatId)).toEqual(['-100777']);
  });
});
