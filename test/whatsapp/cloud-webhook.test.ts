import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { WhatsAppCloudAdapter, type DeliveryStatus } from '../../adapters/whatsapp/cloud/adapter.js';
import { ManualClock } from '../../src/clock.js';
import { signBody, webhookBody } from '../fakes/graph-api.js';
import { RecordingSink } from './helpers.js';

const SECRET = 'app-secret-for-tests';
const VERIFY = 'verify-token-for-tests';
const PHONE_ID = '106540352242922';
const CUSTOMER = '5511987654321';

let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function startServer() {
  const sink = new RecordingSink();
  const statuses: DeliveryStatus[] = [];
  const adapter = new WhatsAppCloudAdapter({
    token: 'graph-token',
    phoneId: PHONE_ID,
    appSecret: SECRET,
    verifyToken: VERIFY,
    apiUrl: 'http://127.0.0.1:9/v21.0',
    clock: new ManualClock(Date.UTC(2026, 0, 1, 12)),
    onStatus: (status) => void statuses.push(status),
  });
  app = Fastify();
  app.post('/echo', async (request) => ({ received: request.body }));
  await adapter.mount(app);
  await adapter.start(sink);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { base, sink, statuses, adapter };
}

function post(base: string, body: string, signature?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['x-hub-signature-256'] = signature;
  return fetch(`${base}/whatsapp/webhook`, { method: 'POST', headers, body });
}

function postSigned(base: string, payload: unknown) {
  const raw = JSON.stringify(payload);
  return post(base, raw, signBody(raw, SECRET));
}

function textMessage(id: string, body: string) {
  return { from: CUSTOMER, id, timestamp: '1767268800', type: 'text', text: { body } };
}

describe('WhatsApp webhook verification', () => {
  it('returns the challenge for the right token', async () => {
    const { base } = await startServer();
    const response = await fetch(`${base}/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('1158201444');
  });

  it('rejects a wrong token or mode', async () => {
    const { base } = await startServer();
    const wrongToken = await fetch(`${base}/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    expect(wrongToken.status).toBe(403);
    const wrongMode = await fetch(`${base}/whatsapp/webhook?hub.mode=unsubscribe&hub.verify_token=${VERIFY}&hub.challenge=1`);
    expect(wrongMode.status).toBe(403);
  });
});

describe('WhatsApp webhook signature', () => {
  it('accepts a correctly signed body', async () => {
    const { base, sink } = await startServer();
    const response = await postSigned(base, webhookBody({ messages: [textMessage('wamid.A1', 'Hi')] }));
    expect(response.status).toBe(200);
    expect(sink.accepted.map((m) => m.text)).toEqual(['Hi']);
  });

  it('rejects a missing signature', async () => {
    const { base, sink } = await startServer();
    const response = await post(base, JSON.stringify(webhookBody({ messages: [textMessage('wamid.A1', 'Hi')] })));
    expect(response.status).toBe(401);
    expect(sink.accepted).toHaveLength(0);
  });

  it('rejects a wrong signature', async () => {
    const { base, sink } = await startServer();
    const raw = JSON.stringify(webhookBody({ messages: [textMessage('wamid.A1', 'Hi')] }));
    expect((await post(base, raw, signBody(raw, 'another-secret'))).status).toBe(401);
    expect((await post(base, raw, 'sha256=abc')).status).toBe(401);
    expect((await post(base, `${raw} `, signBody(raw, SECRET))).status).toBe(401);
    expect(sink.accepted).toHaveLength(0);
  });

  it('rejects signed invalid JSON', async () => {
    const { base } = await startServer();
    const raw = '{"object": "whatsapp_business_account",';
    expect((await post(base, raw, signBody(raw, SECRET))).status).toBe(400);
  });

  it('leaves other routes parsing JSON', async () => {
    const { base } = await startServer();
    const response = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await response.json()).toEqual({ received: { a: 1 } });
  });
});

