import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { silentLogger, type Logger } from '../log.js';

/**
 * Redis leases for work that exactly one process may do at a time, such as Telegram long
 * polling or a WhatsApp Web session. A lease is a key set with NX and a TTL to a random
 * token. The holder renews it every ttl/3 and deletes it only while it still contains its
 * own token. Each acquisition also increments a fencing counter, so a resource that records
 * the highest fence it saw can reject a late write from a holder that lost the lease.
 *
 * NOTE: TTL expiry runs on the Redis server's clock while renewal runs on this process's
 * timers. A holder paused for longer than the TTL (a long GC pause, a stopped VM) can still
 * act for a moment after another process took over; the fence is what protects against it.
 */

// Takes the lease and increments the fence in one step, so a fence always matches a holder.
const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return 0`;

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

export interface LeaseManagerOptions {
  /** A dedicated or shared ioredis connection; the manager never closes it. */
  redis: Redis;
  /** Key prefix; keys are `<prefix>:lease:<name>` and `<prefix>:lease:<name>:fence`. Default `fd`. */
  prefix?: string;
  /** Lease lifetime without renewal, in ms; another process can take over this long after the holder dies. Default 10000. */
  ttlMs?: number;
  logger?: Logger;
}

export interface AcquireOptions {
  /** Called once when the lease is lost: a renewal found another token, or renewals failed for too long. */
  onLost?: (lease: Lease) => void;
}

/** A held lease. It renews itself until `release()` or until it is lost. */
export class Lease {
  private renewTimer: NodeJS.Timeout | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private active = true;

  constructor(
    private readonly manager: LeaseManager,
    readonly name: string,
    readonly token: string,
    /** Fencing counter of this acquisition; strictly higher than that of every earlier holder. */
    readonly fence: number,
    private readonly onLost: ((lease: Lease) => void) | undefined,
  ) {
    this.armDeadline();
    this.scheduleRenewal();
  }

  /** True until the lease is released or lost. */
  get held(): boolean {
    return this.active;
  }

  /** Stop renewing and delete the key if it still contains this lease's token. */
  async release(): Promise<void> {
    if (!this.active) return;
    this.stopTimers();
    await this.manager.redis.eval(RELEASE, 1, this.manager.keyOf(this.name), this.token);
  }

  /**
   * Give up the lease when no renewal has succeeded for 80% of the TTL. A timer and not
   * the renewal result decides this, because ioredis queues commands while it reconnects
   * and a renewal can hang instead of failing.
   */
  private armDeadline(): void {
    clearTimeout(this.deadlineTimer);
    this.deadlineTimer = setTimeout(() => this.lose('renewals failed'), Math.floor(this.manager.ttlMs * 0.8));
    this.deadlineTimer.unref();
  }

  private scheduleRenewal(): void {
    this.renewTimer = setTimeout(() => void this.renew(), Math.max(1, Math.floor(this.manager.ttlMs / 3)));
    this.renewTimer.unref();
  }

  private async renew(): Promise<void> {
    const { redis, ttlMs, logger } = this.manager;
    const key = this.manager.keyOf(this.name);
    try {
      const renewed = await redis.eval(RENEW, 1, key, this.token, String(ttlMs));
      if (!this.active) return;
      if (renewed !== 1) {
        this.lose('taken by another holder or expired');
        return;
      }
      this.armDeadline();
    } catch (error) {
      if (!this.active) return;
      logger.warn({ err: error, lease: this.name }, 'lease renewal failed; retrying');
    }
    this.scheduleRenewal();
  }

  private lose(reason: string): void {
    if (!this.active) return;
    this.stopTimers();
    this.manager.logger.warn({ lease: this.name, fence: this.fence, reason }, 'lease lost');
    this.onLost?.(this);
  }

  private stopTimers(): void {
    this.active = false;
    clearTimeout(this.renewTimer);
    clearTimeout(this.deadlineTimer);
  }
}

/** Acquires named leases on one Redis connection. */
export class LeaseManager {
  readonly redis: Redis;
  readonly ttlMs: number;
  readonly logger: Logger;
  private readonly prefix: string;

  constructor(options: LeaseManagerOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'fd';
    this.ttlMs = options.ttlMs ?? 10_000;
    this.logger = options.logger ?? silentLogger;
    if (!Number.isInteger(this.ttlMs) || this.ttlMs < 30) {
      throw new RangeError(`ttlMs must be an integer of at least 30 ms, got ${this.ttlMs}`);
    }
  }

  /** Redis key of the lease `name`. */
  keyOf(name: string): string {
    return `${this.prefix}:lease:${name}`;
  }

  /** Take the lease `name` when it is free. Returns undefined when another process has it. */
  async acquire(name: string, options: AcquireOptions = {}): Promise<Lease | undefined> {
    const token = randomBytes(16).toString('hex');
    const key = this.keyOf(name);
    const fence = Number(await this.redis.eval(ACQUIRE, 2, key, `${key}:fence`, token, String(this.ttlMs)));
    if (fence === 0) return undefined;
    return new Lease(this, name, token, fence, options.onLost);
  }
}
