import { and, asc, eq, ne } from 'drizzle-orm';
import type { HandoffRepository } from '../../handoff/repository.js';
import type { Handoff, ThreadRef } from '../../handoff/types.js';
import { handoffToRow, rowToHandoff } from '../rows.js';
import { RecordError } from '../sqlite/errors.js';
import type { PgDb } from './connect.js';
import { handoffs } from './ops-schema.js';

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
      .values(handoffToRow(handoff))
      .onConflictDoNothing({ target: handoffs.id })
      .returning({ id: handoffs.id });
    if (rows.length === 0) {
      throw new RecordError('already_exists', 'handoffs', handoff.id, `handoff ${handoff.id} already exists`);
    }
  }

  /** Replace the stored record with the same id; throws `RecordError` `not_found` when there is none. */
  async update(handoff: Handoff): Promise<void> {
    const { id, ...columns } = handoffToRow(handoff);
    const rows = await this.db.update(handoffs).set(columns).where(eq(handoffs.id, id)).returning({ id: handoffs.id });
    if (rows.length === 0) {
      throw new RecordError('not_found', 'handoffs', handoff.id, `handoff ${handoff.id} not found`);
    }
  }

  async get(id: string): Promise<Handoff | undefined> {
    const [row] = await this.db.select().from(handoffs).where(eq(handoffs.id, id));
    return row && rowToHandoff(row);
  }

  /** Return the oldest handoff of the conversation that is not resolved, if any. */
  async findOpenByConversation(conversationId: string): Promise<Handoff | undefined> {
    const [row] = await this.db
      .select()
      .from(handoffs)
      .where(and(eq(handoffs.conversationId, conversationId), ne(handoffs.state, 'resolved')))
      .orderBy(asc(handoffs.openedAt), asc(handoffs.seq))
      .limit(1);
    return row && rowToHandoff(row);
  }

  /** Return the first inserted handoff whose card is in `thread`, in any state. */
  async findByThread(thread: ThreadRef): Promise<Handoff | undefined> {
    const [row] = await this.db
      .select()
      .from(handoffs)
      .where(and(eq(handoffs.staffChannel, thread.channel), eq(handoffs.staffThreadTs, thread.ts)))
      .orderBy(asc(handoffs.seq))
      .limit(1);
    return row && rowToHandoff(row);
  }

  /** Return every handoff not resolved yet, oldest first. Ties keep insertion order. */
  async listOpen(): Promise<Handoff[]> {
    const rows = await this.db
      .select()
      .from(handoffs)
      .where(ne(handoffs.state, 'resolved'))
      .orderBy(asc(handoffs.openedAt), asc(handoffs.seq));
    return rows.map(rowToHandoff);
  }
}
