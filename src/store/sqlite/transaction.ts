import type { SqliteDb } from '../db.js';

/**
 * Run `fn` in a read transaction, so that its selects see one snapshot even while another
 * connection writes between them.
 */
export function readSnapshot<T>(db: SqliteDb, fn: (tx: SqliteDb) => T): T {
  // The transaction handle has the same query builder as the database it came from.
  return db.transaction((tx) => fn(tx as unknown as SqliteDb), { behavior: 'deferred' });
}
