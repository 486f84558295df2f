import { Worker } from 'node:worker_threads';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ManualClock } from '../../src/clock.js';
import { createGuard } from '../../src/guard/index.js';
import { MemoryGuardStore, type AuditEntry, type BlockEntry, type GuardStore } from '../../src/guard/store.js';
import { SqliteGuardStore } from '../../src/store/sqlite/guard-store.js';
import type { InboundMessage } from '../../src/bus/types.js';
import { tempDatabase, type TempDatabase } from './helpers.js';
import { pgAvailable, pgOpsFactory } from './pg-helpers.js';

const AT = Date.UTC(2026, 0, 5, 10);

function block(sender: string, overrides: Partial<BlockEntry> = {}): BlockEntry {
  return { sender, by: 'ops-anna', reason: 'spam', at: AT, noticeSent: false, ...overrides };
}

let database: TempDatabase | undefined;
afterEach(() => {
  database?.remove();
  database = undefined;
});

const pgOps = pgOpsFactory();
const implementations: Array<[string, () => GuardStore | Promise<GuardStore>]> = [
  ['MemoryGuardStore', () => new MemoryGuardStore()],
  [
    'SqliteGuardStore',
    () => {
      database = tempDatabase();
      return new SqliteGuardStore(database.open().db);
    },
  ],
  ...(pgAvailable ? [['PgGuardStore', async () => (await pgOps()).guard] as [string, () => Promise<GuardStore>]] : []),
];

