import { Redis } from 'ioredis';
import type { BusJob, MessageBus, QueueFactory } from '../bus/bus.js';
import type { Outbox } from '../bus/outbox.js';
import type { ChannelAdapter } from '../bus/types.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { OutboundRow, Store } from '../store/types.js';
import type { ScaleEnv } from './config.js';
import { LeaseManager } from './lease.js';
import { OutcomeRelay } from './outcomes.js';
import { RedisConversationQueue } from './redis-queue.js';
import { pendingChannel, PendingDelivery, RecoverySweep } from './sweeps.js';

/**
 * What one process does in a deployment. `all` receives and processes, and is the default
 * and the only role of a single process. `gateway` runs channels and the HTTP server and
 * queues messages. `worker` runs the pipeline on queued messages and sends the replies.
 */
export type ProcessRole = 'all' | 'gateway' | 'worker';
export const PROCESS_ROLES: readonly ProcessRole[] = ['all', 'gateway', 'worker'];

export interface ClusterOptions {
  env: ScaleEnv & { QUEUE_MAX_PENDING: number };
  redisUrl: string;
  role: ProcessRole;
  clock: Clock;
  logger: Logger;
}

/** The Redis parts of a process in a deployment of several: queue, leases, outcome relay and sweeps. */
export class Cluster {
  readonly role: ProcessRole;
  readonly leases: LeaseManager;
  readonly relay: OutcomeRelay;
  private readonly redis: Redis;
  private queue: RedisConversationQueue<BusJob> | undefined;
  private recovery: RecoverySweep | undefined;

  constructor(private readonly options: ClusterOptions) {
    const { env, redisUrl, logger } = options;
    this.role = options.role;
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
    this.redis.on('error', (error) => logger.warn({ err: error }, 'cluster Redis connection failed'));
    this.leases = new LeaseManager({ redis: this.redis, prefix: env.REDIS_PREFIX, ttlMs: env.LEASE_TTL_MS, logger });
    this.relay = new OutcomeRelay(this.redis, { redisUrl, prefix: env.REDIS_PREFIX, logger });
  }

  /** True when this process runs the pipeline. */
  get consumes(): boolean {
    return this.role !== 'gateway';
  }

  /** True when this process runs channels that receive messages. */
  get receives(): boolean {
    return this.role !== 'worker';
  }

  /** Build the bus's queue: shared lanes in Redis, consumed here only when this process runs the pipeline. */
  queueFactory(): QueueFactory {
    const { env, redisUrl, logger } = this.options;
    return (run, onError) => {
      this.queue = new RedisConversationQueue<BusJob>({
        redisUrl,
        prefix: env.REDIS_PREFIX,
        maxPending: env.QUEUE_MAX_PENDING,
        run: this.consumes ? run : undefined,
        // Consuming waits for `start()`, so no reply is sent before the channels are added.
        deferConsuming: true,
        onError,
        concurrency: env.REDIS_QUEUE_CONCURRENCY,
        lockDurationMs: env.REDIS_QUEUE_LOCK_MS,
        stalledIntervalMs: env.REDIS_QUEUE_STALLED_INTERVAL_MS,
        repairIntervalMs: env.REDIS_QUEUE_REPAIR_INTERVAL_MS,
        logger,
      });
      return this.queue;
    };
  }

  /** Tell the gateway that owns `row.channel` (WhatsApp Web) that a reply waits for it. */
  announcePending(row: OutboundRow): void {
    this.redis.publish(pendingChannel(this.options.env.REDIS_PREFIX), row.channel).catch((error: unknown) => {
      this.options.logger.warn({ err: error, outboundId: row.id }, 'pending reply could not be announced; the sweep will send it');
    });
  }

  /** Delivery of `channel`'s pending replies, to run while holding that channel's lease. */
  pendingDelivery(channel: string, store: Store, outbox: Outbox): PendingDelivery {
    const { env, redisUrl, logger } = this.options;
    return new PendingDelivery({ channel, store, outbox, redisUrl, prefix: env.REDIS_PREFIX, sweepMs: env.PENDING_SWEEP_MS, logger });
  }

  /** Subscribe to outcomes (receiving roles), start consuming and the recovery sweep (processing roles). */
  async start(parts: { bus: MessageBus; store: Store; outbox: Outbox; adapters: Map<string, ChannelAdapter> }): Promise<void> {
    const { env, clock, logger } = this.options;
    if (this.receives) {
      await this.relay.subscribe((outcome) => parts.bus.receiveOutcome(outcome));
    }
    if (this.consumes && this.queue) {
      this.queue.consume();
      this.recovery = new RecoverySweep({
        store: parts.store,
        outbox: parts.outbox,
        queue: this.queue,
        leases: this.leases,
        clock,
        graceMs: env.RECOVERY_GRACE_MS,
        intervalMs: env.RECOVERY_INTERVAL_MS,
        sendsOn: (channel) => parts.adapters.has(channel),
        logger,
      });
      this.recovery.start();
    }
  }

  /** Stop the sweeps and the subscription and close this part's connection; the queue closes with the bus. */
  async stop(): Promise<void> {
    await this.recovery?.stop();
    await this.relay.close();
    await this.redis.quit().catch(() => undefined);
  }
}
