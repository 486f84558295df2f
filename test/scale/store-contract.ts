import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/bus/types.js';
import type { RequestLogEntry, Store } from '../../src/store/types.js';

/** A fresh, empty store and the function that removes it. */
export interface StoreUnderTest {
  store: Store;
  cleanup(): Promise<void>;
}

/** Build an inbound message with the fields the store reads; `overrides` replace any of them. */
export function inbound(platformMessageId: string, overrides: Partial<InboundMessage> = {}): InboundMessage {
  return {
    channel: 'http',
    platformMessageId,
    chatId: 'chat-1',
    sender: { id: 'user-1', displayName: 'Ana', locale: 'pt-BR' },
    text: `text of ${platformMessageId}`,
    attachments: [],
    receivedAt: new Date(1_000),
    ...overrides,
  };
}

function logEntry(messageId: number, conversationId: string, overrides: Partial<RequestLogEntry> = {}): RequestLogEntry {
  return {
    messageId,
    conversationId,
    channel: 'http',
    customerId: 'http:user-1',
    receivedAt: 1_000,
    finishedAt: 2_000,
    endToEndMs: 1_000,
    queueWaitMs: 5,
    provider: 'openai',
    fallbackLevel: 0,
    validatorReasons: ['ok'],
    outcome: 'answer',
    ...overrides,
  };
}

/**
 * Register the behavioural tests every `Store` implementation must pass. `open` is called
 * before each test and must return an empty store with the real migrations applied.
 */