describe.each(implementations)('%s', (_name, createStore) => {
  let store: GuardStore;
  beforeEach(async () => {
    store = await createStore();
  });

  it('returns an empty policy for an unknown sender', async () => {
    expect(await store.getPolicy('test:nobody')).toEqual({});
  });

  it('stores and replaces a block', async () => {
    await store.putBlock(block('test:troll', { noticeSent: true }));
    expect((await store.getPolicy('test:troll')).block).toEqual(block('test:troll', { noticeSent: true }));

    await store.putBlock(block('test:troll', { by: 'ops-bruno', reason: 'threats', at: AT + 1 }));
    expect((await store.getPolicy('test:troll')).block).toEqual(
      block('test:troll', { by: 'ops-bruno', reason: 'threats', at: AT + 1 }),
    );
  });

  it('deletes a block once', async () => {
    await store.putBlock(block('test:troll'));
    expect(await store.deleteBlock('test:troll')).toBe(true);
    expect(await store.deleteBlock('test:troll')).toBe(false);
    expect(await store.getPolicy('test:troll')).toEqual({});
  });

  it('marks the block notice once per block', async () => {
    expect(await store.markBlockNoticeSent('test:troll')).toBe(false);

    await store.putBlock(block('test:troll'));
    expect(await store.markBlockNoticeSent('test:troll')).toBe(true);
    expect(await store.markBlockNoticeSent('test:troll')).toBe(false);
    expect((await store.getPolicy('test:troll')).block?.noticeSent).toBe(true);

    await store.putBlock(block('test:troll', { at: AT + 5 }));
    expect(await store.markBlockNoticeSent('test:troll')).toBe(true);
  });

  it('lists blocks in insertion order', async () => {
    await store.putBlock(block('test:b', { at: AT + 2 }));
    await store.putBlock(block('test:a', { at: AT + 1 }));
    await store.putBlock(block('test:b', { at: AT + 3, reason: 'again' }));
    expect(await store.listBlocks()).toEqual([
      block('test:b', { at: AT + 3, reason: 'again' }),
      block('test:a', { at: AT + 1 }),
    ]);
  });

  it('stores and deletes an allow entry', async () => {
    await store.putAllow({ sender: 'test:partner', by: 'ops-anna', at: AT });
    expect((await store.getPolicy('test:partner')).allow).toEqual({ sender: 'test:partner', by: 'ops-anna', at: AT });
    expect(await store.deleteAllow('test:partner')).toBe(true);
    expect(await store.deleteAllow('test:partner')).toBe(false);
    expect(await store.getPolicy('test:partner')).toEqual({});
  });

  it('stores and deletes a limit override', async () => {
    await store.putLimit({ sender: 'test:bob', points: { minute: 2, hour: 10 }, by: 'ops-anna', at: AT });
    await store.putLimit({ sender: 'test:bob', points: { minute: 3 }, by: 'ops-carla', at: AT + 1 });
    expect((await store.getPolicy('test:bob')).limit).toEqual({
      sender: 'test:bob',
      points: { minute: 3 },
      by: 'ops-carla',
      at: AT + 1,
    });
    expect(await store.deleteLimit('test:bob')).toBe(true);
    expect(await store.deleteLimit('test:bob')).toBe(false);
  });

  it('returns the whole policy in one call', async () => {
    await store.putBlock(block('test:x'));
    await store.putAllow({ sender: 'test:x', by: 'ops-anna', at: AT });
    await store.putLimit({ sender: 'test:x', points: { minute: 1 }, by: 'ops-anna', at: AT });
    const policy = await store.getPolicy('test:x');
    expect(Object.keys(policy).sort()).toEqual(['allow', 'block', 'limit']);
  });

  it('hands out copies of stored entries', async () => {
    await store.putLimit({ sender: 'test:bob', points: { minute: 2 }, by: 'ops-anna', at: AT });
    await store.putBlock(block('test:bob'));
    const policy = await store.getPolicy('test:bob');
    policy.limit!.points.minute = 99;
    policy.block!.noticeSent = true;
    const again = await store.getPolicy('test:bob');
    expect(again.limit?.points).toEqual({ minute: 2 });
    expect(again.block?.noticeSent).toBe(false);
  });

  it('lists the audit newest first', async () => {
    const entries: AuditEntry[] = [
      { at: AT, by: 'ops-anna', action: 'block', sender: 'test:a', detail: 'spam' },
      { at: AT + 1, by: 'ops-anna', action: 'allow', sender: 'test:b' },
      { at: AT + 2, by: 'ops-bruno', action: 'unblock', sender: 'test:a' },
    ];
    for (const entry of entries) await store.appendAudit(entry);

    expect(await store.listAudit()).toEqual([...entries].reverse());
    expect(await store.listAudit({ sender: 'test:a' })).toEqual([entries[2], entries[0]]);
    expect(await store.listAudit({ limit: 1 })).toEqual([entries[2]]);
    expect((await store.listAudit())[1]).not.toHaveProperty('detail');
  });

  it('keeps insertion order for audit entries at one time', async () => {
    await store.appendAudit({ at: AT, by: 'ops-anna', action: 'set_limit', sender: 'test:a' });
    await store.appendAudit({ at: AT, by: 'ops-anna', action: 'clear_limit', sender: 'test:a' });
    expect((await store.listAudit()).map((entry) => entry.action)).toEqual(['clear_limit', 'set_limit']);
  });

  it('caps the audit listing at 100 by default', async () => {
    for (let i = 0; i < 105; i += 1) {
      await store.appendAudit({ at: AT + i, by: 'ops-anna', action: 'allow', sender: 'test:a' });
    }
    const listed = await store.listAudit();
    expect(listed).toHaveLength(100);
    expect(listed[0]?.at).toBe(AT + 104);
  });
});

