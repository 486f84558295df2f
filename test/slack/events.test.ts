import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messageEvent, slashCommand, startHarness, type Harness } from './harness.js';

describe('slack events endpoint', () => {
  let h: Harness;
  let cardTs: string;

  beforeEach(async () => {
    h = await startHarness();
    const handoff = await h.handoffs.escalate({
      conversation: { id: 'conv-1', channel: 'telegram', chatId: '42', customerName: 'Ana' },
      reason: 'customer_requested',
      summary: '',
      lastMessages: [],
      locale: 'en',
    });
    cardTs = handoff.thread!.ts;
  });

  afterEach(async () => {
    await h.close();
  });

  const relayCount = () => h.sender.sent.filter((m) => m.kind === 'relay').length;

  it('rejects a bad signature with 401', async () => {
    const response = await h.post(messageEvent({ user: 'USTAFF', text: 'hi', ts: '2.0', thread_ts: cardTs }), {
      signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000',
    });
    expect(response.status).toBe(401);
    expect(relayCount()).toBe(0);
  });

  it('rejects a stale timestamp with 401', async () => {
    const tenMinutesAgo = Math.floor(h.clock.now() / 1000) - 10 * 60;
    const response = await h.post(messageEvent({ user: 'USTAFF', text: 'hi', ts: '2.0', thread_ts: cardTs }), {
      timestampSec: tenMinutesAgo,
    });
    expect(response.status).toBe(401);
    expect(relayCount()).toBe(0);
  });

  it('rejects a request without signature headers', async () => {
    const response = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(401);
  });

  it('returns the url_verification challenge', async () => {
    const response = await h.post({ kind: 'event', payload: { type: 'url_verification', challenge: 'abc123', token: 'x' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: 'abc123' });
  });

  it.each([
    ['own message', { user: 'UBOT', text: 'bot text' }],
    ['other bot', { bot_id: 'BOTHER', user: 'UOTHER', text: 'bot text' }],
    ['bot_message subtype', { subtype: 'bot_message', user: 'USTAFF', text: 'bot text' }],
    // Real edits and deletions carry no top-level user or text; both are set here so that
    // only the subtype check can drop them.
    ['edit', { subtype: 'message_changed', user: 'USTAFF', text: 'edited', message: { user: 'USTAFF', text: 'edited' } }],
    ['deletion', { subtype: 'message_deleted', user: 'USTAFF', text: 'gone', deleted_ts: '1.0' }],
    ['channel join', { subtype: 'channel_join', user: 'USTAFF', text: 'joined' }],
    ['top-level message', { user: 'USTAFF', text: 'not in a thread', thread_ts: undefined }],
  ])('ignores %s', async (_name, fields) => {
    const response = await h.post(messageEvent({ ts: '1767600009.000100', thread_ts: cardTs, ...fields }));
    expect(response.status).toBe(200);
    expect(relayCount()).toBe(0);
  });

  it('ignores messages in other channels', async () => {
    await h.post(messageEvent({ channel: 'COTHER', user: 'USTAFF', text: 'hi', ts: '3.0', thread_ts: cardTs }));
    expect(relayCount()).toBe(0);
  });

  it('handles a retried event once', async () => {
    const event = messageEvent({ user: 'USTAFF', text: 'only once', ts: '1767600010.000100', thread_ts: cardTs }, 'EvRetry1');
    expect((await h.post(event)).status).toBe(200);
    expect((await h.post(event, { retryNum: 1 })).status).toBe(200);
    expect((await h.post(event, { retryNum: 2 })).status).toBe(200);
    expect(relayCount()).toBe(1);
    expect(h.logs.withMessage('slack event redelivery ignored')).toHaveLength(2);
  });

  it('waits for Retry-After on 429 and retries', async () => {
    const retryAfter: number[] = [];
    h.adapter.app.client.on(webApi.WebClientEvent.RATE_LIMITED, (seconds: number) => retryAfter.push(seconds));
    h.api.rateLimit('chat.postMessage', 1);
    await h.handoffs.relayCustomerMessage('conv-1', { text: 'are you there', sender: { id: '42' }, attachments: [] });
    const attempts = h.api.callsOf('chat.postMessage').filter((call) => call.params.thread_ts === cardTs);
    expect(attempts).toHaveLength(2);
    expect(retryAfter).toEqual([1]);
  });

  it('runs admin slash commands for admins', async () => {
    const response = await h.post(slashCommand('UADMIN', 'status', `${h.api.origin}/response/1`));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('Queue depth: 3');
    expect(h.backend.calls.map((c) => c.method)).toEqual(['status']);
  });

  it('rejects slash commands from non-admins', async () => {
    const response = await h.post(slashCommand('USTAFF', 'pause', `${h.api.origin}/response/2`));
    const body = (await response.json()) as { text: string };
    expect(body.text).toContain('only frontdesk admins');
    expect(h.backend.calls).toHaveLength(0);
  });
});

describe('slack relay text', () => {
  let h: Harness;
  let cardTs: string;

  beforeEach(async () => {
    h = await startHarness();
    const handoff = await h.handoffs.escalate({
      conversation: { id: 'conv-1', channel: 'telegram', chatId: '42', customerName: 'Ana' },
      reason: 'customer_requested',
      summary: '',
      lastMessages: [],
      locale: 'en',
    });
    cardTs = handoff.thread!.ts;
  });

  afterEach(async () => {
    await h.close();
  });

  it('escapes customer mentions in Slack', async () => {
    await h.handoffs.relayCustomerMessage('conv-1', { text: '<!channel> help', sender: { id: '42' }, attachments: [] });
    const post = h.api.callsOf('chat.postMessage').at(-1)!;
    expect(post.params.text).toBe('*Ana:* &lt;!channel&gt; help');
  });

  it('decodes staff text for the customer', async () => {
    await h.post(messageEvent({ user: 'USTAFF', text: 'Terms &amp; fees: <https://example.com/fees|fees>', ts: '1767600011.000100', thread_ts: cardTs }));
    const relay = h.sender.sent.find((m) => m.kind === 'relay');
    expect(relay?.text).toBe('Terms & fees: fees (https://example.com/fees)');
  });

  it('warns staff when delivery fails', async () => {
    h.sender.send = async () => {
      throw new Error('outbox unavailable');
    };
    await h.post(messageEvent({ user: 'USTAFF', text: 'hello', ts: '1767600012.000100', thread_ts: cardTs }));
    const warning = h.api.callsOf('chat.postMessage').at(-1)!;
    expect(warning.params.thread_ts).toBe(cardTs);
    expect(String(warning.params.text)).toContain('could not be delivered');
    expect(h.logs.withMessage('staff reply could not be delivered')).toHaveLength(1);
  });
});

describe('slack receiver lifecycle', () => {
  it('returns 503 after stop', async () => {
    const h = await startHarness();
    await h.adapter.stop();
    const response = await h.post(messageEvent({ user: 'USTAFF', text: 'hi', ts: '1.0', thread_ts: '1.0' }));
    expect(response.status).toBe(503);
    await h.server.close();
    await h.api.stop();
  });
});
