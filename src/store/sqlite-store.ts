import type Database from 'better-sqlite3';
import { and, asc, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { InboundMessage } from '../bus/types.js';
import { openSqlite, type OpenedDatabase, type SqliteDb } from './db.js';
import { prepareStatements, prepareUpserts, type StoreStatements } from './sqlite/statements.js';
import { accounts, conversations, customers, messages, orders, requestLog } from './schema.js';
import { inConversationOrder, toInbound, toOutbound } from './rows.js';
import type {
  AccountRow,
  AcceptedInbound,
  ConversationRow,
  ConversationState,
  CustomerRow,
  InboundRow,
  MessageRow,
  OrderRow,
  OutboundDraft,
  OutboundRow,
  RequestLogEntry,
  RequestSummary,
  Store,
} from './types.js';

/** Conversation id for a chat: the same scheme on every channel. */
export function conversationIdFor(channel: string, chatId: string): string {
  return `${channel}:${chatId}`;
}

/** Customer id for a platform user. */
export function customerIdFor(channel: string, platformUserId: string): string {
  return `${channel}:${platformUserId}`;
}

/** Return the values of a request-log row, with the column default for each field the entry leaves out. */
function requestLogParams(log: RequestLogEntry): Record<string, unknown> {
  return {
    messageId: log.messageId,
    conversationId: log.conversationId,
    channel: log.channel,
    customerId: log.customerId,
    receivedAt: log.receivedAt,
    finishedAt: log.finishedAt,
    endToEndMs: log.endToEndMs,
    queueWaitMs: log.queueWaitMs,
    providerMs: log.providerMs ?? null,
    provider: log.provider ?? null,
    model: log.model ?? null,
    fallbackLevel: log.fallbackLevel ?? null,
    tokensIn: log.tokensIn ?? 0,
    tokensOut: log.tokensOut ?? 0,
    costUsd: log.costUsd ?? 0,
    cacheHit: log.cacheHit ?? false,
    validatorOutcome: log.validatorOutcome ?? null,
    validatorReasons: log.validatorReasons ? JSON.stringify(log.validatorReasons) : null,
    rateLimitOutcome: log.rateLimitOutcome ?? null,
    outcome: log.outcome,
    errorType: log.errorType ?? null,
  };
}

/** The embedded store: one SQLite file, writes in IMMEDIATE transactions. */
export class SqliteStore implements Store {
  readonly db: SqliteDb;
  private readonly opened: OpenedDatabase;
  private readonly statements: StoreStatements;
  private readonly upserts: ReturnType<typeof prepareUpserts>;
  private readonly transaction: Database.Transaction<(fn: () => unknown) => unknown>;

  constructor(url: string) {
    this.opened = openSqlite(url);
    this.db = this.opened.db;
    this.statements = prepareStatements(this.db);
    this.upserts = prepareUpserts(this.db);
    // One native transaction function for every write: drizzle's `transaction` builds a new
    // one, with its wrappers, on each call.
    this.transaction = this.opened.sqlite.transaction((fn: () => unknown) => fn());
  }

  /** Run `fn` in a transaction that takes the write lock at BEGIN, so it never fails midway on SQLITE_BUSY. */
  private write<T>(fn: (tx: SqliteDb) => T): T {
    // Queries built on `this.db` run on the same connection, so they are part of the transaction.
    return this.transaction.immediate(() => fn(this.db)) as T;
  }

  async acceptInbound(message: InboundMessage, now: number): Promise<AcceptedInbound> {
    const conversationId = conversationIdFor(message.channel, message.chatId);
    const customerId = customerIdFor(message.channel, message.sender.id);
    const locale = message.sender.locale ?? 'en';

    const { statements, upserts } = this;

    // Prepared statements run on the same connection, so they are part of the transaction.
    return this.write(() => {
      const existing = statements.inboundByPlatformId.get({
        channel: message.channel,
        platformMessageId: message.platformMessageId,
      });
      if (existing) {
        return {
          messageId: existing.id,
          conversationId: existing.conversationId,
          customerId,
          duplicate: true,
          state: existing.state as AcceptedInbound['state'],
        };
      }

      const withName = message.sender.displayName ? 1 : 0;
      const withLocale = message.sender.locale ? 1 : 0;
      upserts.customer[withName][withLocale].run({
        id: customerId,
        channel: message.channel,
        platformUserId: message.sender.id,
        displayName: message.sender.displayName ?? null,
        locale,
        now,
      });
      upserts.conversation[withLocale].run({
        id: conversationId,
        channel: message.channel,
        chatId: message.chatId,
        customerId,
        locale,
        now,
      });

      const inserted = statements.insertInbound.get({
        conversationId,
        channel: message.channel,
        platformMessageId: message.platformMessageId,
        author: `customer:${message.sender.id}`,
        text: message.text,
        extra: message.attachments.length > 0 ? JSON.stringify(message.attachments) : null,
        createdAt: message.receivedAt.getTime(),
        now,
      })!;

      return { messageId: inserted.id, conversationId, customerId, duplicate: false, state: 'received' };
    });
  }

  async claimInbound(messageId: number, now: number): Promise<InboundRow | undefined> {
    const { statements } = this;
    return this.write(() => {
      const row = statements.messageById.get({ id: messageId });
      if (!row || row.direction !== 'in' || row.state === 'done') return undefined;
      statements.claimMessage.run({ id: messageId, attempts: row.attempts + 1, now });
      return toInbound({ ...row, state: 'processing' }, this.customerOf(row.conversationId));
    });
  }

  private customerOf(conversationId: string): string {
    return this.statements.customerOfConversation.get({ id: conversationId })?.customerId ?? '';
  }

  async getInbound(messageId: number): Promise<InboundRow | undefined> {
    const row = this.statements.messageById.get({ id: messageId });
    if (!row || row.direction !== 'in') return undefined;
    return toInbound(row, this.customerOf(row.conversationId));
  }

  async completeInbound(
    messageId: number,
    outcome: string,
    replies: OutboundDraft[],
    log: RequestLogEntry | null,
    now: number,
  ): Promise<OutboundRow[]> {
    const { statements } = this;
    return this.write((tx) => {
      const inbound = statements.messageById.get({ id: messageId });
      if (!inbound) throw new Error(`inbound message ${messageId} not found`);
      // A second completion of the same message would send a second reply: keep the first.
      if (inbound.state === 'done') {
        return tx
          .select()
          .from(messages)
          .where(eq(messages.replyToId, messageId))
          .orderBy(asc(messages.id))
          .all()
          .map(toOutbound);
      }

      statements.completeMessage.run({ id: messageId, outcome, now });

      const rows = replies.map(
        (draft) =>
          statements.insertReply.get({
            conversationId: inbound.conversationId,
            channel: inbound.channel,
            author: draft.author ?? 'bot',
            kind: draft.kind,
            text: draft.text,
            extra: draft.buttons && draft.buttons.length > 0 ? JSON.stringify(draft.buttons) : null,
            replyToId: messageId,
            now,
          })!,
      );

      if (log) statements.insertRequestLog.run(requestLogParams(log));
      return rows.map(toOutbound);
    });
  }

  async enqueueOutbound(conversationId: string, draft: OutboundDraft, now: number): Promise<OutboundRow> {
    return this.write((tx) => {
      const conversation = tx.select().from(conversations).where(eq(conversations.id, conversationId)).get();
      if (!conversation) throw new Error(`conversation ${conversationId} not found`);
      const row = tx
        .insert(messages)
        .values({
          conversationId,
          direction: 'out',
          channel: conversation.channel,
          author: draft.author ?? 'bot',
          kind: draft.kind,
          text: draft.text,
          extra: draft.buttons && draft.buttons.length > 0 ? JSON.stringify(draft.buttons) : null,
          state: 'pending',
          createdAt: now,
          updatedAt: now,
        })
        .returning()
        .get();
      return toOutbound(row);
    });
  }

  async markSent(outboundId: number, platformIds: string[], now: number): Promise<void> {
    this.statements.markSent.run({ id: outboundId, sentPlatformIds: JSON.stringify(platformIds), now });
  }

  async markSendFailed(outboundId: number, error: string, final: boolean, now: number): Promise<void> {
    this.db
      .update(messages)
      .set({
        state: final ? 'failed' : 'pending',
        error,
        attempts: sql`${messages.attempts} + 1`,
        updatedAt: now,
      })
      .where(eq(messages.id, outboundId))
      .run();
  }

  async listOpenInbound(): Promise<Array<{ id: number; conversationId: string }>> {
    return this.db
      .select({ id: messages.id, conversationId: messages.conversationId })
      .from(messages)
      .where(and(inArray(messages.state, ['received', 'processing']), eq(messages.direction, 'in')))
      .orderBy(asc(messages.id))
      .all();
  }

  async listPendingOutbound(): Promise<OutboundRow[]> {
    return this.db
      .select()
      .from(messages)
      .where(and(eq(messages.state, 'pending'), eq(messages.direction, 'out')))
      .orderBy(asc(messages.id))
      .all()
      .map(toOutbound);
  }

  async listReplies(inboundId: number): Promise<OutboundRow[]> {
    return this.db
      .select()
      .from(messages)
      .where(eq(messages.replyToId, inboundId))
      .orderBy(asc(messages.id))
      .all()
      .map(toOutbound);
  }

  async getConversation(id: string): Promise<ConversationRow | undefined> {
    return this.statements.conversationById.get({ id });
  }

  async setConversationState(id: string, state: ConversationState, now: number): Promise<void> {
    this.db.update(conversations).set({ state, updatedAt: now }).where(eq(conversations.id, id)).run();
  }

  async setConversationSummary(id: string, summary: string, coversTo: number, now: number): Promise<void> {
    this.db
      .update(conversations)
      .set({ summary, summaryCoversTo: coversTo, updatedAt: now })
      .where(eq(conversations.id, id))
      .run();
  }

  async markUnreachable(id: string, now: number): Promise<void> {
    this.db.update(conversations).set({ unreachable: true, updatedAt: now }).where(eq(conversations.id, id)).run();
  }

  async markPersonal(id: string, now: number): Promise<void> {
    this.db.update(conversations).set({ personal: true, updatedAt: now }).where(eq(conversations.id, id)).run();
  }

  async listMessages(conversationId: string, limit: number, uptoId?: number): Promise<MessageRow[]> {
    const rows =
      uptoId === undefined
        ? this.statements.messagesAll.all({ conversationId, limit })
        : this.statements.messagesUpTo.all({ conversationId, uptoId, limit });
    return inConversationOrder(rows);
  }

  async getCustomer(id: string): Promise<CustomerRow | undefined> {
    return this.db.select().from(customers).where(eq(customers.id, id)).get();
  }

  async seedBusinessData(accountRows: AccountRow[], orderRows: OrderRow[], now: number): Promise<boolean> {
    return this.write((tx) => {
      if (tx.select({ id: accounts.customerId }).from(accounts).limit(1).get()) return false;
      for (const account of accountRows) tx.insert(accounts).values({ ...account, updatedAt: now }).run();
      for (const order of orderRows) tx.insert(orders).values({ ...order, items: JSON.stringify(order.items) }).run();
      return true;
    });
  }

  async getAccount(customerId: string) {
    return this.db.select().from(accounts).where(eq(accounts.customerId, customerId)).get();
  }

  async listOrders(customerId: string): Promise<OrderRow[]> {
    return this.db
      .select()
      .from(orders)
      .where(eq(orders.customerId, customerId))
      .orderBy(desc(orders.createdAt))
      .all()
      .map((row) => ({ ...row, items: JSON.parse(row.items) as string[] }));
  }

  async getOrder(orderId: string): Promise<OrderRow | undefined> {
    const row = this.db.select().from(orders).where(eq(orders.id, orderId)).get();
    return row ? { ...row, items: JSON.parse(row.items) as string[] } : undefined;
  }

  async providerCounts(sinceMs: number) {
    return this.db
      .select({ provider: requestLog.provider, fallbackLevel: requestLog.fallbackLevel, count: sql<number>`count(*)` })
      .from(requestLog)
      .where(gte(requestLog.finishedAt, sinceMs))
      .groupBy(requestLog.provider, requestLog.fallbackLevel)
      .all();
  }

  async summarizeRequests(sinceMs: number): Promise<RequestSummary> {
    const since = gte(requestLog.finishedAt, sinceMs);
    const totals = this.db
      .select({
        messages: sql<number>`count(*)`,
        conversations: sql<number>`count(distinct ${requestLog.conversationId})`,
        handoffs: sql<number>`coalesce(sum(${requestLog.outcome} = 'handoff'), 0)`,
        costUsd: sql<number>`coalesce(sum(${requestLog.costUsd}), 0)`,
        cacheHits: sql<number>`coalesce(sum(${requestLog.cacheHit}), 0)`,
      })
      .from(requestLog)
      .where(since)
      .get()!;
    const levels = this.db
      .select({ level: requestLog.fallbackLevel, count: sql<number>`count(*)` })
      .from(requestLog)
      .where(since)
      .groupBy(requestLog.fallbackLevel)
      .all();
    const byFallbackLevel: Record<number, number> = {};
    for (const row of levels) if (row.level !== null) byFallbackLevel[row.level] = row.count;
    return { ...totals, byFallbackLevel };
  }

  async ping(): Promise<boolean> {
    try {
      this.opened.sqlite.prepare('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.opened.close();
  }
}