describe('SqliteGuardStore on a file', () => {
  it('keeps lists across reopening', async () => {
    database = tempDatabase();
    const first = database.open();
    const store = new SqliteGuardStore(first.db);
    await store.putBlock(block('test:troll'));
    await store.markBlockNoticeSent('test:troll');
    await store.putAllow({ sender: 'test:partner', by: 'ops-anna', at: AT });
    await store.putLimit({ sender: 'test:bob', points: { minute: 2 }, by: 'ops-anna', at: AT });
    await store.appendAudit({ at: AT, by: 'ops-anna', action: 'block', sender: 'test:troll', detail: 'spam' });
    first.close();

    const reopened = new SqliteGuardStore(database.open().db);
    expect((await reopened.getPolicy('test:troll')).block).toEqual(block('test:troll', { noticeSent: true }));
    expect(await reopened.markBlockNoticeSent('test:troll')).toBe(false);
    expect((await reopened.getPolicy('test:partner')).allow?.by).toBe('ops-anna');
    expect((await reopened.getPolicy('test:bob')).limit?.points).toEqual({ minute: 2 });
    expect(await reopened.listAudit()).toEqual([
      { at: AT, by: 'ops-anna', action: 'block', sender: 'test:troll', detail: 'spam' },
    ]);
  });

  it('marks a notice once for many concurrent calls', async () => {
    database = tempDatabase();
    const first = new SqliteGuardStore(database.open().db);
    const second = new SqliteGuardStore(database.open().db);
    await first.putBlock(block('test:troll'));

    const calls = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? first : second).markBlockNoticeSent('test:troll'));
    const results = await Promise.all(calls);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('marks each notice once across threads', async () => {
    database = tempDatabase();
    const store = new SqliteGuardStore(database.open().db);
    const senders = Array.from({ length: 60 }, (_, i) => `test:t${i}`);
    for (const sender of senders) await store.putBlock(block(sender));

    const results = await runWorkers(database.url, senders, 4);
    const wins = results.flat();
    expect(wins.sort()).toEqual([...senders].sort());
    for (const sender of senders) expect((await store.getPolicy(sender)).block?.noticeSent).toBe(true);
  });
});

// A worker given `--import tsx` in execArgv failed to load a .ts entry under vitest on
// Node 20.20 ("Unknown file extension"), so the worker loads its entry through tsx's API.
const WORKER_ENTRY = new URL('./fixtures/mark-notice-worker.ts', import.meta.url).href;
const WORKER_BOOT = `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(WORKER_ENTRY)}, ${JSON.stringify(import.meta.url)}));`;

/**
 * Run `count` worker threads that each open their own connection to `url`, start together
 * and call markBlockNoticeSent for every sender. Resolves to the senders for
 * which each worker got true.
 */
async function runWorkers(url: string, senders: string[], count: number): Promise<string[][]> {
  const start = new Int32Array(new SharedArrayBuffer(8));
  const workers = Array.from(
    { length: count },
    () =>
      new Worker(WORKER_BOOT, { eval: true, workerData: { url, senders, workers: count, start } }),
  );
  const results = workers.map(
    (worker) =>
      new Promise<string[]>((resolve, reject) => {
        worker.once('message', (wins: string[]) => resolve(wins));
        worker.once('error', reject);
      }),
  );
  try {
    return await Promise.all(results);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

function inbound(senderId: string, text: string): InboundMessage {
  return {
    channel: 'test',
    platformMessageId: `${senderId}-${text}`,
    chatId: senderId,
    sender: { id: senderId, locale: 'en' },
    text,
    attachments: [],
    receivedAt: new Date(AT),
  };
}

describe('createGuard with SqliteGuardStore', () => {
  it('sends one block notice, then silence', async () => {
    database = tempDatabase();
    const clock = new ManualClock(AT);
    const guard = createGuard({ clock, store: new SqliteGuardStore(database.open().db) });
    await guard.admin.block('test:troll', 'ops-bruno', 'abusive language');

    const decisions = [];
    for (const text of ['hello', 'hello?', 'answer me']) decisions.push(await guard.check(inbound('troll', text)));
    expect(decisions).toEqual([
      { action: 'blocked', sender: 'test:troll', notify: true },
      { action: 'blocked', sender: 'test:troll', notify: false },
      { action: 'blocked', sender: 'test:troll', notify: false },
    ]);

    // A restarted process on the same file stays silent, and sees the audit.
    const restarted = createGuard({ clock, store: new SqliteGuardStore(database.open().db) });
    expect(await restarted.check(inbound('troll', 'still here'))).toEqual({
      action: 'blocked',
      sender: 'test:troll',
      notify: false,
    });
    expect(await restarted.admin.unblock('test:troll', 'ops-carla')).toBe(true);
    expect((await restarted.check(inbound('troll', 'sorry'))).action).toBe('allow');
    const audit = await restarted.admin.listAudit({ sender: 'test:troll' });
    expect(audit.map((entry) => [entry.action, entry.by])).toEqual([
      ['unblock', 'ops-carla'],
      ['block', 'ops-bruno'],
    ]);
  });
});
