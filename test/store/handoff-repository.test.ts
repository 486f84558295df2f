import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ManualClock } from '../../src/clock.js';
import { SupportHours } from '../../src/handoff/hours.js';
import { InMemoryHandoffRepository, type HandoffRepository } from '../../src/handoff/repository.js';
import { HandoffService } from '../../src/handoff/service.js';
import type { Handoff } from '../../src/handoff/types.js';
import { RecordError } from '../../src/store/sqlite/errors.js';
import { SqliteHandoffRepository } from '../../src/store/sqlite/handoff-repository.js';
import { MemoryStates, RecordingConsole, RecordingSender } from '../handoff/ports.js';
import { tempDatabase, type TempDatabase } from './helpers.js';
import { pgAvailable, pgOpsFactory } from './pg-helpers.js';

const OPENED = Date.UTC(2026, 0, 5, 10);
const MINUTE = 60_000;

function handoff(id: string, overrides: Partial<Handoff> = {}): Handoff {
  return {
    id,
    conversationId: `conv-${id}`,
    channel: 'telegram',
    chatId: '42',
    customerName: 'Ana',
    locale: 'pt-BR',
    reason: 'customer_requested',
    state: 'waiting',
    openedAt: OPENED,
    ...overrides,
  };
}

/** Build a resolved handoff with every optional field set. */
function resolvedHandoff(id: string): Handoff {
  return handoff(id, {
    state: 'resolved',
    thread: { channel: 'CSTAFF', ts: '1000.1' },
    claimedBy: { id: 'U1', name: 'Bruno' },
    resolvedBy: { id: 'U2' },
    claimedAt: OPENED + MINUTE,
    resolvedAt: OPENED + 9 * MINUTE,
    reminderSentAt: OPENED + 5 * MINUTE,
  });
}

let database: TempDatabase | undefined;
afterEach(() => {
  database?.remove();
  database = undefined;
});

const pgOps = pgOpsFactory();
const implementations: Array<[string, () => HandoffRepository | Promise<HandoffRepository>]> = [
  ['InMemoryHandoffRepository', () => new InMemoryHandoffRepository()],
  [
    'SqliteHandoffRepository',
    () => {
      database = tempDatabase();
      return new SqliteHandoffRepository(database.open().db);
    },
  ],
  ...(pgAvailable
    ? [['PgHandoffRepository', async () => (await pgOps()).handoffs] as [string, () => Promise<HandoffRepository>]]
    : []),
];

describe.each(implementations)('%s', (_name, createRepository) => {
  let repository: HandoffRepository;
  beforeEach(async () => {
    repository = await createRepository();
  });

  it('returns a minimal record as inserted', async () => {
    await repository.insert(handoff('h1'));
    const stored = await repository.get('h1');
    expect(stored).toStrictEqual(handoff('h1'));
  });

  it('returns every optional field', async () => {
    await repository.insert(resolvedHandoff('h1'));
    expect(await repository.get('h1')).toStrictEqual(resolvedHandoff('h1'));
  });

  it('returns undefined for an unknown id', async () => {
    expect(await repository.get('missing')).toBeUndefined();
  });

  it('rejects inserting an existing id', async () => {
    await repository.insert(handoff('h1'));
    await expect(repository.insert(handoff('h1', { customerName: 'Other' }))).rejects.toThrow('handoff h1 already exists');
    expect((await repository.get('h1'))?.customerName).toBe('Ana');
  });

  it('replaces a record on update', async () => {
    await repository.insert(resolvedHandoff('h1'));
    const reopened = handoff('h1', { state: 'staff', claimedBy: { id: 'U3' }, claimedAt: OPENED + 2 * MINUTE });
    await repository.update(reopened);
    expect(await repository.get('h1')).toStrictEqual(reopened);
  });

  it('rejects updating a missing id', async () => {
    await expect(repository.update(handoff('missing'))).rejects.toThrow('handoff missing not found');
    expect(await repository.get('missing')).toBeUndefined();
  });

  it('finds the open handoff of a conversation', async () => {
    await repository.insert(handoff('old', { conversationId: 'conv-1', state: 'resolved', openedAt: OPENED - MINUTE }));
    await repository.insert(handoff('new', { conversationId: 'conv-1', state: 'staff' }));
    await repository.insert(handoff('other', { conversationId: 'conv-2' }));

    expect((await repository.findOpenByConversation('conv-1'))?.id).toBe('new');
    expect(await repository.findOpenByConversation('conv-3')).toBeUndefined();

    await repository.update(handoff('new', { conversationId: 'conv-1', state: 'resolved' }));
    expect(await repository.findOpenByConversation('conv-1')).toBeUndefined();
  });

  it('finds a handoff by thread in any state', async () => {
    await repository.insert(handoff('h1'));
    await repository.insert(resolvedHandoff('h2'));
    expect((await repository.findByThread({ channel: 'CSTAFF', ts: '1000.1' }))?.id).toBe('h2');
    expect(await repository.findByThread({ channel: 'CSTAFF', ts: '1000.2' })).toBeUndefined();
    expect(await repository.findByThread({ channel: 'COTHER', ts: '1000.1' })).toBeUndefined();
  });

  it('lists open handoffs oldest first', async () => {
    await repository.insert(handoff('late', { openedAt: OPENED + 2 * MINUTE }));
    await repository.insert(handoff('early', { openedAt: OPENED, state: 'staff' }));
    await repository.insert(handoff('done', { openedAt: OPENED - MINUTE, state: 'resolved' }));
    await repository.insert(handoff('tie', { openedAt: OPENED }));
    expect((await repository.listOpen()).map((each) => each.id)).toEqual(['early', 'tie', 'late']);
  });

  it('hands out copies of stored records', async () => {
    await repository.insert(resolvedHandoff('h1'));
    const stored = await repository.get('h1');
    stored!.thread!.ts = 'changed';
    stored!.claimedBy!.name = 'changed';
    expect(await repository.get('h1')).toStrictEqual(resolvedHandoff('h1'));
  });
});

