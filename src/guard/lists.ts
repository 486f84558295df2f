import type { Logger } from 'pino';

import { systemClock, type Clock } from '../clock.js';
import { silentLogger } from '../log.js';
import { GuardError } from './errors.js';
import type { RiskExplanation, RiskTracker } from './risk.js';
import type { AdminAction, AuditEntry, BlockEntry, GuardStore } from './store.js';
import type { SenderKey } from './types.js';

/** Dependencies of `GuardAdmin`. */
export interface GuardAdminOptions {
  store: GuardStore;
  risk: RiskTracker;
  /** Called after unblock so the sender starts with empty windows. */
  resetLimits?: (sender: SenderKey) => Promise<void>;
  clock?: Clock;
  logger?: Logger;
}

/**
 * Admin controls over the guard's lists: block, allow, per-sender limits and risk. Every
 * change is logged at info with the admin who made it and appended to the store's audit.
 */
export class GuardAdmin {
  private readonly store: GuardStore;
  private readonly risk: RiskTracker;
  private readonly resetLimits: (sender: SenderKey) => Promise<void>;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(options: GuardAdminOptions) {
    this.store = options.store;
    this.risk = options.risk;
    this.resetLimits = options.resetLimits ?? (async () => {});
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
  }

  /** Drop every later message of `sender`; the first one gets a one-time notice. */
  async block(sender: SenderKey, by: string, reason: string): Promise<void> {
    checkSender(sender);
    const entry: BlockEntry = { sender, by, reason, at: this.clock.now(), noticeSent: false };
    await this.store.putBlock(entry);
    // Blocks raise risk so that an unblocked sender starts with tighter limits.
    this.risk.record(sender, 'blocked');
    await this.audit('block', sender, by, reason);
  }

  /** Lift a block. Returns false when the sender was not blocked. */
  async unblock(sender: SenderKey, by: string): Promise<boolean> {
    checkSender(sender);
    const removed = await this.store.deleteBlock(sender);
    if (removed) await this.resetLimits(sender);
    await this.audit('unblock', sender, by, removed ? undefined : 'was not blocked');
    return removed;
  }

  /** Let `sender` skip rate limits; blocks and input checks still apply. */
  async allow(sender: SenderKey, by: string): Promise<void> {
    checkSender(sender);
    await this.store.putAllow({ sender, by, at: this.clock.now() });
    await this.audit('allow', sender, by);
  }

  /** Remove `sender` from the allowlist. Returns false when it was not there. */
  async disallow(sender: SenderKey, by: string): Promise<boolean> {
    checkSender(sender);
    const removed = await this.store.deleteAllow(sender);
    await this.audit('disallow', sender, by, removed ? undefined : 'was not allowlisted');
    return removed;
  }

  /**
   * Replace the base limits of `sender`: `perMinute` and, when given, `perHour` messages.
   * Risk still tightens them, down to the configured floor or the override if lower.
   */
  async setLimit(sender: SenderKey, by: string, perMinute: number, perHour?: number): Promise<void> {
    checkSender(sender);
    const points: Record<string, number> = { minute: checkLimit('perMinute', perMinute) };
    if (perHour !== undefined) points.hour = checkLimit('perHour', perHour);
    await this.store.putLimit({ sender, points, by, at: this.clock.now() });
    await this.audit('set_limit', sender, by, JSON.stringify(points));
  }

  /** Return `sender` to the configured limits. */
  async clearLimit(sender: SenderKey, by: string): Promise<boolean> {
    checkSender(sender);
    const removed = await this.store.deleteLimit(sender);
    await this.audit('clear_limit', sender, by, removed ? undefined : 'had no override');
    return removed;
  }

  /** Current risk score of `sender` with the contribution of each signal. */
  getRisk(sender: SenderKey): RiskExplanation {
    return this.risk.explain(sender);
  }

  /** Blocked senders, for an admin listing. */
  listBlocks(): Promise<BlockEntry[]> {
    return this.store.listBlocks();
  }

  /** Recent admin changes, newest first. */
  listAudit(options?: { sender?: SenderKey; limit?: number }): Promise<AuditEntry[]> {
    return this.store.listAudit(options);
  }

  private async audit(action: AdminAction, sender: SenderKey, by: string, detail?: string): Promise<void> {
    const entry: AuditEntry = { at: this.clock.now(), by, action, sender };
    if (detail !== undefined) entry.detail = detail;
    await this.store.appendAudit(entry);
    this.logger.info({ event: 'guard.admin', action, sender, by, detail }, `guard admin ${action}`);
  }
}

function checkSender(sender: SenderKey): void {
  // A sender key is `${channel}:${senderId}`; both parts must be present.
  const colon = sender.indexOf(':');
  if (colon <= 0 || colon === sender.length - 1) {
    throw new GuardError('invalid_sender', `sender "${sender}" is invalid; expected "channel:senderId", such as "telegram:12345"`);
  }
}

function checkLimit(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new GuardError('invalid_limit', `${name} must be a whole number of at least 1, got ${value}`);
  }
  return value;
}
