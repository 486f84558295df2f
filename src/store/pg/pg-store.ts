import { and, asc, desc, eq, gte, inArray, lte, ne, or, sql } from 'drizzle-orm';
import type pg from 'pg';
import type { InboundMessage } from '../../bus/types.js';
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
} from '../types.js';
import { openPg, type PgDb, type PgOpenOptions } from './connect.js';
import { acceptInbound, completeInbound } from './inbound.js';
import { inConversationOrder, toInbound, toOutbound } from '../rows.js';
import { accounts, conversations, customers, messages, orders, requestLog } from './schema.js';

/**
 * The shared store for several processes: PostgreSQL through a `pg.Pool`. Every change of
 * more than one row runs in one transaction. Duplicate deliveries are settled by the
 * partial unique index on (channel, platform_message_id), so they stay single even when two
 * processes accept the same message at the same moment.
 *
 * Fencing: each claim increments the message's `attempts`. When this instance claimed a
 * message and another worker claimed it again since, `completeInbound` of the older claim
 * stores nothing and throws StaleClaimError, so a slow worker whose job was redelivered
 * cannot complete the message in place of the newer run. A completion of a message that is
 * already done returns the stored replies, as in every Store.
 */
export class PgStore implements Store {
  /**
   * Claim counter (`attempts`) that this instance saw when it last claimed each message.
   * NOTE: an entry is removed by the message's completion in this process; a claim that is
   * never completed here (its worker stopped mid-message) leaves one small entry behind.
   */
  private readonly claims = new Map<number, number>();

  private constructor(
    readonly db: PgDb,
    readonly pool: pg.Pool,
  ) {}

  /** Connect, apply pending migrations to `options.schema` (default `public`) and return the store. */
  static async open(url: string, options: PgOpenOptions = {}): Promise<PgStore> {
    const { db, pool } = await openPg(url, options);
    return new PgStore(db, pool);
  }

  async acceptInbound(message: InboundMessage, now: number): Promise<AcceptedInbound> {
    return acceptInbound(this.db, message, now);
  }

  async claimInbound(messageId: number, now: number): Promise<InboundRow | undefined> {
    // One statement, so two workers racing for the same message both succeed in turn and
    // each gets its own claim number. Neither can claim a message that is already done.
    const [row] = await this.db
      .update(messages)
      .set({ state: 'processing', attempts: sql`${messages.attempts} + 1`, updatedAt: now })
      .where(and(eq(messages.id, messageId), eq(messages.direction, 'in'), ne(messages.state, 'done')))
      .returning();
    if (!row) return undefined;
    this.claims.set(messageId, row.attempts);
    return toInbound(row, await this.customerOf(row.conversationId));
  }

  private async customerOf(conversationId: string): Promise<string> {
    const [conversation] = await this.db
      .select({ customerId: conversations.customerId })
      .from(conversations)
      .where(eq(conversations.id, conversationId));
    return conversation?.customerId ?? '';
  }

  async getInbound(messageId: number): Promise<InboundRow | undefined> {
    const [row] = await this.db.select().from(messages).where(eq(messages.id, messageId));
    if (!row || row.direction !== 'in') return undefined;
    return toInbound(row, await this.customerOf(row.conversationId));
  }

  async completeInbound(
    messageId: number,
    outcome: string,
    replies: OutboundDraft[],
    log: RequestLogEntry | null,
    now: number,
  ): Promise<OutboundRow[]> {
    const claimed = this.claims.get(messageId);
    this.claims.delete(messageId);
    return completeInbound(this.db, { messageId, claimed, outcome, replies, log, now });
  }

  async enqueueOutbound(conversationId: string, draft: OutboundDraft, now: number): Promise<OutboundRow> {
    const [conversation] = await this.db
      .select({ channel: conversations.channel })
      .from(conversations)
      .where(eq(conversations.id, conversationId));
    if (!conversation) throw new Error(`conversation ${conversationId} not found`);
    const [row] = await this.db
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
      .returning();
    return toOutbound(row!);
  }

  async markSent(outboundId: number, platformIds: string[], now: number): Promise<void> {
    await this.db
      .update(messages)
      .set({ state: 'sent', sentPlatformIds: JSON.stringify(platformIds), updatedAt: now })
      .where(eq(messages.id, outboundId));
  }

  async markSendFailed(outboundId: number, error: string, final: boolean, now: number): Promise<void> {
    await this.db
      .update(messages)
      .set({ state: final ? 'failed' : 'pending', error, attempts: sql`${messages.attempts} + 1`, updatedAt: now })
      .where(eq(messages.id, outboundId));
  }

  async listOpenInbound(): Promise<Array<{ id: number; conversationId: string }>> {
    return this.db
      .select({ id: messages.id, conversationId: messages.conversationId })
      .from(messages)
      .where(and(inArray(messages.state, ['received', 'processing']), eq(messages.direction, 'in')))
      .orderBy(asc(messages.id));
  }

  async listPendingOutbound(): Promise<OutboundRow[]> {
    const rows = await this.db
      .select()
      .from(messages)
      .where(and(eq(messages.state, 'pending'), eq(messages.direction, 'out')))
      .orderBy(asc(messages.id));
    return rows.map(toOutbound);
  }