describe('SqliteHandoffRepository on a file', () => {
  it('keeps handoffs across reopening', async () => {
    database = tempDatabase();
    const first = database.open();
    const repository = new SqliteHandoffRepository(first.db);
    await repository.insert(resolvedHandoff('h1'));
    await repository.insert(handoff('h2', { thread: { channel: 'CSTAFF', ts: '1000.2' } }));
    first.close();

    const reopened = new SqliteHandoffRepository(database.open().db);
    expect(await reopened.get('h1')).toStrictEqual(resolvedHandoff('h1'));
    expect((await reopened.listOpen()).map((each) => each.id)).toEqual(['h2']);
    expect((await reopened.findByThread({ channel: 'CSTAFF', ts: '1000.2' }))?.id).toBe('h2');
  });

  it('raises RecordError with a code', async () => {
    database = tempDatabase();
    const repository = new SqliteHandoffRepository(database.open().db);
    await repository.insert(handoff('h1'));
    await expect(repository.insert(handoff('h1'))).rejects.toMatchObject({
      name: 'RecordError',
      code: 'already_exists',
      table: 'handoffs',
      key: 'h1',
    });
    await expect(repository.update(handoff('h2'))).rejects.toBeInstanceOf(RecordError);
    await expect(repository.update(handoff('h2'))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('runs a handoff service from open to resolved', async () => {
    database = tempDatabase();
    const clock = new ManualClock(OPENED);
    const sender = new RecordingSender();
    const states = new MemoryStates();
    const staffConsole = new RecordingConsole();
    const repository = new SqliteHandoffRepository(database.open().db);
    const service = new HandoffService({
      repository,
      sender,
      states,
      console: staffConsole,
      claimTimeoutMs: 5 * MINUTE,
      expectedWaitMinutes: 7,
      supportHours: new SupportHours('Mon-Fri 09:00-18:00', 'UTC'),
      clock,
    });

    const opened = await service.escalate({
      conversation: { id: 'conv-1', channel: 'telegram', chatId: '42', customerName: 'Ana' },
      reason: 'customer_requested',
      summary: 'Asks about a refund',
      lastMessages: [{ role: 'customer', text: 'where is my refund' }],
      locale: 'en',
    });
    expect((await repository.get(opened.id))?.thread).toEqual({ channel: 'CSTAFF', ts: '1000.1' });

    clock.advance(6 * MINUTE);
    await service.tick();
    expect(staffConsole.reminders).toHaveLength(1);
    expect((await repository.get(opened.id))?.reminderSentAt).toBe(OPENED + 6 * MINUTE);

    await service.claim(opened.id, { id: 'U1', name: 'Bruno' });
    await service.resolve(opened.id, { id: 'U1', name: 'Bruno' });
    const resolved = await repository.get(opened.id);
    expect(resolved).toMatchObject({ state: 'resolved', claimedBy: { id: 'U1', name: 'Bruno' }, resolvedBy: { id: 'U1' } });
    expect(await repository.listOpen()).toEqual([]);
    expect(states.states.get('conv-1')).toBe('bot');
  });
});
