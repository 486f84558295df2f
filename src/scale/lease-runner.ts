import { silentLogger, type Logger } from '../log.js';
import type { Lease, LeaseManager } from './lease.js';

export interface LeaseRunnerOptions {
  leases: LeaseManager;
  /** Lease name, such as `channel:telegram`. */
  name: string;
  /** Start the work this lease guards, such as a channel adapter's long polling. */
  start: (lease: Lease) => Promise<void>;
  /** Stop that work; called when the lease is lost and on `stop()`. */
  stop: () => Promise<void>;
  /** Pause between attempts to take the lease while another process holds it, in ms. Default ttl/3. */
  retryMs?: number;
  logger?: Logger;
}

/**
 * Keeps one piece of single-owner work running somewhere in the cluster. Every process runs
 * a LeaseRunner for it, and the one with the lease runs the work. The others keep trying,
 * so one of them takes over within about one TTL after the holder dies.
 */
export class LeaseRunner {
  private lease: Lease | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private transition: Promise<void> = Promise.resolve();
  private readonly retryMs: number;
  private readonly logger: Logger;

  constructor(private readonly options: LeaseRunnerOptions) {
    this.retryMs = options.retryMs ?? Math.max(10, Math.floor(options.leases.ttlMs / 3));
    this.logger = options.logger ?? silentLogger;
  }

  /** True while this process holds the lease and the work is started. */
  get holding(): boolean {
    return this.lease?.held === true;
  }

  /** Fencing counter of the current lease, or undefined while not holding it. */
  get fence(): number | undefined {
    return this.holding ? this.lease?.fence : undefined;
  }

  /** Begin trying to take the lease. */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.attempt();
  }

  /** Stop trying, stop the work if it runs here and release the lease. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.transition;
    const lease = this.lease;
    this.lease = undefined;
    if (lease?.held) {
      await this.stopWork(lease);
      await lease.release().catch((error) => this.logger.warn({ err: error, lease: lease.name }, 'lease release failed'));
    }
  }

  private retryLater(): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.attempt(), this.retryMs);
    this.timer.unref();
  }

  private attempt(): Promise<void> {
    this.transition = this.takeAndStart().finally(() => {
      if (!this.holding) this.retryLater();
    });
    return this.transition;
  }

  private async takeAndStart(): Promise<void> {
    const { leases, name, start } = this.options;
    let lease: Lease | undefined;
    try {
      lease = await leases.acquire(name, { onLost: (lost) => void this.handleLost(lost) });
    } catch (error) {
      this.logger.warn({ err: error, lease: name }, 'lease acquisition failed');
      return;
    }
    if (!lease) return;
    if (!this.running) {
      await lease.release().catch(() => undefined);
      return;
    }

    this.lease = lease;
    this.logger.info({ lease: name, fence: lease.fence }, 'lease acquired; starting');
    try {
      await start(lease);
    } catch (error) {
      this.logger.error({ err: error, lease: name, fence: lease.fence }, 'start failed; releasing the lease');
      this.lease = undefined;
      await lease.release().catch(() => undefined);
    }
  }

  private async handleLost(lease: Lease): Promise<void> {
    if (this.lease !== lease) return;
    this.lease = undefined;
    await this.transition;
    await this.stopWork(lease);
    this.retryLater();
  }

  private async stopWork(lease: Lease): Promise<void> {
    try {
      await this.options.stop();
      this.logger.info({ lease: lease.name, fence: lease.fence }, 'lease work stopped');
    } catch (error) {
      this.logger.error({ err: error, lease: lease.name }, 'stopping the lease work failed');
    }
  }
}
