import { afterEach, describe, expect, it } from 'vitest';
import { WhatsAppWebAdapter, type WhatsAppWebAdapterOptions } from '../../adapters/whatsapp/web/adapter.js';
import { ChannelSendError } from '../../src/bus/errors.js';
import type { OutboundMessage } from '../../src/bus/types.js';
import { ManualClock } from '../../src/clock.js';
import { BOT_USER, BOT_WID, fakeClientFactory, fakeMessage, type FakeWhatsAppClient } from '../fakes/whatsapp-client.js';
import { RecordingSink, flush } from './helpers.js';

const CUSTOMER = '5511987654321@c.us';
const GROUP = '120363025246125888@g.us';

let adapter: WhatsAppWebAdapter | undefined;

afterEach(async () => {
  await adapter?.stop();
  adapter = undefined;
});

async function startAdapter(options: WhatsAppWebAdapterOptions = {}) {
  const { factory, clients } = fakeClientFactory();
  const sink = new RecordingSink();
  adapter = new WhatsAppWebAdapter({ createClient: factory, showQr: () => {}, showPairingCode: () => {}, ...options });
  await adapter.start(sink);
  const client = clients[0] as FakeWhatsAppClient;
  return { adapter, sink, client, clients };
}

function outbound(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    channel: 'whatsapp',
    chatId: CUSTOMER,
    conversationId: 'c-1',
    text: 'Your order ships tomorrow.',
    kind: 'answer',
    locale: 'en',
    ...overrides,
  };
}

describe('WhatsApp Web inbound', () => {
  it('normalizes a direct text message', async () => {
    const { sink, client } = await startAdapter();
    const message = fakeMessage({ from: CUSTOMER, body: 'Where is my order?', notifyName: 'Maria' });
    client.receive(message);
    await flush();

    expect(sink.accepted).toHaveLength(1);
    const inbound = sink.accepted[0]!;
    expect(inbound.channel).toBe('whatsapp');
    expect(inbound.platformMessageId).toBe(message.id._serialized);
    expect(inbound.chatId).toBe(CUSTOMER);
    expect(inbound.sender).toEqual({ id: CUSTOMER, displayName: 'Maria' });
    expect(inbound.text).toBe('Where is my order?');
    expect(inbound.attachments).toEqual([]);
    expect(inbound.receivedAt.getTime()).toBe(message.timestamp * 1000);
  });

  it('ignores own messages', async () => {
    const { sink, client } = await startAdapter();
    client.emit('message_create', fakeMessage({ from: CUSTOMER, body: 'sent by the bot', fromMe: true }));
    client.emit('message', fakeMessage({ from: CUSTOMER, body: 'echo', fromMe: true }));
    await flush();
    expect(sink.accepted).toHaveLength(0);
  });

  it('ignores status broadcasts', async () => {
    const { sink, client } = await startAdapter();
    client.receive(fakeMessage({ from: 'status@broadcast', body: 'my holiday', type: 'image' }));
    await flush();
    expect(sink.accepted).toHaveLength(0);
  });

  it('ignores system notifications', async () => {
    const { sink, client } = await startAdapter();
    client.receive(fakeMessage({ from: CUSTOMER, type: 'e2e_notification' }));
    client.receive(fakeMessage({ from: CUSTOMER, type: 'revoked' }));
    await flush();
    expect(sink.accepted).toHaveLength(0);
  });

  it('answers groups only when mentioned or quoted', async () => {
    const { sink, client } = await startAdapter();
    const author = '5511911112222@c.us';
    const ownMessage = fakeMessage({ from: GROUP, fromMe: true, body: 'Earlier answer' });
    const otherMessage = fakeMessage({ from: GROUP, author: '5511933334444@c.us', body: 'unrelated' });

    client.receive(fakeMessage({ from: GROUP, author, body: 'hello everyone' }));
    client.receive(fakeMessage({ from: GROUP, author, body: 'see above', quoted: otherMessage }));
    await flush();
    expect(sink.accepted).toHaveLength(0);

    client.receive(fakeMessage({ from: GROUP, author, body: `@${BOT_USER} what are your hours?`, mentionedIds: [BOT_WID] }));
    await flush();
    expect(sink.accepted).toHaveLength(1);
    expect(sink.accepted[0]!.text).toBe('what are your hours?');
    expect(sink.accepted[0]!.chatId).toBe(GROUP);
    expect(sink.accepted[0]!.sender.id).toBe(author);

    client.receive(fakeMessage({ from: GROUP, author, body: 'and on Sunday?', quoted: ownMessage }));
    await flush();
    expect(sink.accepted).toHaveLength(2);
    expect(sink.accepted[1]!.text).toBe('and on Sunday?');
  });

  it('turns media into attachments', async () => {
    const { sink, client } = await startAdapter();
    const cases = [
      { init: { type: 'sticker', mimetype: 'image/webp' }, kind: 'sticker' },
      { init: { type: 'ptt', mimetype: 'audio/ogg; codecs=opus', duration: '7' }, kind: 'voice' },
      { init: { type: 'audio', mimetype: 'audio/mpeg' }, kind: 'audio' },
      { init: { type: 'image', mimetype: 'image/jpeg', body: 'broken screen' }, kind: 'image' },
      { init: { type: 'video', mimetype: 'video/mp4' }, kind: 'video' },
      { init: { type: 'document', mimetype: 'application/pdf', filename: 'invoice.pdf' }, kind: 'file' },
      { init: { type: 'location', location: { latitude: -23.55, longitude: -46.63, name: 'Store' } }, kind: 'location' },
      { init: { type: 'vcard', body: 'BEGIN:VCARD\nFN:Ana Souza\nEND:VCARD', vCards: ['BEGIN:VCARD\nFN:Ana Souza\nEND:VCARD'] }, kind: 'contact' },
      { init: { type: 'multi_vcard', vCards: ['BEGIN:VCARD\nFN:A\nEND:VCARD', 'BEGIN:VCARD\nFN:B\nEND:VCARD'] }, kind: 'contact' },
    ] as const;
    for (const { init } of cases) client.receive(fakeMessage({ from: CUSTOMER, ...init }));
    await flush();

    expect(sink.accepted.map((m) => m.attachments[0]?.kind)).toEqual(cases.map((c) => c.kind));
    const [, voice, , image, , document, location, contact, contacts] = sink.accepted;
    expect(voice!.attachments[0]!.meta).toEqual({ durationSeconds: 7 });
    expect(image!.text).toBe('broken screen');
    expect(image!.attachments[0]!.mimeType).toBe('image/jpeg');
    expect(document!.attachments[0]!.meta).toEqual({ fileName: 'invoice.pdf' });
    expect(location!.attachments[0]!.meta).toMatchObject({ latitude: -23.55, longitude: -46.63, name: 'Store' });
    expect(contact!.text).toBe('');
    expect(contact!.attachments[0]!.meta).toEqual({ names: ['Ana Souza'] });
    expect(contacts!.attachments[0]!.meta).toEqual({ names: ['A', 'B'] });
  });
});

