/** PostgreSQL implementations of the operational ports, all on the pool of one PgStore. */
import type { PgDb } from './connect.js';
import { PgGuardStore } from './guard-store.js';
import { PgHandoffRepository } from './handoff-repository.js';
import { PgFeedbackStore, PgTelegramAliasStore, PgUsageStore } from './small-stores.js';

export { PgGuardStore } from './guard-store.js';
export { PgHandoffRepository } from './handoff-repository.js';
export { PgFeedbackStore, PgTelegramAliasStore, PgUsageStore } from './small-stores.js';

/** The operational repositories on one PostgreSQL database. */
export interface PgOpsRepositories {
  guard: PgGuardStore;
  handoffs: PgHandoffRepository;
  usage: PgUsageStore;
  telegramAliases: PgTelegramAliasStore;
  feedback: PgFeedbackStore;
}

/** Create every operational repository on `db`, such as `(await PgStore.open(url)).db`. */
export function createPgOpsRepositories(db: PgDb): PgOpsRepositories {
  return {
    guard: new PgGuardStore(db),
    handoffs: new PgHandoffRepository(db),
    usage: new PgUsageStore(db),
    telegramAliases: new PgTelegramAliasStore(db),
    feedback: new PgFeedbackStore(db),
  };
}
