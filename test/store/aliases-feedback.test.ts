import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ChatAliases } from '../../adapters/telegram/aliases.js';
import {
  InMemoryFeedbackStore,
  SqliteFeedbackStore,
  type FeedbackEntry,
  type FeedbackStore,
} from '../../src/store/sqlite/feedback-store.js';
import {
  InMemoryTelegramAliasStore,
  SqliteTelegramAliasStore,
  type TelegramAliasStore,
} from '../../src/store/sqlite/telegram-alias-store.js';
import { tempDatabase, type TempDatabase } from './helpers.js';
import { pgAvailable, pgOpsFactory } from './pg-helpers.js';

const AT = Date.UTC(2026, 0, 5, 10);

let database: TempDatabase | undefined;
afterEach(() => {
  database?.remove();
  database = undefined;
});

function sqliteDb() {
  database = tempDatabase();
  return database.open().db;
}

const pgOps = pgOpsFactory();
const aliasStores: Array<[string, () => TelegramAliasStore | Promise<TelegramAliasStore>]> = [
  ['InMemoryTelegramAliasStore', () => new InMemoryTelegramAliasStore()],
  ['SqliteTelegramAliasStore', () => new SqliteTelegramAliasStore(sqliteDb())],
  ...(pgAvailable
    ? [['PgTelegramAliasStore', async () => (await pgOps()).telegramAliases] as [string, () => Promise<TelegramAliasStore>]]
    : []),
];

describe.each(aliasStores)('%s', (_name, createStore) => {
  let store: TelegramAliasStore;
  beforeEach(async () => {
    store = await createStore();
  });

  it('lists aliases in migration order', async () => {
    expect(await store.list()).toEqual([]);
    await store.put('-200', '-1002', AT + 1);
    await store.put('-100', '-1001', AT);
    expect(await store.list()).toEqual([
      ['-100', '-1001'],
      ['-200', '-1002'],
    ]);
  });

  it('keeps the first time of a repeated migration', async () => {
    await store.put('-100', '-1001', AT);
    await store.put('-1001', '-1009', AT + 1);
    await store.put('-100', '-1001', AT + 2);
    expect(await store.list()).toEqual([
      ['-100', '-1001'],
      ['-1001', '-1009'],
    ]);
  });

  it('replays a migration chain into ChatAliases', async () => {
    await store.put('-100', '-1001', AT);
    await store.put('-1001', '-1009', AT + 1);
    const aliases = new ChatAliases(await store.list());
    expect(aliases.conversationChatId('-1009')).toBe('-100');
    expect(aliases.targetChatId('-100')).toBe('-1009');
  });
});

function entry(overrides: Partial<FeedbackEntry> = {}): FeedbackEntry {
  return {
    conversationId: 'telegram:42',
    customerId: 'telegram:7',
    messageId: null,
    kind: 'thumb',
    value: 1,
    createdAt: AT,
    ...overrides,
  };
}

const feedbackStores: Array<[string, () => FeedbackStore | Promise<FeedbackStore>]> = [
  ['InMemoryFeedbackStore', () => new InMemoryFeedbackStore()],
  ['SqliteFeedbackStore', () => new SqliteFeedbackStore(sqliteDb())],
  ...(pgAvailable ? [['PgFeedbackStore', async () => (await pgOps()).feedback] as [string, () => Promise<FeedbackStore>]] : []),
];

describe.each(feedbackStores)('%s', (_name, createStore) => {
  let store: FeedbackStore;
  beforeEach(async () => {
    store = await createStore();
  });

  it('lists entries since a time, oldest first', async () => {
    await store.add(entry({ createdAt: AT + 2, kind: 'rating', value: 4, messageId: 17 }));
    await store.add(entry({ createdAt: AT - 1, value: 0 }));
    await store.add(entry({ createdAt: AT }));

    const listed = await store.listSince(AT);
    expect(listed.map(({ id: _id, ...rest }) => rest)).toEqual([
      entry({ createdAt: AT }),
      entry({ createdAt: AT + 2, kind: 'rating', value: 4, messageId: 17 }),
    ]);
    expect(new Set(listed.map((each) => each.id)).size).toBe(2);
    expect(await store.listSince(AT + 3)).toEqual([]);
  });

  it('keeps insertion order at one time', async () => {
    await store.add(entry({ value: 0 }));
    await store.add(entry({ value: 1 }));
    expect((await store.listSince(AT)).map((each) => each.value)).toEqual([0, 1]);
  });
});

describe('SQLite aliases and feedback on a file', () => {
  it('keep their rows across reopening', async () => {
    database = tempDatabase();
    const first = database.open();
    await new SqliteTelegramAliasStore(first.db).put('-100', '-1001', AT);
    await new SqliteFeedbackStore(first.db).add(entry({ kind: 'rating', value: 5 }));
    first.close();

    const reopened = database.open();
    expect(await new SqliteTelegramAliasStore(reopened.db).list()).toEqual([['-100', '-1001']]);
    expect(await new SqliteFeedbackStore(reopened.db).listSince(0)).toEqual([{ id: 1, ...entry({ kind: 'rating', value: 5 }) }]);
  });
});
