/**
 * Prepared drizzle queries for the store's per-message path. Building a drizzle query and
 * preparing its SQL cost more CPU than running it, so the statements that every message
 * runs are built once per database and only bound to new values afterwards.
 */
import { and, desc, eq, lte, or, sql } from 'drizzle-orm';
import type { SqliteDb } from '../db.js';
import { conversations, customers, messages, requestLog } from '../schema.js';

const param = (name: string) => sql.placeholder(name);
/** A placeholder in an UPDATE's SET list, where drizzle's types accept only SQL. */
const setParam = (name: string) => sql`${sql.placeholder(name)}`;

/** Columns `listMessages` returns. */
const messageListColumns = {
  id: messages.id,
  direction: messages.direction,
  author: messages.author,
  kind: messages.kind,
  text: messages.text,
  state: messages.state,
  outcome: messages.outcome,
  replyToId: messages.replyToId,
  createdAt: messages.createdAt,
};

/** Build the prepared statements of `SqliteStore`; call once per open database. */
export function prepareStatements(db: SqliteDb) {
  return {
    messageById: db.select().from(messages).where(eq(messages.id, param('id'))).prepare(),
    inboundByPlatformId: db
      .select({ id: messages.id, state: messages.state, conversationId: messages.conversationId })
      .from(messages)
      .where(and(eq(messages.channel, param('channel')), eq(messages.platformMessageId, param('platformMessageId'))))
      .prepare(),
    conversationById: db.select().from(conversations).where(eq(conversations.id, param('id'))).prepare(),
    customerOfConversation: db
      .select({ customerId: conversations.customerId })
      .from(conversations)
      .where(eq(conversations.id, param('id')))
      .prepare(),
    /** A conversation's newest rows, outbound ones and inbound ones up to `uptoId`. */
    messagesUpTo: db
      .select(messageListColumns)
      .from(messages)
      .where(
        and(
          eq(messages.conversationId, param('conversationId')),
          or(eq(messages.direction, 'out'), lte(messages.id, param('uptoId'))),
        ),
      )
      .orderBy(desc(messages.id))
      .limit(param('limit'))
      .prepare(),
    messagesAll: db
      .select(messageListColumns)
      .from(messages)
      .where(eq(messages.conversationId, param('conversationId')))
      .orderBy(desc(messages.id))
      .limit(param('limit'))
      .prepare(),
    claimMessage: db
      .update(messages)
      .set({ state: 'processing', attempts: setParam('attempts'), updatedAt: setParam('now') })
      .where(eq(messages.id, param('id')))
      .prepare(),
    completeMessage: db
      .update(messages)
      .set({ state: 'done', outcome: setParam('outcome'), updatedAt: setParam('now') })
      .where(eq(messages.id, param('id')))
      .prepare(),
    markSent: db
      .update(messages)
      .set({ state: 'sent', sentPlatformIds: setParam('sentPlatformIds'), updatedAt: setParam('now') })
      .where(eq(messages.id, param('id')))
      .prepare(),
    insertInbound: db
      .insert(messages)
      .values({
        conversationId: param('conversationId'),
        direction: 'in',
        channel: param('channel'),
        platformMessageId: param('platformMessageId'),
        author: param('author'),
        kind: 'message',
        text: param('text'),
        extra: param('extra'),
        state: 'received',
        createdAt: param('createdAt'),
        updatedAt: param('now'),
      })
      .returning({ id: messages.id })
      .prepare(),
    insertReply: db
      .insert(messages)
      .values({
        conversationId: param('conversationId'),
        direction: 'out',
        channel: param('channel'),
        author: param('author'),
        kind: param('kind'),
        text: param('text'),
        extra: param('extra'),
        state: 'pending',
        replyToId: param('replyToId'),
        createdAt: param('now'),
        updatedAt: param('now'),
      })
      .returning()
      .prepare(),
    insertRequestLog: db
      .insert(requestLog)
      .values({
        messageId: param('messageId'),
        conversationId: param('conversationId'),
        channel: param('channel'),
        customerId: param('customerId'),
        receivedAt: param('receivedAt'),
        finishedAt: param('finishedAt'),
        endToEndMs: param('endToEndMs'),
        queueWaitMs: param('queueWaitMs'),
        providerMs: param('providerMs'),
        provider: param('provider'),
        model: param('model'),
        fallbackLevel: param('fallbackLevel'),
        tokensIn: param('tokensIn'),
        tokensOut: param('tokensOut'),
        costUsd: param('costUsd'),
        cacheHit: param('cacheHit'),
        validatorOutcome: param('validatorOutcome'),
        validatorReasons: param('validatorReasons'),
        rateLimitOutcome: param('rateLimitOutcome'),
        outcome: param('outcome'),
        errorType: param('errorType'),
      })
      .prepare(),
  };
}

export type StoreStatements = ReturnType<typeof prepareStatements>;

/** The upserts of `acceptInbound`, whose SET list depends on what the sender carries. */
export function prepareUpserts(db: SqliteDb) {
  const customer = (withName: boolean, withLocale: boolean) =>
    db
      .insert(customers)
      .values({
        id: param('id'),
        channel: param('channel'),
        platformUserId: param('platformUserId'),
        displayName: param('displayName'),
        locale: param('locale'),
        firstSeenAt: param('now'),
        lastSeenAt: param('now'),
      })
      .onConflictDoUpdate({
        target: customers.id,
        set: {
          lastSeenAt: setParam('now'),
          ...(withName ? { displayName: setParam('displayName') } : {}),
          ...(withLocale ? { locale: setParam('locale') } : {}),
        },
      })
      .prepare();
  const conversation = (withLocale: boolean) =>
    db
      .insert(conversations)
      .values({
        id: param('id'),
        channel: param('channel'),
        chatId: param('chatId'),
        customerId: param('customerId'),
        locale: param('locale'),
        lastInboundAt: param('now'),
        createdAt: param('now'),
        updatedAt: param('now'),
      })
      .onConflictDoUpdate({
        target: conversations.id,
        set: { lastInboundAt: setParam('now'), updatedAt: setParam('now'), ...(withLocale ? { locale: setParam('locale') } : {}) },
      })
      .prepare();
  return {
    /** Indexed by `[withName][withLocale]`. */
    customer: [
      [customer(false, false), customer(false, true)],
      [customer(true, false), customer(true, true)],
    ] as const,
    /** Indexed by `withLocale`. */
    conversation: [conversation(false), conversation(true)] as const,
  };
}
