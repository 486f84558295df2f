import { and, asc, desc, eq } from 'drizzle-orm';

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
import type { PgDb } from './connect.js';
import { guardAllowlist, guardAudit, guardBlocks, guardLimitOverrides } from './ops-schema.js';

/** Number of audit entries `listAudit` returns when the caller sets no limit. */
const DEFAULT_AUDIT_LIMIT = 100;

/**
 * `GuardStore` on the PostgreSQL tables guard_blocks, guard_allowlist, guard_limit_overrides
 * and guard_audit, shared by every process. It behaves as SqliteGuardStore does.
 */
export class PgGuardStore implements GuardStore {
  constructor(private readonly db: PgDb) {}

  async getPolicy(sender: SenderKey): Promise<SenderPolicy> {
    // REPEATABLE READ gives the three selects one snapshot, as a read transaction does in SQLite.
    return this.db.transaction(
      async (tx) => {
        const policy: SenderPolicy = {};
        const [block] = await tx.select().from(guardBlocks).where(eq(guardBlocks.sender, sender));
        const [allow] = await tx.select().from(guardAllowlist).where(eq(guardAllowlist.sender, sender));
        const [limit] = await tx.select().from(guardLimitOverrides).where(eq(guardLimitOverrides.sender, sender));
        if (block) policy.block = toBlock(block);
        if (allow) policy.allow = { sender: allow.sender, by: allow.allowedBy, at: allow.allowedAt };
        if (limit) {
          policy.limit = {
            sender: limit.sender,
            points: JSON.parse(limit.points) as Record<string, number>,
            by: limit.setBy,
            at: limit.setAt,
          };
        }
        return policy;
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
  }

  /** Insert or replace the block of `entry.sender`, including its `noticeSent` flag. */
  async putBlock(entry: BlockEntry): Promise<void> {
    const row = { blockedBy: entry.by, reason: entry.reason, blockedAt: entry.at, noticeSent: entry.noticeSent };
    await this.db
      .insert(guardBlocks)
      .values({ sender: entry.sender, ...row })
      .onConflictDoUpdate({ target: guardBlocks.sender, set: row });
  }

  async deleteBlock(sender: SenderKey): Promise<boolean> {
    const rows = await this.db.delete(guardBlocks).where(eq(guardBlocks.sender, sender)).returning({ sender: guardBlocks.sender });
    return rows.length > 0;
  }

  async markBlockNoticeSent(sender: SenderKey): Promise<boolean> {
    // One conditional UPDATE: the row lock makes a concurrent caller re-check the condition
    // after the first commits, so exactly one caller in the cluster gets a row back.
    const rows = await this.db
      .update(guardBlocks)
      .set({ noticeSent: true })
      .where(and(eq(guardBlocks.sender, sender), eq(guardBlocks.noticeSent, false)))
      .returning({ sender: guardBlocks.sender });
    return rows.length === 1;
  }

  /** Return every block in insertion order; replacing a block keeps its place. */
  async listBlocks(): Promise<BlockEntry[]> {
    const rows = await this.db.select().from(guardBlocks).orderBy(asc(guardBlocks.seq));
    return rows.map(toBlock);
  }

  async putAllow(entry: AllowEntry): Promise<void> {
    const row = { allowedBy: entry.by, allowedAt: entry.at };
    await this.db
      .insert(guardAllowlist)
      .values({ sender: entry.sender, ...row })
      .onConflictDoUpdate({ target: guardAllowlist.sender, set: row });
  }

  async deleteAllow(sender: SenderKey): Promise<boolean> {
    const rows = await this.db
      .delete(guardAllowlist)
      .where(eq(guardAllowlist.sender, sender))
      .returning({ sender: guardAllowlist.sender });
    return rows.length > 0;
  }

  async putLimit(entry: LimitOverride): Promise<void> {
    const row = { points: JSON.stringify(entry.points), setBy: entry.by, setAt: entry.at };
    await this.db
      .insert(guardLimitOverrides)
      .values({ sender: entry.sender, ...row })
      .onConflictDoUpdate({ target: guardLimitOverrides.sender, set: row });
  }

  async deleteLimit(sender: SenderKey): Promise<boolean> {
    const rows = await this.db
      .delete(guardLimitOverrides)
      .where(eq(guardLimitOverrides.sender, sender))
      .returning({ sender: guardLimitOverrides.sender });
    return rows.length > 0;
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    await this.db
      .insert(guardAudit)
      .values({ at: entry.at, by: entry.by, action: entry.action, sender: entry.sender, detail: entry.detail ?? null });
  }

  /** Return audit entries newest first by insertion order, at most `limit` of them (default 100). */
  async listAudit(options: { sender?: SenderKey; limit?: number } = {}): Promise<AuditEntry[]> {
    const rows = await this.db
      .select()
      .from(guardAudit)
      .where(options.sender ? eq(guardAudit.sender, options.sender) : undefined)
      .orderBy(desc(guardAudit.id))
      .limit(options.limit ?? DEFAULT_AUDIT_LIMIT);
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
