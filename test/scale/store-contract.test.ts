import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { PgStore } from '../../src/store/pg/pg-store.js';
import { tempDir } from '../helpers/core.js';
import { dropSchema, PG_URL, pgAvailable, uniqueName } from './services.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('SqliteStore', async () => {
  const dir = tempDir('frontdesk-store-');
  const store = new SqliteStore(`file:${join(dir.path, 'store.db')}`);
  return {
    store,
    cleanup: async () => {
      await store.close();
      dir.cleanup();
    },
  };
});

describeStoreContract(
  'PgStore',
  async () => {
    const schema = uniqueName('fd_test');
    const store = await PgStore.open(PG_URL, { schema, poolSize: 3 });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await dropSchema(schema);
      },
    };
  },
  !pgAvailable,
);
