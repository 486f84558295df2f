/** SQLite implementations of the persistence ports defined by the guard, handoff, monitor and Telegram modules. */
import type { SqliteDb } from '../db.js';
import { SqliteFeedbackStore } from './feedback-store.js';
import { SqliteGuardStore } from './guard-store.js';
import { SqliteHandoffRepository } from './handoff-repository.js';
import { SqliteTelegramAliasStore } from './telegram-alias-store.js';
import { SqliteUsageStore } from './usage-store.js';

export { RecordError, type RecordErrorCode } from './errors.js';
export {
  InMemoryFeedbackStore,
  SqliteFeedbackStore,
  type FeedbackEntry,
  type FeedbackStore,
  type StoredFeedback,
} from './feedback-store.js';
export { SqliteGuardStore } from './guard-store.js';
export { SqliteHandoffRepository } from './handoff-repository.js';
export { InMemoryTelegramAliasStore, SqliteTelegramAliasStore, type TelegramAliasStore } from './telegram-alias-store.js';
export { SqliteUsageStore } from './usage-store.js';

/** The operational repositories, all on one database. */
export interface OpsRepositories {
  guard: SqliteGuardStore;
  handoffs: SqliteHandoffRepository;
  usage: SqliteUsageStore;
  telegramAliases: SqliteTelegramAliasStore;
  feedback: SqliteFeedbackStore;
}

/** Create every operational repository on `db`, such as `new SqliteStore(url).db`. */
export function createOpsRepositories(db: SqliteDb): OpsRepositories {
  return {
    guard: new SqliteGuardStore(db),
    handoffs: new SqliteHandoffRepository(db),
    usage: new SqliteUsageStore(db),
    telegramAliases: new SqliteTelegramAliasStore(db),
    feedback: new SqliteFeedbackStore(db),
  };
}