describe('WhatsApp webhook events', () => {
  it('records statuses without answering', async () => {
    const { base, sink, statuses } = await startServer();
    const events: object[] = ['sent', 'delivered', 'read'].map((status) => ({ id: 'wamid.OUT1', status, timestamp: '1767268800', recipient_id: CUSTOMER }));
    events.push({ id: 'wamid.OUT2', status: 'failed', timestamp: '1767268801', recipient_id: CUSTOMER, errors: [{ code: 131026, title: 'Message undeliverable.' }] });
    expect((await postSigned(base, webhookBody({ statuses: events }))).status).toBe(200);

    expect(statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'read', 'failed']);
    expect(statuses[3]).toMatchObject({ platformMessageId: 'wamid.OUT2', chatId: CUSTOMER, errors: [{ code: 131026, title: 'Message undeliverable.' }] });
    expect(statuses[0]!.at.getTime()).toBe(1_767_268_800_000);
    expect(sink.accepted).toHaveLength(0);
    expect(sink.actions).toHaveLength(0);
  });

  it('accepts concurrent duplicates once', async () => {
    const { base, sink } = await startServer();
    const payload = webhookBody({ messages: [textMessage('wamid.DUP', 'Where is my order?')] });
    const responses = await Promise.all(Array.from({ length: 6 }, () => postSigned(base, payload)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(sink.accepted).toHaveLength(1);
  });

  it('presses a button once under duplicates', async () => {
    const { base, sink } = await startServer();
    const press = { from: CUSTOMER, id: 'wamid.PRESS', type: 'interactive', context: { from: '15550783881', id: 'wamid.OUT9' }, interactive: { type: 'button_reply', button_reply: { id: 'track', title: 'Track order' } } };
    await Promise.all(Array.from({ length: 4 }, () => postSigned(base, webhookBody({ messages: [press] }))));
    expect(sink.actions).toEqual([{ channel: 'whatsapp', chatId: CUSTOMER, sender: { id: CUSTOMER, displayName: undefined }, actionId: 'track', platformMessageId: 'wamid.OUT9' }]);
    expect(sink.accepted).toHaveLength(0);
  });

  it('normalizes every message type', async () => {
    const { base, sink } = await startServer();
    const m = (id: string, type: string, extra: object) => ({ from: CUSTOMER, id, timestamp: '1767268800', type, ...extra });
    const messages = [
      m('w1', 'text', { text: { body: 'hello' } }),
      m('w2', 'image', { image: { id: 'media-1', mime_type: 'image/jpeg', caption: 'my receipt' } }),
      m('w3', 'audio', { audio: { id: 'media-2', mime_type: 'audio/ogg; codecs=opus', voice: true } }),
      m('w4', 'audio', { audio: { id: 'media-3', mime_type: 'audio/mpeg' } }),
      m('w5', 'video', { video: { id: 'media-4', mime_type: 'video/mp4' } }),
      m('w6', 'document', { document: { id: 'media-5', mime_type: 'application/pdf', filename: 'invoice.pdf', caption: 'see this' } }),
      m('w7', 'sticker', { sticker: { id: 'media-6', mime_type: 'image/webp', animated: false } }),
      m('w8', 'location', { location: { latitude: -23.55, longitude: -46.63, name: 'Store', address: 'Av. Paulista' } }),
      m('w9', 'contacts', { contacts: [{ name: { formatted_name: 'Ana Souza' } }] }),
      m('w10', 'button', { button: { payload: 'continue', text: 'Continue' } }),
      m('w11', 'interactive', { interactive: { type: 'list_reply', list_reply: { id: 'faq-returns', title: 'Returns' } } }),
      m('w12', 'reaction', { reaction: { message_id: 'wamid.OUT1', emoji: '👍' } }),
    ];
    const contacts = [{ wa_id: CUSTOMER, profile: { name: 'Maria' } }];
    expect((await postSigned(base, webhookBody({ messages, contacts }))).status).toBe(200);

    const byId = new Map(sink.accepted.map((msg) => [msg.platformMessageId, msg]));
    expect([...byId.keys()]).toEqual(['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9', 'w10']);
    expect(byId.get('w1')).toMatchObject({ chatId: CUSTOMER, text: 'hello', attachments: [], sender: { id: CUSTOMER, displayName: 'Maria' } });
    expect(byId.get('w2')).toMatchObject({ text: 'my receipt', attachments: [{ kind: 'image', mimeType: 'image/jpeg', fileId: 'media-1' }] });
    expect(byId.get('w3')!.attachments[0]!.kind).toBe('voice');
    expect(byId.get('w4')!.attachments[0]!.kind).toBe('audio');
    expect(byId.get('w5')!.attachments[0]!.kind).toBe('video');
    expect(byId.get('w6')).toMatchObject({ text: 'see this', attachments: [{ kind: 'file', meta: { fileName: 'invoice.pdf' } }] });
    expect(byId.get('w7')!.attachments[0]!.kind).toBe('sticker');
    expect(byId.get('w8')!.attachments[0]).toEqual({ kind: 'location', meta: { latitude: -23.55, longitude: -46.63, name: 'Store', address: 'Av. Paulista' } });
    expect(byId.get('w9')!.attachments[0]).toEqual({ kind: 'contact', meta: { names: ['Ana Souza'] } });
    expect(byId.get('w10')).toMatchObject({ text: 'Continue', attachments: [] });
    expect(byId.get('w1')!.receivedAt.getTime()).toBe(1_767_268_800_000);
    expect(sink.actions.map((a) => a.actionId)).toEqual(['faq-returns']);
  });

  it('ignores events for another phone number', async () => {
    const { base, sink } = await startServer();
    await postSigned(base, webhookBody({ messages: [textMessage('wamid.X', 'Hi')] }, '999999999999'));
    expect(sink.accepted).toHaveLength(0);
  });
});
