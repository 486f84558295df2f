import { and, asc, eq, ne } from 'drizzle-orm';

import type { HandoffRepository } from '../../handoff/repository.js';
import type { Handoff, HandoffReason, StaffUser } from '../../handoff/types.js';
import type { ThreadRef } from '../../handoff/types.js';
import { RecordError } from '../sqlite/errors.js';
import type { PgDb } from './connect.js';
import { handoffs } from './ops-schema.js';

type HandoffRow = Omit<typeof handoffs.$inferInsert, 'seq'>;
type HandoffRecord = typeof handoffs.$inferSelect;

/**
 * `HandoffRepository` on the PostgreSQL table `handoffs`; it behaves as
 * SqliteHandoffRepository does, with `seq` in place of SQLite's rowid for ties.
 */
export class PgHandoffRepository implements HandoffRepository {
  constructor(private readonly db: PgDb) {}

  /** Insert a new handoff; throws `RecordError` `already_exists` when the id is taken. */
  async insert(handoff: Handoff): Promise<void> {
    const rows = await this.db
      .insert(handoffs)
      .values(toRow(handoff))
      .onConflictDoNothing({ target: handoffs.id })
      .returning({ id: handoffs.id });
    if (rows.length === 0) {
      throw new RecordError('already_exists', 'handoffs', handoff.id, `handoff ${handoff.id} already exists`);
    }
  }

  /** Replace the stored record with the same id; throws `RecordError` `not_found` when there is none. */
  async update(handoff: Handoff): Promise<void> {
    const { id, ...columns } = toRow(handoff);
    const rows = await this.db.update(handoffs).set(columns).where(eq(handoffs.id, id)).returning({ id: handoffs.id });
    if (rows.length === 0) {
      throw new RecordError('not_found', 'handoffs', handoff.id, `handoff ${handoff.id} not found`);
    }
  }

  async get(id: string): Promise<Handoff | undefined> {
    const [row] = await this.db.select().from(handoffs).where(eq(handoffs.id, id));
    return row && toHandoff(row);
  }

  /** Return the oldest handoff of the conversation that is not resolved, if any. */
  async findOpenByConversation(conversationId: string): Promise<Handoff | undefined> {
    const [row] = await this.db
      .select()
      .from(handoffs)
      .where(and(eq(handoffs.conversationId, conversationId), ne(handoffs.state, 'resolved')))
      .orderBy(asc(handoffs.openedAt), asc(handoffs.seq))
      .limit(1);
    return row && toHandoff(row);
  }

  /** Return the first inserted handoff whose card is in `thread`, in any state. */
  async findByThread(thread: ThreadRef): Promise<Handoff | undefined> {
    const [row] = await this.db
      .select()
      .from(handoffs)
      .where(and(eq(handoffs.staffChannel, thread.channel), eq(handoffs.staffThreadTs, thread.ts)))
      .orderBy(asc(handoffs.seq))
      .limit(1);
    return row && toHandoff(row);
  }

  /** Return every handoff not resolved yet, oldest first. Ties keep insertion order. */
  async listOpen(): Promise<Handoff[]> {
    const rows = await this.db
      .select()
      .from(handoffs)
      .where(ne(handoffs.state, 'resolved'))
      .orderBy(asc(handoffs.openedAt), asc(handoffs.seq));
    return rows.map(toHandoff);
  }
}

function toRow(handoff: Handoff): HandoffRow {
  return {
    id: handoff.id,
    conversationId: handoff.conversationId,
    channel: handoff.channel,
    chatId: handoff.chatId,
    customerName: handoff.customerName,
    locale: handoff.locale,
    reason: handoff.reason,
    state: handoff.state,
    staffChannel: handoff.thread?.channel ?? null,
    staffThreadTs: handoff.thread?.ts ?? null,
    claimedById: handoff.claimedBy?.id ?? null,
    claimedByName: handoff.claimedBy?.name ?? null,
    resolvedById: handoff.resolvedBy?.id ?? null,
    resolvedByName: handoff.resolvedBy?.name ?? null,
    openedAt: handoff.openedAt,
    claimedAt: handoff.claimedAt ?? null,
    resolvedAt: handoff.resolvedAt ?? null,
    reminderSentAt: handoff.reminderSentAt ?? null,
  };
}

function toHandoff(row: HandoffRecord): Handoff {
  const handoff: Handoff = {
    id: row.id,
    conversationId: row.conversationId,
    channel: row.channel,
    chatId: row.chatId,
    customerName: row.customerName,
    locale: row.locale,
    reason: row.reason as HandoffReason,
    state: row.state,
    openedAt: row.openedAt,
  };
  if (row.staffChannel !== null && row.staffThreadTs !== null) {
    handoff.thread = { channel: row.staffChannel, ts: row.staffThreadTs };
  }
  const claimedBy = toStaffUser(row.claimedById, row.claimedByName);
  if (claimedBy) handoff.claimedBy = claimedBy;
  const resolvedBy = toStaffUser(row.resolvedById, row.resolvedByName);
  if (resolvedBy) handoff.resolvedBy = resolvedBy;
  if (row.claimedAt !== null) handoff.claimedAt = row.claimedAt;
  if (row.resolvedAt !== null) handoff.resolvedAt = row.resolvedAt;
  if (row.reminderSentAt !== null) handoff.reminderSentAt = row.reminderSentAt;
  return handoff;
}

function toStaffUser(id: string | null, name: string | null): StaffUser | undefined {
  if (id === null) return undefined;
  return name === null ? { id } : { id, name };
}
