import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StaleClaimError } from '../../src/store/pg/errors.js';
import { PgStore } from '../../src/store/pg/pg-store.js';
import { dropSchema, PG_URL, pgAvailable, uniqueName } from './services.js';
import { inbound } from './store-contract.js';

describe.skipIf(!pgAvailable)('PgStore across processes', () => {
  let schema: string;
  let first: PgStore;
  let second: PgStore;

  beforeEach(async () => {
    schema = uniqueName('fd_test');
    // Two stores, two pools: as two processes would see the database.
    [first, second] = await Promise.all([
      PgStore.open(PG_URL, { schema, poolSize: 10 }),
      PgStore.open(PG_URL, { schema, poolSize: 10 }),
    ]);
  });

  afterEach(async () => {
    await Promise.all([first.close(), second.close()]);
    await dropSchema(schema);
  });

  it('accepts concurrent duplicates once', async () => {
    const message = inbound('same-id');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? first : second).acceptInbound(message, 10 + index)),
    );

    const fresh = results.filter((result) => !result.duplicate);
    expect(fresh).toHaveLength(1);
    expect(new Set(results.map((result) => result.messageId)).size).toBe(1);
    const { rows } = await first.pool.query("SELECT count(*)::int AS n FROM messages WHERE platform_message_id = 'same-id'");
    expect(rows[0].n).toBe(1);
  });

  it('completes a message once under racing claims', async () => {
    const { messageId } = await first.acceptInbound(inbound('m1'), 10);
    const [a, b] = await Promise.all([first.claimInbound(messageId, 20), second.claimInbound(messageId, 20)]);
    expect(a?.id).toBe(messageId);
    expect(b?.id).toBe(messageId);

    const results = await Promise.allSettled([
      first.completeInbound(messageId, 'answer', [{ kind: 'answer', text: 'from first' }], null, 30),
      second.completeInbound(messageId, 'answer', [{ kind: 'answer', text: 'from second' }], null, 30),
    ]);

    // The newer claim always completes. The older one either finds the message done and gets
    // the stored reply, or comes first and is rejected as stale.
    const stored = await first.listReplies(messageId);
    expect(stored).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'fulfilled') expect(result.value.map((row) => row.id)).toEqual([stored[0]!.id]);
      else expect(result.reason).toBeInstanceOf(StaleClaimError);
    }
    expect(results.some((result) => result.status === 'fulfilled')).toBe(true);
  });

  it('drops the result of a superseded claim', async () => {
    const { messageId } = await first.acceptInbound(inbound('m1'), 10);
    await first.claimInbound(messageId, 20);
    // The job was redelivered to the other process, which claimed the message again.
    await second.claimInbound(messageId, 30);

    const stale = first.completeInbound(messageId, 'answer', [{ kind: 'answer', text: 'stale' }], null, 40);
    await expect(stale).rejects.toBeInstanceOf(StaleClaimError);
    expect((await first.getInbound(messageId))?.state).toBe('processing');

    const fresh = await second.completeInbound(messageId, 'answer', [{ kind: 'answer', text: 'fresh' }], null, 50);
    expect(fresh.map((row) => row.text)).toEqual(['fresh']);
    expect((await first.listReplies(messageId)).map((row) => row.text)).toEqual(['fresh']);
  });

  it('rejects an invalid schema name', async () => {
    await expect(PgStore.open(PG_URL, { schema: 'Bad-Name; DROP' })).rejects.toThrow(/invalid PostgreSQL schema name/);
  });
});
