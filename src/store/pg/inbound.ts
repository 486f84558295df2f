import { and, asc, eq, sql } from 'drizzle-orm';
import type { InboundMessage } from '../../bus/types.js';
import { conversationIdFor, customerIdFor } from '../sqlite-store.js';
import type { AcceptedInbound, OutboundDraft, OutboundRow, RequestLogEntry } from '../types.js';
import type { PgDb } from './connect.js';
import { StaleClaimError } from './errors.js';
import { toOutbound } from '../rows.js';
import { conversations, customers, messages, requestLog } from './schema.js';

/** Persist an inbound message with its customer and conversation unless it is already stored. */
export async function acceptInbound(db: PgDb, message: InboundMessage, now: number): Promise<AcceptedInbound> {
  const conversationId = conversationIdFor(message.channel, message.chatId);
  const customerId = customerIdFor(message.channel, message.sender.id);
  const locale = message.sender.locale ?? 'en';

  return db.transaction(async (tx) => {
    // The insert comes first: on a concurrent duplicate it waits for the other
    // transaction and then inserts nothing, so exactly one caller sees `duplicate: false`.
    const [inserted] = await tx
      .insert(messages)
      .values({
        conversationId,
        direction: 'in',
        channel: message.channel,
        platformMessageId: message.platformMessageId,
        author: `customer:${message.sender.id}`,
        kind: 'message',
        text: message.text,
        extra: message.attachments.length > 0 ? JSON.stringify(message.attachments) : null,
        state: 'received',
        createdAt: message.receivedAt.getTime(),
        updatedAt: now,
      })
      .onConflictDoNothing({
        target: [messages.channel, messages.platformMessageId],
        where: sql`platform_message_id IS NOT NULL`,
      })
      .returning({ id: messages.id });

    if (!inserted) {
      const [existing] = await tx
        .select({ id: messages.id, state: messages.state, conversationId: messages.conversationId })
        .from(messages)
        .where(and(eq(messages.channel, message.channel), eq(messages.platformMessageId, message.platformMessageId)));
      if (!existing) throw new Error(`inbound message ${message.channel}/${message.platformMessageId} conflicted but was not found`);
      return {
        messageId: existing.id,
        conversationId: existing.conversationId,
        customerId,
        duplicate: true,
        state: existing.state as AcceptedInbound['state'],
      };
    }

    await tx
      .insert(customers)
      .values({
        id: customerId,
        channel: message.channel,
        platformUserId: message.sender.id,
        displayName: message.sender.displayName ?? null,
        locale,
        firstSeenAt: now,
        lastSeenAt: now,
      })
      .onConflictDoUpdate({
        target: customers.id,
        set: {
          lastSeenAt: now,
          ...(message.sender.displayName ? { displayName: message.sender.displayName } : {}),
          ...(message.sender.locale ? { locale } : {}),
        },
      });

    await tx
      .insert(conversations)
      .values({
        id: conversationId,
        channel: message.channel,
        chatId: message.chatId,
        customerId,
        locale,
        lastInboundAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: conversations.id,
        set: { lastInboundAt: now, updatedAt: now, ...(message.sender.locale ? { locale } : {}) },
      });

    return { messageId: inserted.id, conversationId, customerId, duplicate: false, state: 'received' as const };
  });
}

export interface Completion {
  messageId: number;
  /** Claim counter seen by the caller's claim, or undefined when it did not claim the message. */
  claimed: number | undefined;
  outcome: string;
  replies: OutboundDraft[];
  log: RequestLogEntry | null;
  now: number;
}

/** Mark an inbound message done and store its replies and request-log line in one transaction. */
export async function completeInbound(db: PgDb, completion: Completion): Promise<OutboundRow[]> {
  const { messageId, claimed, outcome, replies, log, now } = completion;
  return db.transaction(async (tx) => {
    // FOR UPDATE serializes completions of one message across processes.
    const [inbound] = await tx.select().from(messages).where(eq(messages.id, messageId)).for('update');
    if (!inbound) throw new Error(`inbound message ${messageId} not found`);
    // A second completion would send a second reply: keep the first.
    if (inbound.state === 'done') {
      const existing = await tx.select().from(messages).where(eq(messages.replyToId, messageId)).orderBy(asc(messages.id));
      return existing.map(toOutbound);
    }
    if (claimed !== undefined && inbound.attempts !== claimed) {
      throw new StaleClaimError(messageId, claimed, inbound.attempts);
    }

    await tx.update(messages).set({ state: 'done', outcome, updatedAt: now }).where(eq(messages.id, messageId));

    const rows =
      replies.length === 0
        ? []
        : await tx
            .insert(messages)
            .values(
              replies.map((draft) => ({
                conversationId: inbound.conversationId,
                direction: 'out' as const,
                channel: inbound.channel,
                author: draft.author ?? 'bot',
                kind: draft.kind,
                text: draft.text,
                extra: draft.buttons && draft.buttons.length > 0 ? JSON.stringify(draft.buttons) : null,
                state: 'pending' as const,
                replyToId: messageId,
                createdAt: now,
                updatedAt: now,
              })),
            )
            .returning();

    if (log) {
      await tx.insert(requestLog).values({
        ...log,
        validatorReasons: log.validatorReasons ? JSON.stringify(log.validatorReasons) : null,
      });
    }
    return rows.sort((a, b) => a.id - b.id).map(toOutbound);
  });
}