export function describeStoreContract(name: string, open: () => Promise<StoreUnderTest>, skip = false): void {
  describe.skipIf(skip)(`${name} store contract`, () => {
    let subject: StoreUnderTest;
    let store: Store;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });

    afterEach(async () => {
      await subject.cleanup();
    });

    it('accepts a new message once', async () => {
      const first = await store.acceptInbound(inbound('m1'), 10);
      const again = await store.acceptInbound(inbound('m1', { text: 'changed' }), 20);

      expect(first.duplicate).toBe(false);
      expect(first.state).toBe('received');
      expect(first.conversationId).toBe('http:chat-1');
      expect(first.customerId).toBe('http:user-1');
      expect(again.duplicate).toBe(true);
      expect(again.messageId).toBe(first.messageId);
      expect((await store.getInbound(first.messageId))?.text).toBe('text of m1');
    });

    it('keeps the same platform id on another channel apart', async () => {
      const http = await store.acceptInbound(inbound('m1'), 10);
      const telegram = await store.acceptInbound(inbound('m1', { channel: 'telegram' }), 10);

      expect(telegram.duplicate).toBe(false);
      expect(telegram.messageId).not.toBe(http.messageId);
    });

    it('stores customer and conversation', async () => {
      await store.acceptInbound(inbound('m1', { attachments: [{ kind: 'image', fileId: 'f1' }] }), 10);

      const customer = await store.getCustomer('http:user-1');
      expect(customer?.displayName).toBe('Ana');
      expect(customer?.locale).toBe('pt-BR');
      expect(customer?.firstSeenAt).toBe(10);
      const conversation = await store.getConversation('http:chat-1');
      expect(conversation?.state).toBe('bot');
      expect(conversation?.locale).toBe('pt-BR');
      expect(conversation?.unreachable).toBe(false);
      expect(conversation?.lastInboundAt).toBe(10);
      const open = await store.listOpenInbound();
      const row = await store.getInbound(open[0]!.id);
      expect(row?.attachments).toEqual([{ kind: 'image', fileId: 'f1' }]);
      expect(row?.createdAt).toBe(1_000);
    });

    it('claims an open message', async () => {
      const { messageId } = await store.acceptInbound(inbound('m1'), 10);

      const claimed = await store.claimInbound(messageId, 20);
      expect(claimed?.state).toBe('processing');
      expect(claimed?.customerId).toBe('http:user-1');
      const reclaimed = await store.claimInbound(messageId, 30);
      expect(reclaimed?.id).toBe(messageId);
    });

    it('refuses to claim a done message', async () => {
      const { messageId } = await store.acceptInbound(inbound('m1'), 10);
      await store.claimInbound(messageId, 20);
      await store.completeInbound(messageId, 'answer', [], null, 30);

      expect(await store.claimInbound(messageId, 40)).toBeUndefined();
      expect(await store.claimInbound(999_999, 40)).toBeUndefined();
    });

    it('completes with replies and log', async () => {
      const { messageId, conversationId } = await store.acceptInbound(inbound('m1'), 10);
      await store.claimInbound(messageId, 20);

      const replies = await store.completeInbound(
        messageId,
        'answer',
        [
          { kind: 'answer', text: 'first', buttons: [{ id: 'yes', label: 'Yes' }] },
          { kind: 'notice', text: 'second', author: 'staff:bia' },
        ],
        logEntry(messageId, conversationId),
        30,
      );

      expect(replies.map((row) => row.text)).toEqual(['first', 'second']);
      expect(replies[0]!.buttons).toEqual([{ id: 'yes', label: 'Yes' }]);
      expect(replies[0]!.author).toBe('bot');
      expect(replies[1]!.author).toBe('staff:bia');
      expect(replies.every((row) => row.state === 'pending' && row.replyToId === messageId)).toBe(true);
      const done = await store.getInbound(messageId);
      expect(done?.state).toBe('done');
      expect(done?.outcome).toBe('answer');
      expect(await store.providerCounts(0)).toEqual([{ provider: 'openai', fallbackLevel: 0, count: 1 }]);
    });

    it('refuses a second completion', async () => {
      const { messageId } = await store.acceptInbound(inbound('m1'), 10);
      await store.claimInbound(messageId, 20);
      const first = await store.completeInbound(messageId, 'answer', [{ kind: 'answer', text: 'one' }], null, 30);

      const second = await store.completeInbound(messageId, 'error', [{ kind: 'notice', text: 'two' }], null, 40);

      expect(second.map((row) => row.id)).toEqual(first.map((row) => row.id));
      expect((await store.listReplies(messageId)).map((row) => row.text)).toEqual(['one']);
      expect((await store.getInbound(messageId))?.outcome).toBe('answer');
    });

    it('rejects completing an unknown message', async () => {
      await expect(store.completeInbound(999_999, 'answer', [], null, 10)).rejects.toThrow(/not found/);
    });

    it('moves outbox rows to sent and failed', async () => {
      const { messageId } = await store.acceptInbound(inbound('m1'), 10);
      const [a, b, c] = await store.completeInbound(
        messageId,
        'answer',
        [
          { kind: 'answer', text: 'a' },
          { kind: 'answer', text: 'b' },
          { kind: 'answer', text: 'c' },
        ],
        null,
        20,
      );

      await store.markSent(a!.id, ['p1'], 30);
      await store.markSendFailed(b!.id, 'timed out', false, 30);
      await store.markSendFailed(c!.id, 'blocked', true, 30);

      const rows = await store.listReplies(messageId);
      expect(rows.map((row) => row.state)).toEqual(['sent', 'pending', 'failed']);
      expect(rows[1]!.attempts).toBe(1);
      expect((await store.listPendingOutbound()).map((row) => row.id)).toEqual([b!.id]);
    });

    it('enqueues a reply to no message', async () => {
      const { conversationId } = await store.acceptInbound(inbound('m1'), 10);

      const row = await store.enqueueOutbound(conversationId, { kind: 'relay', text: 'hello', author: 'staff:bia' }, 20);

      expect(row.replyToId).toBeNull();
      expect(row.channel).toBe('http');
      expect(row.state).toBe('pending');
      await expect(store.enqueueOutbound('http:nobody', { kind: 'relay', text: 'x' }, 20)).rejects.toThrow(/not found/);
    });

    it('lists open inbound messages in order', async () => {
      const a = await store.acceptInbound(inbound('a'), 10);
      const b = await store.acceptInbound(inbound('b', { chatId: 'chat-2' }), 10);
      const c = await store.acceptInbound(inbound('c'), 10);
      await store.claimInbound(b.messageId, 20);
      await store.completeInbound(c.messageId, 'answer', [], null, 30);

      expect(await store.listOpenInbound()).toEqual([
        { id: a.messageId, conversationId: 'http:chat-1' },
        { id: b.messageId, conversationId: 'http:chat-2' },
      ]);
    });

    it('lists messages with replies after their message', async () => {
      const first = await store.acceptInbound(inbound('m1'), 10);
      const second = await store.acceptInbound(inbound('m2'), 11);
      // The reply to the first message is stored after the second message arrived.
      await store.completeInbound(first.messageId, 'answer', [{ kind: 'answer', text: 'r1' }], null, 20);
      await store.completeInbound(second.messageId, 'answer', [{ kind: 'answer', text: 'r2' }], null, 21);

      const all = await store.listMessages('http:chat-1', 10);
      expect(all.map((row) => row.text)).toEqual(['text of m1', 'r1', 'text of m2', 'r2']);
      expect(all.map((row) => row.direction)).toEqual(['in', 'out', 'in', 'out']);

      const upto = await store.listMessages('http:chat-1', 10, first.messageId);
      expect(upto.map((row) => row.text)).toEqual(['text of m1', 'r1', 'r2']);

      // The limit keeps the highest ids, and both replies were stored last.
      const latest = await store.listMessages('http:chat-1', 2);
      expect(latest.map((row) => row.text)).toEqual(['r1', 'r2']);
    });

    it('updates conversation state and summary', async () => {
      const { conversationId } = await store.acceptInbound(inbound('m1'), 10);

      await store.setConversationState(conversationId, 'staff', 20);
      await store.setConversationSummary(conversationId, 'asked about a refund', 7, 30);
      await store.markUnreachable(conversationId, 40);

      const conversation = await store.getConversation(conversationId);
      expect(conversation?.state).toBe('staff');
      expect(conversation?.summary).toBe('asked about a refund');
      expect(conversation?.summaryCoversTo).toBe(7);
      expect(conversation?.unreachable).toBe(true);
    });

    it('counts handled messages per provider', async () => {
      for (const [index, provider, level, finishedAt] of [
        [1, 'openai', 0, 2_000],
        [2, 'openai', 0, 3_000],
        [3, 'anthropic', 1, 3_000],
        [4, null, 2, 3_000],
        [5, 'openai', 0, 500],
      ] as const) {
        const { messageId, conversationId } = await store.acceptInbound(inbound(`m${index}`), 10);
        await store.completeInbound(
          messageId,
          'answer',
          [],
          logEntry(messageId, conversationId, { provider, fallbackLevel: level, finishedAt }),
          finishedAt,
        );
      }

      const counts = await store.providerCounts(1_000);
      const sorted = [...counts].sort((a, b) => (a.fallbackLevel ?? 0) - (b.fallbackLevel ?? 0));
      expect(sorted).toEqual([
        { provider: 'openai', fallbackLevel: 0, count: 2 },
        { provider: 'anthropic', fallbackLevel: 1, count: 1 },
        { provider: null, fallbackLevel: 2, count: 1 },
      ]);
    });

    it('returns undefined for absent rows', async () => {
      expect(await store.getConversation('http:none')).toBeUndefined();
      expect(await store.getCustomer('http:none')).toBeUndefined();
      expect(await store.getInbound(999_999)).toBeUndefined();
      expect(await store.getAccount('http:none')).toBeUndefined();
      expect(await store.getOrder('order-none')).toBeUndefined();
      expect(await store.listOrders('http:none')).toEqual([]);
      expect(await store.listReplies(999_999)).toEqual([]);
      expect(await store.ping()).toBe(true);
    });
  });
}
