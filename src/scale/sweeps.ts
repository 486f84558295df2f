import { Redis } from 'ioredis';
import type { BusJob } from '../bus/bus.js';
import type { Outbox } from '../bus/outbox.js';
import type { Clock } from '../clock.js';
import { silentLogger, type Logger } from '../log.js';
import type { Store } from '../store/types.js';
import type { LeaseManager } from './lease.js';
import type { RedisConversationQueue } from './redis-queue.js';

/** Redis pub/sub channel on which workers announce replies left pending for a gateway-owned channel. */
export const pendingChannel = (prefix: string) => `${prefix}:outbox:pending`;

export interface PendingDeliveryOptions {
  /** Channel whose pending replies this process delivers, such as `whatsapp`. */
  channel: string;
  store: Store;
  outbox: Outbox;
  redisUrl: string;
  prefix: string;
  /** Interval of the sweep that catches notifications lost by pub/sub, in ms. */
  sweepMs: number;
  logger?: Logger;
}

/**
 * Delivers the pending replies of one channel that only this process can send on (WhatsApp
 * Web, whose session lives in one gateway). Workers leave such replies pending and publish
 * the channel name; this process delivers on each notification and on a periodic sweep.
 * Run it only while holding the channel's lease, so one process sends each row.
 */
export class PendingDelivery {
  private subscriber: Redis | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private readonly logger: Logger;

  constructor(private readonly options: PendingDeliveryOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  async start(): Promise<void> {
    const { redisUrl, prefix, sweepMs, channel } = this.options;
    const subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null });
    subscriber.on('error', (error) => this.logger.warn({ err: error }, 'pending reply subscription failed'));
    subscriber.on('message', (_name: string, payload: string) => {
      if (payload === channel) this.sweep();
    });
    await subscriber.subscribe(pendingChannel(prefix));
    this.subscriber = subscriber;
    this.timer = setInterval(() => this.sweep(), sweepMs);
    this.timer.unref();
    this.sweep();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.subscriber?.quit().catch(() => undefined);
    this.subscriber = undefined;
    await this.running;
  }

  /** Deliver pending rows now; a call during a running sweep schedules one more afterwards. */
  sweep(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.deliverPending()
      .catch((error: unknown) => this.logger.error({ err: error, channel: this.options.channel }, 'pending reply sweep failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.sweep();
        }
      });
  }

  private async deliverPending(): Promise<void> {
    const { store, outbox, channel } = this.options;
    const rows = (await store.listPendingOutbound()).filter((row) => row.channel === channel);
    if (rows.length === 0) return;
    const sent = await outbox.deliver(rows);
    this.logger.info({ channel, pending: rows.length, sent }, 'pending replies delivered');
  }
}

export interface RecoverySweepOptions {
  store: Store;
  outbox: Outbox;
  queue: RedisConversationQueue<BusJob>;
  leases: LeaseManager;
  clock: Clock;
  /** Age after which an open message or a pending reply counts as left behind, in ms. */
  graceMs: number;
  /** Channels this process can send on; pending replies of other channels are left to their owner. */
  sendsOn: (channel: string) => boolean;
  /** Interval between sweeps, in ms; the first runs at `start()`. */
  intervalMs: number;
  logger?: Logger;
}

/**
 * The cluster's version of `MessageBus.recover()`: finds inbound messages that are open but
 * in no Redis lane (their gateway died between storing and queueing them) and queues them,
 * and resends replies that stayed pending (their worker died while sending). One process
 * at a time sweeps, under the lease `recovery`; workers run it at start-up and periodically.
 *
 * A message still in its lane is never queued again. The one remaining overlap, a gateway
 * that queues a message older than `graceMs` during a sweep, adds a second lane entry that
 * runs after the first and finds the message done, so the customer gets one reply.
 */
export class RecoverySweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private readonly logger: Logger;

  constructor(private readonly options: RecoverySweepOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  start(): void {
    const tick = () => {
      if (this.running) return;
      this.running = this.sweepOnce()
        .then((result) => {
          if (result && (result.requeued > 0 || result.resent > 0)) this.logger.info(result, 'recovered unfinished work');
        })
        .catch((error: unknown) => this.logger.error({ err: error }, 'recovery sweep failed'))
        .finally(() => (this.running = undefined));
    };
    tick();
    this.timer = setInterval(tick, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Run one sweep when no other process is sweeping; returns undefined when one is. */
  async sweepOnce(): Promise<{ requeued: number; resent: number } | undefined> {
    const lease = await this.options.leases.acquire('recovery');
    if (!lease) return undefined;
    try {
      const requeued = await this.requeueOrphans();
      const resent = await this.resendStale();
      return { requeued, resent };
    } finally {
      await lease.release();
    }
  }

  private async requeueOrphans(): Promise<number> {
    const { store, queue, clock, graceMs } = this.options;
    const cutoff = clock.now() - graceMs;
    let requeued = 0;
    for (const open of await store.listOpenInbound()) {
      const queued = await queue.laneJobs(open.conversationId);
      if (queued.some((job) => job.messageId === open.id)) continue;
      const inbound = await store.getInbound(open.id);
      if (!inbound || inbound.createdAt > cutoff) continue;
      if (await queue.push(open.conversationId, { messageId: open.id, conversationId: open.conversationId, enqueuedAt: clock.now() })) {
        requeued += 1;
      }
    }
    return requeued;
  }

  private async resendStale(): Promise<number> {
    const { store, outbox, clock, graceMs, sendsOn } = this.options;
    const cutoff = clock.now() - graceMs;
    const stale = (await store.listPendingOutbound()).filter((row) => row.createdAt <= cutoff && sendsOn(row.channel));
    return stale.length > 0 ? outbox.deliver(stale) : 0;
  }
}
