import { afterAll } from 'vitest';

import { createPgOpsRepositories, type PgOpsRepositories } from '../../src/store/pg/ops.js';
import { PgStore } from '../../src/store/pg/pg-store.js';
import { dropSchema, PG_URL, pgAvailable, uniqueName } from '../scale/services.js';

export { pgAvailable };

const OPS_TABLES = [
  'guard_blocks',
  'guard_allowlist',
  'guard_limit_overrides',
  'guard_audit',
  'handoffs',
  'customer_daily_usage',
  'telegram_chat_aliases',
  'feedback',
];

/**
 * PostgreSQL operational repositories for one test file: the first call opens a fresh
 * schema, later calls empty its tables, and the schema is dropped after the file's tests.
 */
export function pgOpsFactory(): () => Promise<PgOpsRepositories> {
  let opened: { store: PgStore; schema: string } | undefined;
  afterAll(async () => {
    if (!opened) return;
    await opened.store.close();
    await dropSchema(opened.schema);
  });
  return async () => {
    if (!opened) {
      const schema = uniqueName('fd_ops');
      opened = { store: await PgStore.open(PG_URL, { schema, poolSize: 4 }), schema };
    } else {
      await opened.store.pool.query(`TRUNCATE ${OPS_TABLES.join(', ')} RESTART IDENTITY`);
    }
    return createPgOpsRepositories(opened.store.db);
  };
}
