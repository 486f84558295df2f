import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLAIM_ACTION, RESOLVE_ACTION } from '../../adapters/slack/blocks.js';
import { buttonPress, messageEvent, STAFF_CHANNEL, startHarness, type Harness } from './harness.js';

type Block = { type: string; text?: { text: string }; elements?: { text?: string | { text: string }; action_id?: string }[] };

function cardText(blocks: unknown): string {
  return JSON.stringify(blocks as Block[]);
}

describe('slack handoff round trip', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });

  afterEach(async () => {
    await h.close();
  });

  it('escalates, relays both ways, claims and resolves', async () => {
    const handoff = await h.handoffs.escalate({
      conversation: { id: 'conv-1', channel: 'telegram', chatId: '42', customerName: 'Ana' },
      reason: 'frustrated',
      summary: 'Refund for order 77 not received',
      lastMessages: [{ role: 'customer', text: 'WHERE IS MY REFUND???' }],
      locale: 'en',
    });

    // The card is in the staff channel with the customer, reason, summary and buttons.
    const [card] = h.api.callsOf('chat.postMessage');
    expect(card!.params.channel).toBe(STAFF_CHANNEL);
    expect(card!.token).toBe(h.api.token);
    const blocks = cardText(card!.params.blocks);
    expect(blocks).toContain('Ana');
    expect(blocks).toContain('telegram');
    expect(blocks).toContain('customer seems frustrated');
    expect(blocks).toContain('Refund for order 77 not received');
    expect(blocks).toContain('WHERE IS MY REFUND???');
    expect(blocks).toContain(CLAIM_ACTION);
    expect(blocks).toContain(RESOLVE_ACTION);
    expect(h.sender.sent[0]!.text).toContain('about 10 minutes');
    const cardTs = handoff.thread!.ts;

    // A customer message goes into the card's thread.
    await h.handoffs.relayCustomerMessage('conv-1', { text: 'hello?', sender: { id: '42' }, attachments: [] });
    const relay = h.api.callsOf('chat.postMessage')[1]!;
    expect(relay.params.thread_ts).toBe(cardTs);
    expect(relay.params.text).toBe('*Ana:* hello?');

    // A staff reply in the thread reaches the customer sender.
    const reply = await h.post(messageEvent({ user: 'USTAFF', text: 'Hi Ana, checking now', ts: '1767600001.000100', thread_ts: cardTs }));
    expect(reply.status).toBe(200);
    const relayed = h.sender.sent.filter((m) => m.kind === 'relay');
    expect(relayed.map((m) => m.text)).toEqual(['Hi Ana, checking now']);
    expect(relayed[0]!.chatId).toBe('42');

    // An internal note stays in Slack.
    await h.post(messageEvent({ user: 'USTAFF', text: '!note refund was issued on the 3rd', ts: '1767600002.000100', thread_ts: cardTs }));
    expect(h.sender.sent.filter((m) => m.kind === 'relay')).toHaveLength(1);

    // The reply already claimed the handoff for Bea, and the card shows it.
    const update = h.api.callsOf('chat.update').at(-1)!;
    expect(update.params.ts).toBe(cardTs);
    expect(cardText(update.params.blocks)).toContain('Claimed by <@USTAFF>');
    expect(h.states.states.get('conv-1')).toBe('staff');

    // Resolve from the card button.
    const resolved = await h.post(buttonPress(RESOLVE_ACTION, handoff.id, 'USTAFF', cardTs));
    expect(resolved.status).toBe(200);
    expect(h.states.states.get('conv-1')).toBe('bot');
    const rating = h.sender.sent.at(-1)!;
    expect(rating.kind).toBe('rating');
    expect(rating.buttons?.map((b) => b.id)).toEqual(['rate:1', 'rate:2', 'rate:3', 'rate:4', 'rate:5']);
    const finalCard = cardText(h.api.callsOf('chat.update').at(-1)!.params.blocks);
    expect(finalCard).toContain('Resolved by <@USTAFF>');
    expect(finalCard).not.toContain(CLAIM_ACTION);
  });

  it('claim button shows who took it', async () => {
    const handoff = await h.handoffs.escalate({
      conversation: { id: 'conv-2', channel: 'whatsapp', chatId: '5511', customerName: 'João' },
      reason: 'customer_requested',
      summary: '',
      lastMessages: [],
      locale: 'pt-BR',
    });
    const response = await h.post(buttonPress(CLAIM_ACTION, handoff.id, 'USTAFF', handoff.thread!.ts));
    expect(response.status).toBe(200);
    const update = h.api.callsOf('chat.update').at(-1)!;
    expect(cardText(update.params.blocks)).toContain('Claimed by <@USTAFF>');
    expect(cardText(update.params.blocks)).not.toContain(CLAIM_ACTION);
    expect(h.states.states.get('conv-2')).toBe('staff');
    expect(h.sender.sent.at(-1)!.text).toContain('entrou na conversa');
    expect(h.api.callsOf('users.info')[0]!.params.user).toBe('USTAFF');
  });

  it('reminds the channel once when unclaimed', async () => {
    await h.handoffs.escalate({
      conversation: { id: 'conv-3', channel: 'http', chatId: 'u1', customerName: 'Sam' },
      reason: 'all_providers_failed',
      summary: '',
      lastMessages: [],
      locale: 'en',
    });
    h.clock.advance(5 * 60_000);
    await h.handoffs.tick();
    await h.handoffs.tick();
    const reminders = h.api.callsOf('chat.postMessage').filter((call) => call.params.reply_broadcast === 'true');
    expect(reminders).toHaveLength(1);
    expect(String(reminders[0]!.params.text)).toContain('still waiting');
    expect(h.sender.sent.filter((m) => m.text.includes('Sorry for the wait'))).toHaveLength(1);
  });
});