describe('WhatsApp Web sending', () => {
  it('rejects sends before ready', async () => {
    const { adapter, client } = await startAdapter();
    const error = await adapter.send(outbound()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelSendError);
    expect((error as ChannelSendError).code).toBe('unavailable');
    expect((error as ChannelSendError).retryable).toBe(true);
    expect(client.sent).toHaveLength(0);
  });

  it('maps a TypeError from the client to unavailable', async () => {
    const { adapter, client } = await startAdapter();
    client.becomeReady();
    client.sendError = new TypeError("Cannot read properties of undefined (reading 'getChat')");
    const error = await adapter.send(outbound()).catch((e: unknown) => e);
    expect((error as ChannelSendError).code).toBe('unavailable');
  });

  it('splits long answers and quotes the first part', async () => {
    const { adapter, client } = await startAdapter({ maxTextLength: 120 });
    client.becomeReady();
    const text = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const receipt = await adapter.send(outbound({ text, replyToPlatformId: 'false_5511987654321@c.us_3EB0AA' }));

    expect(client.sent.length).toBeGreaterThan(1);
    expect(client.sent.every((sent) => sent.content.length <= 120)).toBe(true);
    expect(client.sent.map((sent) => sent.content).join(' ')).toBe(text);
    expect(client.sent[0]!.options).toEqual({ quotedMessageId: 'false_5511987654321@c.us_3EB0AA' });
    expect(client.sent[1]!.options).toEqual({});
    expect(receipt.platformMessageIds).toHaveLength(client.sent.length);
  });

  it('renders buttons as a numbered list', async () => {
    const { adapter, client } = await startAdapter();
    client.becomeReady();
    await adapter.send(outbound({
      text: 'How can I help?',
      buttons: [{ id: 'track', label: 'Track my order' }, { id: 'human', label: 'Talk to a person' }],
    }));
    expect(client.sent[0]!.content).toBe('How can I help?\n\nReply 1 for Track my order\nReply 2 for Talk to a person');
  });

  it('turns a numbered reply into an action', async () => {
    const clock = new ManualClock();
    const { adapter, client, sink } = await startAdapter({ clock, buttonTtlMs: 60_000 });
    client.becomeReady();
    const buttons = [{ id: 'track', label: 'Track' }, { id: 'human', label: 'Person' }];
    await adapter.send(outbound({ buttons }));

    const reply = fakeMessage({ from: CUSTOMER, body: ' 2 ' });
    client.receive(reply);
    await flush();
    expect(sink.accepted).toHaveLength(0);
    expect(sink.actions).toEqual([
      { channel: 'whatsapp', chatId: CUSTOMER, sender: { id: CUSTOMER, displayName: 'Maria' }, actionId: 'human', platformMessageId: reply.id._serialized },
    ]);

    // The offer was used up, so the same number is now plain text.
    client.receive(fakeMessage({ from: CUSTOMER, body: '2' }));
    await flush();
    expect(sink.accepted).toHaveLength(1);
  });

  it('treats numbered replies as text after the TTL', async () => {
    const clock = new ManualClock();
    const { adapter, client, sink } = await startAdapter({ clock, buttonTtlMs: 60_000 });
    client.becomeReady();
    await adapter.send(outbound({ buttons: [{ id: 'track', label: 'Track' }] }));

    client.receive(fakeMessage({ from: CUSTOMER, body: '3' }));
    clock.advance(60_000);
    client.receive(fakeMessage({ from: CUSTOMER, body: '1' }));
    await flush();
    expect(sink.actions).toHaveLength(0);
    expect(sink.accepted.map((m) => m.text)).toEqual(['3', '1']);
  });

  it('uses pt-BR wording for numbered buttons', async () => {
    const { adapter, client } = await startAdapter();
    client.becomeReady();
    await adapter.send(outbound({ text: 'Oi', locale: 'pt-BR', buttons: [{ id: 'a', label: 'Pedidos' }] }));
    expect(client.sent[0]!.content).toBe('Oi\n\nResponda 1 para Pedidos');
  });
});