  async listReplies(inboundId: number): Promise<OutboundRow[]> {
    const rows = await this.db.select().from(messages).where(eq(messages.replyToId, inboundId)).orderBy(asc(messages.id));
    return rows.map(toOutbound);
  }

  async getConversation(id: string): Promise<ConversationRow | undefined> {
    const [row] = await this.db.select().from(conversations).where(eq(conversations.id, id));
    return row;
  }

  async setConversationState(id: string, state: ConversationState, now: number): Promise<void> {
    await this.db.update(conversations).set({ state, updatedAt: now }).where(eq(conversations.id, id));
  }

  async setConversationSummary(id: string, summary: string, coversTo: number, now: number): Promise<void> {
    await this.db
      .update(conversations)
      .set({ summary, summaryCoversTo: coversTo, updatedAt: now })
      .where(eq(conversations.id, id));
  }

  async markUnreachable(id: string, now: number): Promise<void> {
    await this.db.update(conversations).set({ unreachable: true, updatedAt: now }).where(eq(conversations.id, id));
  }

  async listMessages(conversationId: string, limit: number, uptoId?: number): Promise<MessageRow[]> {
    const rows = await this.db
      .select({
        id: messages.id,
        direction: messages.direction,
        author: messages.author,
        kind: messages.kind,
        text: messages.text,
        state: messages.state,
        outcome: messages.outcome,
        replyToId: messages.replyToId,
        createdAt: messages.createdAt,
      })
      .from(messages)
      .where(
        uptoId === undefined
          ? eq(messages.conversationId, conversationId)
          : and(eq(messages.conversationId, conversationId), or(eq(messages.direction, 'out'), lte(messages.id, uptoId))),
      )
      .orderBy(desc(messages.id))
      .limit(limit);
    return inConversationOrder(rows);
  }

  async getCustomer(id: string): Promise<CustomerRow | undefined> {
    const [row] = await this.db.select().from(customers).where(eq(customers.id, id));
    return row;
  }

  async markPersonal(id: string, now: number): Promise<void> {
    await this.db.update(conversations).set({ personal: true, updatedAt: now }).where(eq(conversations.id, id));
  }

  async seedBusinessData(accountRows: AccountRow[], orderRows: OrderRow[], now: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // The lock makes concurrent start-ups of several processes seed once.
      await tx.execute(sql`LOCK TABLE ${accounts} IN EXCLUSIVE MODE`);
      const existing = await tx.select({ id: accounts.customerId }).from(accounts).limit(1);
      if (existing.length > 0) return false;
      if (accountRows.length > 0) await tx.insert(accounts).values(accountRows.map((account) => ({ ...account, updatedAt: now })));
      if (orderRows.length > 0) await tx.insert(orders).values(orderRows.map((order) => ({ ...order, items: JSON.stringify(order.items) })));
      return true;
    });
  }

  async summarizeRequests(sinceMs: number): Promise<RequestSummary> {
    const since = gte(requestLog.finishedAt, sinceMs);
    const [totals] = await this.db
      .select({
        messages: sql<number>`count(*)::int`,
        conversations: sql<number>`count(distinct ${requestLog.conversationId})::int`,
        handoffs: sql<number>`count(*) filter (where ${requestLog.outcome} = 'handoff')::int`,
        costUsd: sql<number>`coalesce(sum(${requestLog.costUsd}), 0)::float8`,
        cacheHits: sql<number>`count(*) filter (where ${requestLog.cacheHit})::int`,
      })
      .from(requestLog)
      .where(since);
    const levels = await this.db
      .select({ level: requestLog.fallbackLevel, count: sql<number>`count(*)::int` })
      .from(requestLog)
      .where(since)
      .groupBy(requestLog.fallbackLevel);
    const byFallbackLevel: Record<number, number> = {};
    for (const row of levels) if (row.level !== null) byFallbackLevel[row.level] = row.count;
    return { ...totals!, byFallbackLevel };
  }

  async getAccount(customerId: string) {
    const [row] = await this.db.select().from(accounts).where(eq(accounts.customerId, customerId));
    return row;
  }

  async listOrders(customerId: string): Promise<OrderRow[]> {
    const rows = await this.db.select().from(orders).where(eq(orders.customerId, customerId)).orderBy(desc(orders.createdAt));
    return rows.map((row) => ({ ...row, items: JSON.parse(row.items) as string[] }));
  }

  async getOrder(orderId: string): Promise<OrderRow | undefined> {
    const [row] = await this.db.select().from(orders).where(eq(orders.id, orderId));
    return row ? { ...row, items: JSON.parse(row.items) as string[] } : undefined;
  }

  async providerCounts(sinceMs: number) {
    return this.db
      .select({
        provider: requestLog.provider,
        fallbackLevel: requestLog.fallbackLevel,
        // count(*) is bigint, which pg returns as a string; int is wide enough for a count.
        count: sql<number>`count(*)::int`,
      })
      .from(requestLog)
      .where(gte(requestLog.finishedAt, sinceMs))
      .groupBy(requestLog.provider, requestLog.fallbackLevel);
  }

  async ping(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
