import type Database from 'better-sqlite3';
import { and, desc, eq, sql } from 'drizzle-orm';

import type {
  AdminAction,
  AllowEntry,
  AuditEntry,
  BlockEntry,
  GuardStore,
  LimitOverride,
  SenderPolicy,
} from '../../guard/store.js';
import type { SenderKey } from '../../guard/types.js';
import type { SqliteDb } from '../db.js';
import { guardAllowlist, guardAudit, guardBlocks, guardLimitOverrides } from '../ops-schema.js';

/** Number of audit entries `listAudit` returns when the caller sets no limit. */
const DEFAULT_AUDIT_LIMIT = 100;

/**
 * `GuardStore` on the SQLite tables guard_blocks, guard_allowlist, guard_limit_overrides and
 * guard_audit. Every write is one statement, so several processes can share the file.
 */
export class SqliteGuardStore implements GuardStore {
  /** Built on first use, because `getPolicy` runs for every message. */
  private policyReader: ((sender: SenderKey) => SenderPolicy) | undefined;

  constructor(private readonly db: SqliteDb) {}

  async getPolicy(sender: SenderKey): Promise<SenderPolicy> {
    this.policyReader ??= preparePolicyReader(this.db);
    return this.policyReader(sender);
  }

  /** Insert or replace the block of `entry.sender`, including its `noticeSent` flag. */
  async putBlock(entry: BlockEntry): Promise<void> {
    const row = { blockedBy: entry.by, reason: entry.reason, blockedAt: entry.at, noticeSent: entry.noticeSent };
    this.db
      .insert(guardBlocks)
      .values({ sender: entry.sender, ...row })
      .onConflictDoUpdate({ target: guardBlocks.sender, set: row })
      .run();
  }

  async deleteBlock(sender: SenderKey): Promise<boolean> {
    return this.db.delete(guardBlocks).where(eq(guardBlocks.sender, sender)).run().changes > 0;
  }

  async markBlockNoticeSent(sender: SenderKey): Promise<boolean> {
    // One conditional UPDATE: SQLite runs it under the write lock, so of any number of
    // callers on any connection exactly one gets `changes === 1`.
    const result = this.db
      .update(guardBlocks)
      .set({ noticeSent: true })
      .where(and(eq(guardBlocks.sender, sender), eq(guardBlocks.noticeSent, false)))
      .run();
    return result.changes === 1;
  }

  /** Return every block in insertion order; replacing a block keeps its place, as in a Map. */
  async listBlocks(): Promise<BlockEntry[]> {
    // An upsert updates the row in place, so rowid is the order of first insertion.
    return this.db.select().from(guardBlocks).orderBy(sql`rowid`).all().map(toBlock);
  }

  async putAllow(entry: AllowEntry): Promise<void> {
    const row = { allowedBy: entry.by, allowedAt: entry.at };
    this.db
      .insert(guardAllowlist)
      .values({ sender: entry.sender, ...row })
      .onConflictDoUpdate({ target: guardAllowlist.sender, set: row })
      .run();
  }

  async deleteAllow(sender: SenderKey): Promise<boolean> {
    return this.db.delete(guardAllowlist).where(eq(guardAllowlist.sender, sender)).run().changes > 0;
  }

  async putLimit(entry: LimitOverride): Promise<void> {
    const row = { points: JSON.stringify(entry.points), setBy: entry.by, setAt: entry.at };
    this.db
      .insert(guardLimitOverrides)
      .values({ sender: entry.sender, ...row })
      .onConflictDoUpdate({ target: guardLimitOverrides.sender, set: row })
      .run();
  }

  async deleteLimit(sender: SenderKey): Promise<boolean> {
    return this.db.delete(guardLimitOverrides).where(eq(guardLimitOverrides.sender, sender)).run().changes > 0;
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.db
      .insert(guardAudit)
      .values({ at: entry.at, by: entry.by, action: entry.action, sender: entry.sender, detail: entry.detail ?? null })
      .run();
  }

  /** Return audit entries newest first by insertion order, at most `limit` of them (default 100). */
  async listAudit(options: { sender?: SenderKey; limit?: number } = {}): Promise<AuditEntry[]> {
    const rows = this.db
      .select()
      .from(guardAudit)
      .where(options.sender ? eq(guardAudit.sender, options.sender) : undefined)
      .orderBy(desc(guardAudit.id))
      .limit(options.limit ?? DEFAULT_AUDIT_LIMIT)
      .all();
    return rows.map((row) => {
      const entry: AuditEntry = { at: row.at, by: row.by, action: row.action as AdminAction, sender: row.sender };
      if (row.detail !== null) entry.detail = row.detail;
      return entry;
    });
  }
}

function toBlock(row: typeof guardBlocks.$inferSelect): BlockEntry {
  return { sender: row.sender, by: row.blockedBy, reason: row.reason, at: row.blockedAt, noticeSent: row.noticeSent };
}

/**
 * Build the reader of one sender's policy: three prepared selects in one read transaction,
 * so that they see one snapshot even while another connection writes between them.
 */
function preparePolicyReader(db: SqliteDb): (sender: SenderKey) => SenderPolicy {
  const bySender = sql.placeholder('sender');
  const block = db.select().from(guardBlocks).where(eq(guardBlocks.sender, bySender)).prepare();
  const allow = db.select().from(guardAllowlist).where(eq(guardAllowlist.sender, bySender)).prepare();
  const limit = db.select().from(guardLimitOverrides).where(eq(guardLimitOverrides.sender, bySender)).prepare();
  // The native transaction function is made once, because drizzle's `transaction` makes a new one per call.
  const client = (db as SqliteDb & { $client: Database.Database }).$client;
  const read = client.transaction((sender: SenderKey): SenderPolicy => {
    const policy: SenderPolicy = {};
    const blockRow = block.get({ sender });
    const allowRow = allow.get({ sender });
    const limitRow = limit.get({ sender });
    if (blockRow) policy.block = toBlock(blockRow);
    if (allowRow) policy.allow = { sender: allowRow.sender, by: allowRow.allowedBy, at: allowRow.allowedAt };
    if (limitRow) {
      policy.limit = {
        sender: limitRow.sender,
        points: JSON.parse(limitRow.points) as Record<string, number>,
        by: limitRow.setBy,
        at: limitRow.setAt,
      };
    }
    return policy;
  });
  return (sender) => read.deferred(sender);
}
