import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WhatsAppCloudAdapter, type WhatsAppCloudAdapterOptions } from '../../adapters/whatsapp/cloud/adapter.js';
import { ChannelSendError } from '../../src/bus/errors.js';
import type { OutboundMessage } from '../../src/bus/types.js';
import { ManualClock } from '../../src/clock.js';
import { FakeGraphApi, graphError, signBody, webhookBody } from '../fakes/graph-api.js';
import { RecordingSink } from './helpers.js';

const PHONE_ID = '106540352242922';
const ALICE = '5511987654321';
const BRUNO = '5511912345678';
const HOUR = 60 * 60_000;

let graph: FakeGraphApi;
let apiUrl: string;
let app: FastifyInstance | undefined;

beforeEach(async () => {
  graph = new FakeGraphApi();
  apiUrl = await graph.start();
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  await graph.close();
});

/** Create an adapter whose window is open for every customer unless a test overrides `lastInboundAt`. */
function createAdapter(options: Partial<WhatsAppCloudAdapterOptions> = {}) {
  const clock = new ManualClock(Date.UTC(2026, 0, 2, 12));
  const delays: number[] = [];
  const adapter = new WhatsAppCloudAdapter({
    token: 'graph-token',
    phoneId: PHONE_ID,
    appSecret: 'secret',
    verifyToken: 'verify',
    apiUrl,
    clock,
    lastInboundAt: async () => new Date(clock.now() - HOUR),
    sleep: async (ms) => void delays.push(ms),
    rateLimit: { maxRetries: 2, baseDelayMs: 1000, maxDelayMs: 8000 },
    ...options,
  });
  return { adapter, clock, delays };
}

function outbound(chatId: string, overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return { channel: 'whatsapp', chatId, conversationId: `c-${chatId}`, text: 'Your refund is on its way.', kind: 'answer', locale: 'en', ...overrides };
}

async function sendError(promise: Promise<unknown>): Promise<ChannelSendError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ChannelSendError);
  return error as ChannelSendError;
}

describe('WhatsApp Cloud sending', () => {
  it('posts text with the bearer token', async () => {
    const { adapter } = createAdapter();
    const receipt = await adapter.send(outbound(ALICE, { replyToPlatformId: 'wamid.IN1' }));

    expect(graph.sends).toHaveLength(1);
    const [send] = graph.sends;
    expect(send!.path).toBe(`/v21.0/${PHONE_ID}/messages`);
    expect(send!.authorization).toBe('Bearer graph-token');
    expect(send!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: ALICE,
      context: { message_id: 'wamid.IN1' },
      type: 'text',
      text: { body: 'Your refund is on its way.', preview_url: false },
    });
    expect(receipt.platformMessageIds).toHaveLength(1);
    expect(receipt.platformMessageIds[0]).toMatch(/^wamid\./);
  });

  it('splits long text', async () => {
    const { adapter } = createAdapter({ maxTextLength: 200 });
    const text = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    await adapter.send(outbound(ALICE, { text }));
    const bodies = graph.sends.map((send) => (send.body.text as { body: string }).body);
    expect(bodies.length).toBeGreaterThan(1);
    expect(bodies.every((body) => body.length <= 200)).toBe(true);
    expect(bodies.join(' ')).toBe(text);
  });

  it('sends up to three short buttons natively', async () => {
    const { adapter } = createAdapter();
    await adapter.send(outbound(ALICE, { text: 'Anything else?', buttons: [{ id: 'yes', label: 'Yes' }, { id: 'no', label: 'No, thanks' }] }));
    expect(graph.sends[0]!.body.type).toBe('interactive');
    expect(graph.sends[0]!.body.interactive).toEqual({
      type: 'button',
      body: { text: 'Anything else?' },
      action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }, { type: 'reply', reply: { id: 'no', title: 'No, thanks' } }] },
    });
  });

  it('falls back to a numbered list', async () => {
    const { adapter } = createAdapter();
    const buttons = [1, 2, 3, 4].map((n) => ({ id: `b${n}`, label: `Option ${n}` }));
    await adapter.send(outbound(ALICE, { text: 'Pick one', buttons }));
    await adapter.send(outbound(BRUNO, { text: 'Pick one', buttons: [{ id: 'long', label: 'A label that is far too long' }] }));

    expect(graph.sends[0]!.body.type).toBe('text');
    expect((graph.sends[0]!.body.text as { body: string }).body).toBe('Pick one\n\nReply 1 for Option 1\nReply 2 for Option 2\nReply 3 for Option 3\nReply 4 for Option 4');
    expect((graph.sends[1]!.body.text as { body: string }).body).toBe('Pick one\n\nReply 1 for A label that is far too long');
  });

  it('turns a numbered reply into an action', async () => {
    const { adapter } = createAdapter();
    const sink = new RecordingSink();
    app = Fastify();
    await adapter.mount(app);
    await adapter.start(sink);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });

    const buttons = [1, 2, 3, 4].map((n) => ({ id: `b${n}`, label: `Option ${n}` }));
    await adapter.send(outbound(ALICE, { buttons }));
    const raw = JSON.stringify(webhookBody({ messages: [{ from: ALICE, id: 'wamid.R2', timestamp: '1767355200', type: 'text', text: { body: '4' } }] }));
    const response = await fetch(`${base}/whatsapp/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, 'secret') }, body: raw });

    expect(response.status).toBe(200);
    expect(sink.actions.map((action) => action.actionId)).toEqual(['b4']);
    expect(sink.accepted).toHaveLength(0);
  });
});

describe('WhatsApp Cloud service window', () => {
  it('opens with a recent inbound message', async () => {
    const { adapter, clock } = createAdapter({ lastInboundAt: undefined });
    const sink = new RecordingSink();
    app = Fastify();
    await adapter.mount(app);
    await adapter.start(sink);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const seconds = String(Math.floor(clock.now() / 1000) - 60);
    const raw = JSON.stringify(webhookBody({ messages: [{ from: ALICE, id: 'wamid.IN', timestamp: seconds, type: 'text', text: { body: 'hi' } }] }));
    await fetch(`${base}/whatsapp/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, 'secret') }, body: raw });

    await adapter.send(outbound(ALICE));
    expect(graph.sends[0]!.body.type).toBe('text');

    clock.advance(24 * HOUR);
    const error = await sendError(adapter.send(outbound(ALICE)));
    expect(error.code).toBe('window_closed');
    expect(graph.sends).toHaveLength(1);
  });

  it('rejects without a template when closed', async () => {
    const { adapter, clock } = createAdapter({ lastInboundAt: async () => new Date(clock.now() - 25 * HOUR) });
    const error = await sendError(adapter.send(outbound(ALICE)));
    expect(error.code).toBe('window_closed');
    expect(graph.sends).toHaveLength(0);
  });

  it('sends the template when closed', async () => {
    const { adapter } = createAdapter({ lastInboundAt: async () => undefined, template: { name: 'support_follow_up', language: 'pt_BR' } });
    const receipt = await adapter.send(outbound(ALICE));
    expect(graph.sends).toHaveLength(1);
    expect(graph.sends[0]!.body).toMatchObject({ to: ALICE, type: 'template', template: { name: 'support_follow_up', language: { code: 'pt_BR' } } });
    expect(receipt.platformMessageIds).toHaveLength(1);
  });

  it('uses the template when Graph reports a closed window', async () => {
    const { adapter } = createAdapter({ template: { name: 'support_follow_up', language: 'en_US' } });
    graph.script(ALICE, graphError(400, 131047, 'Re-engagement message'));
    await adapter.send(outbound(ALICE));
    expect(graph.sends.map((send) => send.body.type)).toEqual(['text', 'template']);
  });
});

