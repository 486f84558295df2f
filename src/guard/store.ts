import type { SenderKey } from './types.js';

/** A sender whose messages the guard drops. */
export interface BlockEntry {
  sender: SenderKey;
  /** Admin who placed the block, such as a Slack user id. */
  by: string;
  reason: string;
  /** Epoch ms. */
  at: number;
  /** True once the sender got the one-time "you are blocked" notice. */
  noticeSent: boolean;
}

/** A sender who skips rate limits. */
export interface AllowEntry {
  sender: SenderKey;
  by: string;
  at: number;
}

/** Per-sender base points by window name, replacing the configured defaults. */
export interface LimitOverride {
  sender: SenderKey;
  /** Such as `{ minute: 5, hour: 50 }`; windows left out keep their defaults. */
  points: Record<string, number>;
  by: string;
  at: number;
}

export type AdminAction = 'block' | 'unblock' | 'allow' | 'disallow' | 'set_limit' | 'clear_limit';

/** One admin change, kept for accountability. */
export interface AuditEntry {
  at: number;
  by: string;
  action: AdminAction;
  sender: SenderKey;
  /** Short admin-written detail, such as the block reason or the new limits. */
  detail?: string;
}

/** Everything the guard needs about one sender, read in one call per message. */
export interface SenderPolicy {
  block?: BlockEntry;
  allow?: AllowEntry;
  limit?: LimitOverride;
}

/**
 * Persistence of the guard's lists. Tables it needs: guard_blocks (sender primary key),
 * guard_allowlist (sender primary key), guard_limit_overrides (sender primary key, points
 * as JSON) and guard_audit (append-only, indexed by sender and time).
 */
export interface GuardStore {
  getPolicy(sender: SenderKey): Promise<SenderPolicy>;
  putBlock(entry: BlockEntry): Promise<void>;
  /** Returns false when the sender was not blocked. */
  deleteBlock(sender: SenderKey): Promise<boolean>;
  /**
   * Set `noticeSent` on the sender's block. Returns true only for the call that changed it,
   * so concurrent messages send one notice; implementations must make this atomic.
   */
  markBlockNoticeSent(sender: SenderKey): Promise<boolean>;
  listBlocks(): Promise<BlockEntry[]>;
  putAllow(entry: AllowEntry): Promise<void>;
  deleteAllow(sender: SenderKey): Promise<boolean>;
  putLimit(entry: LimitOverride): Promise<void>;
  deleteLimit(sender: SenderKey): Promise<boolean>;
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  listAudit(options?: { sender?: SenderKey; limit?: number }): Promise<AuditEntry[]>;
}

/** `GuardStore` in process memory; the default, and the reference for other stores. */
export class MemoryGuardStore implements GuardStore {
  private readonly blocks = new Map<SenderKey, BlockEntry>();
  private readonly allows = new Map<SenderKey, AllowEntry>();
  private readonly limits = new Map<SenderKey, LimitOverride>();
  private readonly audit: AuditEntry[] = [];

  async getPolicy(sender: SenderKey): Promise<SenderPolicy> {
    const policy: SenderPolicy = {};
    const block = this.blocks.get(sender);
    const allow = this.allows.get(sender);
    const limit = this.limits.get(sender);
    if (block) policy.block = { ...block };
    if (allow) policy.allow = { ...allow };
    if (limit) policy.limit = { ...limit, points: { ...limit.points } };
    return policy;
  }

  async putBlock(entry: BlockEntry): Promise<void> {
    this.blocks.set(entry.sender, { ...entry });
  }

  async deleteBlock(sender: SenderKey): Promise<boolean> {
    return this.blocks.delete(sender);
  }

  async markBlockNoticeSent(sender: SenderKey): Promise<boolean> {
    const block = this.blocks.get(sender);
    if (!block || block.noticeSent) return false;
    block.noticeSent = true;
    return true;
  }

  async listBlocks(): Promise<BlockEntry[]> {
    return [...this.blocks.values()].map((entry) => ({ ...entry }));
  }

  async putAllow(entry: AllowEntry): Promise<void> {
    this.allows.set(entry.sender, { ...entry });
  }

  async deleteAllow(sender: SenderKey): Promise<boolean> {
    return this.allows.delete(sender);
  }

  async putLimit(entry: LimitOverride): Promise<void> {
    this.limits.set(entry.sender, { ...entry, points: { ...entry.points } });
  }

  async deleteLimit(sender: SenderKey): Promise<boolean> {
    return this.limits.delete(sender);
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.audit.push({ ...entry });
  }

  async listAudit(options: { sender?: SenderKey; limit?: number } = {}): Promise<AuditEntry[]> {
    const matching = this.audit.filter((entry) => !options.sender || entry.sender === options.sender);
    return matching.reverse().slice(0, options.limit ?? 100);
  }
}
