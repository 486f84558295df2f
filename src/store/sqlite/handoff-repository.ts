import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { HandoffRepository } from '../../handoff/repository.js';
import type { Handoff, ThreadRef } from '../../handoff/types.js';
import type { SqliteDb } from '../db.js';
import { handoffs } from '../ops-schema.js';
import { handoffToRow, rowToHandoff } from '../rows.js';
import { RecordError } from './errors.js';

/**
 * `HandoffRepository` on the SQLite table `handoffs`. Records read back equal the records
 * written: optional fields that were unset come back absent, not null.
 */
export class SqliteHandoffRepository implements HandoffRepository {
  constructor(private readonly db: SqliteDb) {}

  /** Insert a new handoff; throws `RecordError` `already_exists` when the id is taken. */
  async insert(handoff: Handoff): Promise<void> {
    const result = this.db.insert(handoffs).values(handoffToRow(handoff)).onConflictDoNothing({ target: handoffs.id }).run();
    if (result.changes === 0) {
      throw new RecordError('already_exists', 'handoffs', handoff.id, `handoff ${handoff.id} already exists`);
    }
  }

  /** Replace the stored record with the same id; throws `RecordError` `not_found` when there is none. */
  async update(handoff: Handoff): Promise<void> {
    const { id, ...columns } = handoffToRow(handoff);
    const result = this.db.update(handoffs).set(columns).where(eq(handoffs.id, id)).run();
    if (result.changes === 0) {
      throw new RecordError('not_found', 'handoffs', handoff.id, `handoff ${handoff.id} not found`);
    }
  }

  async get(id: string): Promise<Handoff | undefined> {
    const row = this.db.select().from(handoffs).where(eq(handoffs.id, id)).get();
    return row && rowToHandoff(row);
  }

  /** Return the oldest handoff of the conversation that is not resolved, if any. */
  async findOpenByConversation(conversationId: string): Promise<Handoff | undefined> {
    const row = this.db
      .select()
      .from(handoffs)
      .where(and(eq(handoffs.conversationId, conversationId), ne(handoffs.state, 'resolved')))
      .orderBy(asc(handoffs.openedAt), sql`rowid`)
      .limit(1)
      .get();
    return row && rowToHandoff(row);
  }

  /** Return the first inserted handoff whose card is in `thread`, in any state. */
  async findByThread(thread: ThreadRef): Promise<Handoff | undefined> {
    const row = this.db
      .select()
      .from(handoffs)
      .where(and(eq(handoffs.staffChannel, thread.channel), eq(handoffs.staffThreadTs, thread.ts)))
      .orderBy(sql`rowid`)
      .limit(1)
      .get();
    return row && rowToHandoff(row);
  }

  /** Return every handoff not resolved yet, oldest first. Ties keep insertion order. */
  async listOpen(): Promise<Handoff[]> {
    return this.db
      .select()
      .from(handoffs)
      .where(ne(handoffs.state, 'resolved'))
      .orderBy(asc(handoffs.openedAt), sql`rowid`)
      .all()
      .map(rowToHandoff);
  }
}