describe('WhatsApp Cloud errors', () => {
  const cases = [
    { response: graphError(400, 131047, 'Re-engagement message'), code: 'window_closed' },
    { response: graphError(429, 130429, 'Rate limit hit'), code: 'rate_limited' },
    { response: graphError(400, 131056, '(Business Account, Consumer Account) pair rate limit hit'), code: 'rate_limited' },
    { response: graphError(400, 80007, 'Rate limit issues'), code: 'rate_limited' },
    { response: graphError(400, 4, 'Application request limit reached'), code: 'rate_limited' },
    { response: graphError(400, 131026, 'Message undeliverable'), code: 'bad_request' },
    { response: graphError(400, 131051, 'Unsupported message type'), code: 'bad_request' },
    { response: graphError(401, 190, 'Error validating access token: Session has expired', 463), code: 'unavailable' },
    { response: { status: 503, body: { error: { message: 'Service temporarily unavailable', code: 2 } } }, code: 'transport' },
    { response: { status: 502, body: 'Bad Gateway' }, code: 'transport' },
  ] as const;

  for (const { response, code } of cases) {
    it(`maps ${response.status} ${JSON.stringify(response.body).slice(0, 40)} to ${code}`, async () => {
      const { adapter } = createAdapter({ rateLimit: { maxRetries: 0 } });
      graph.script(ALICE, response);
      const error = await sendError(adapter.send(outbound(ALICE)));
      expect(error.code).toBe(code);
      expect(error.channel).toBe('whatsapp');
    });
  }

  it('gives up after bounded retries', async () => {
    const { adapter, delays } = createAdapter();
    const limit = graphError(429, 130429, 'Rate limit hit');
    graph.script(ALICE, limit, limit, limit, limit);
    const error = await sendError(adapter.send(outbound(ALICE)));
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(graph.sendsTo(ALICE)).toHaveLength(3);
    expect(delays).toEqual([1000, 2000]);
  });

  it('honours Retry-After', async () => {
    const { adapter, delays } = createAdapter();
    graph.script(ALICE, { ...graphError(429, 130429, 'Rate limit hit'), headers: { 'retry-after': '7' } });
    await adapter.send(outbound(ALICE));
    expect(delays).toEqual([7000]);
    expect(graph.sendsTo(ALICE)).toHaveLength(2);
  });

  it('retries one recipient while another proceeds', async () => {
    let release: () => void = () => {};
    const waits: number[] = [];
    const { adapter } = createAdapter({
      sleep: (ms) => {
        waits.push(ms);
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    graph.script(ALICE, graphError(400, 131056, 'pair rate limit hit'));

    const alice = adapter.send(outbound(ALICE));
    while (waits.length === 0) await new Promise((resolve) => setImmediate(resolve));

    // Alice's send is paused in its backoff; Bruno's goes through meanwhile.
    const bruno = await adapter.send(outbound(BRUNO));
    expect(bruno.platformMessageIds).toHaveLength(1);
    expect(graph.sendsTo(BRUNO)).toHaveLength(1);
    expect(graph.sendsTo(ALICE)).toHaveLength(1);

    release();
    const aliceReceipt = await alice;
    expect(aliceReceipt.platformMessageIds).toHaveLength(1);
    expect(graph.sendsTo(ALICE)).toHaveLength(2);
    expect(waits).toEqual([1000]);
  });
});
