import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alice, privateMessage, startHarness, waitUntil, type Harness } from './helpers.js';

describe('Telegram inbound normalization', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  async function receive(message: Record<string, unknown>) {
    const before = h.sink.accepted.length;
    h.fake.pushUpdate({ message });
    await waitUntil(() => h.sink.accepted.length > before, 'an accepted message');
    return h.sink.accepted.at(-1)!;
  }

  it('normalizes a text message', async () => {
    const message = privateMessage({ text: 'Where is my order?' });
    const inbound = await receive(message);
    expect(inbound).toEqual({
      channel: 'telegram',
      platformMessageId: `${alice.id}:${message.message_id}`,
      chatId: String(alice.id),
      sender: { id: String(alice.id), displayName: 'Alice Moreira', locale: 'pt-br' },
      text: 'Where is my order?',
      attachments: [],
      receivedAt: new Date(h.clock.now()),
    });
  });

  it('uses the username when the name is missing', async () => {
    const from = { id: 777, is_bot: false, first_name: '', username: 'carla' };
    const inbound = await receive(privateMessage({ text: 'hi' }, from));
    expect(inbound.sender.displayName).toBe('carla');
    expect(inbound.sender.locale).toBeUndefined();
  });

  it('sets replyTo from reply_to_message', async () => {
    const original = privateMessage({ text: 'first' });
    const inbound = await receive(privateMessage({ text: 'second', reply_to_message: original }));
    expect(inbound.replyTo).toBe(`${alice.id}:${original.message_id}`);
  });

  it('uses the caption of a photo as text', async () => {
    const photo = [
      { file_id: 'small', file_unique_id: 's', width: 90, height: 60 },
      { file_id: 'large', file_unique_id: 'l', width: 1280, height: 853 },
    ];
    const inbound = await receive(privateMessage({ photo, caption: 'This arrived broken' }));
    expect(inbound.text).toBe('This arrived broken');
    expect(inbound.attachments).toEqual([
      { kind: 'image', fileId: 'large', mimeType: 'image/jpeg', meta: { width: 1280, height: 853 } },
    ]);
  });

  const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    [
      'sticker',
      { sticker: { file_id: 'st1', file_unique_id: 'u', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '😀', set_name: 'pack' } },
      { kind: 'sticker', fileId: 'st1', meta: { emoji: '😀', setName: 'pack', animated: false } },
    ],
    [
      'voice',
      { voice: { file_id: 'v1', file_unique_id: 'u', duration: 7, mime_type: 'audio/ogg' } },
      { kind: 'voice', fileId: 'v1', mimeType: 'audio/ogg', meta: { durationSeconds: 7 } },
    ],
    [
      'audio',
      { audio: { file_id: 'a1', file_unique_id: 'u', duration: 180, title: 'Song', performer: 'Band', file_name: 'song.mp3', mime_type: 'audio/mpeg' } },
      { kind: 'audio', fileId: 'a1', mimeType: 'audio/mpeg', meta: { durationSeconds: 180, title: 'Song', performer: 'Band', fileName: 'song.mp3' } },
    ],
    [
      'video',
      { video: { file_id: 'vd1', file_unique_id: 'u', width: 640, height: 480, duration: 12, mime_type: 'video/mp4' } },
      { kind: 'video', fileId: 'vd1', mimeType: 'video/mp4', meta: { durationSeconds: 12, width: 640, height: 480 } },
    ],
    [
      'video note',
      { video_note: { file_id: 'vn1', file_unique_id: 'u', length: 240, duration: 5 } },
      { kind: 'video', fileId: 'vn1', mimeType: 'video/mp4', meta: { durationSeconds: 5, round: true } },
    ],
    [
      'document',
      { document: { file_id: 'd1', file_unique_id: 'u', file_name: 'invoice.pdf', mime_type: 'application/pdf', file_size: 2048 } },
      { kind: 'file', fileId: 'd1', mimeType: 'application/pdf', meta: { fileName: 'invoice.pdf', sizeBytes: 2048 } },
    ],
    [
      'location',
      { location: { latitude: -23.55, longitude: -46.63 } },
      { kind: 'location', meta: { latitude: -23.55, longitude: -46.63 } },
    ],
    [
      'venue',
      { location: { latitude: 1, longitude: 2 }, venue: { location: { latitude: 1, longitude: 2 }, title: 'Store', address: 'Main St 1' } },
      { kind: 'location', meta: { latitude: 1, longitude: 2, title: 'Store', address: 'Main St 1' } },
    ],
    [
      'contact',
      { contact: { phone_number: '+5511999990000', first_name: 'Rita', user_id: 42 } },
      { kind: 'contact', meta: { phoneNumber: '+5511999990000', firstName: 'Rita', lastName: undefined, userId: 42 } },
    ],
    [
      'poll',
      { poll: { id: 'p', question: 'Q', options: [], total_voter_count: 0, is_closed: false, is_anonymous: true, type: 'regular', allows_multiple_answers: false } },
      { kind: 'other', meta: { type: 'poll' } },
    ],
  ];

  it.each(cases)('normalizes a %s into one attachment', async (_name, fields, expected) => {
    const inbound = await receive(privateMessage(fields));
    expect(inbound.text).toBe('');
    expect(inbound.attachments).toEqual([expected]);
  });

  it('reports an animation once, not also as a document', async () => {
    const animation = { file_id: 'g1', file_unique_id: 'u', width: 1, height: 1, duration: 3, mime_type: 'video/mp4' };
    const inbound = await receive(privateMessage({ animation, document: { file_id: 'g1', file_unique_id: 'u' } }));
    expect(inbound.attachments).toEqual([
      { kind: 'video', fileId: 'g1', mimeType: 'video/mp4', meta: { durationSeconds: 3, animation: true } },
    ]);
  });

  it('accepts an edit as a new message with its own id', async () => {
    const message = privateMessage({ text: 'order 1234' });
    await receive(message);
    h.fake.pushUpdate({ edited_message: { ...message, text: 'order 1243', edit_date: 1_767_225_700 } });
    await waitUntil(() => h.sink.accepted.length === 2, 'the edit');
    const edit = h.sink.accepted[1]!;
    expect(edit.platformMessageId).toBe(`${alice.id}:${message.message_id}:edit:1767225700`);
    expect(edit.text).toBe('order 1243');
  });

  it('skips service messages without content', async () => {
    h.fake.pushUpdate({ message: privateMessage({ new_chat_title: 'x' }) });
    const next = privateMessage({ text: 'after' });
    await receive(next);
    expect(h.sink.acceptCalls).toBe(1);
    expect(h.sink.accepted[0]!.text).toBe('after');
  });

  it('handles a repeated update only once', async () => {
    const update = { update_id: 900, message: privateMessage({ text: 'once' }) };
    h.fake.pushUpdates([update, update, { update_id: 901, message: privateMessage({ text: 'next' }) }]);
    await waitUntil(() => h.sink.accepted.length === 2, 'two messages');
    expect(h.sink.acceptCalls).toBe(2);
    expect(h.sink.accepted.map((m) => m.text)).toEqual(['once', 'next']);
  });

  it('accepts a burst from many chats', async () => {
    const updates = Array.from({ length: 50 }, (_, i) => ({
      message: privateMessage({ text: `m${i}` }, { ...alice, id: 1000 + i }),
    }));
    h.fake.pushUpdates(updates);
    await waitUntil(() => h.sink.accepted.length === 50, 'fifty messages');
    expect(new Set(h.sink.accepted.map((m) => m.chatId)).size).toBe(50);
  });
});
