import { randomUUID } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { silentLogger, type Logger } from '../log.js';
import { ENTER, FINISH, PUSH, REPLACE_OWNER } from './lane-scripts.js';

/**
 * A work queue shared by any number of processes, with one FIFO lane per conversation.
 *
 * Design: each conversation's jobs wait in a Redis list (its lane). A lane with entries has
 * exactly one BullMQ job, its owner, recorded in the lane's `owner` key. A worker that runs
 * the owner job processes the lane's head entry, removes it, and when entries remain hands
 * ownership to a new BullMQ job appended to the shared queue. So at most one entry of a
 * conversation runs at a time (order is kept across workers and processes), any number of
 * conversations run in parallel, and a busy conversation goes to the back of the queue
 * after each entry instead of starving the others.
 *
 * Trade-offs against the alternatives:
 * - Partitioned queues (conversation -> one of N queues, one consumer each) need a lease per
 *   partition and cap parallelism at N; a slow message delays its whole partition. Lanes
 *   cost one extra BullMQ job per entry instead.
 * - One queue with a per-conversation lock re-delays jobs whose conversation is busy, which
 *   polls Redis and lets a later message overtake an earlier re-delayed one. Lanes never
 *   poll and never reorder.
 *
 * Failures: a worker killed mid-entry leaves its owner job `active` with an expiring lock;
 * BullMQ's stalled-job check in any live worker moves it back to waiting after about
 * `lockDurationMs` + `stalledIntervalMs`, and the next worker runs the same head entry again.
 * Delivery is therefore at least once: the store's claim and single completion make the
 * second run harmless. A process that dies between two Redis steps (push or handover) can
 * leave an owner that names a job which was never added; `repair()` (run by every worker
 * every `repairIntervalMs`) finds such lanes and adds a new owner job.
 *
 * NOTE: the scripts touch keys of several conversations; this needs a single Redis server
 * or a primary with replicas, not Redis Cluster.
 */
export interface RedisConversationQueueOptions<T> {
  /** Redis URL, such as `redis://127.0.0.1:6379`. */
  redisUrl: string;
  /** Key prefix shared by every process of one deployment. Default `fd`. */
  prefix?: string;
  /** Entries queued or running across all processes; `push` returns false beyond it. */
  maxPending: number;
  /** When set, this process also consumes: it runs up to `concurrency` conversations at once. */
  run?: (job: T) => Promise<void>;
  /** With `run`: wait for `consume()` instead of consuming from construction on. Default false. */
  deferConsuming?: boolean;
  /** Conversations this process runs at once. Default 16. */
  concurrency?: number;
  /** Called when `run` rejects; the entry is removed all the same. */
  onError?: (error: unknown, job: T) => void;
  /** BullMQ job lock; a worker that stops renewing it for this long loses the job. Default 30000 ms. */
  lockDurationMs?: number;
  /** How often workers look for stalled jobs. Default 30000 ms. */
  stalledIntervalMs?: number;
  /** Redeliveries of a stalled job before BullMQ fails it and `repair()` replaces it. Default 2. */
  maxStalledCount?: number;
  /** How often a consuming process runs `repair()`. Default 30000 ms. */
  repairIntervalMs?: number;
  /** Poll interval of `onIdle()`. Default 50 ms. */
  idlePollMs?: number;
  logger?: Logger;
}

interface LaneEntry<T> {
  id: string;
  job: T;
}

const QUEUE_NAME = 'lanes';

export class RedisConversationQueue<T> {
  private readonly redis: Redis;
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private repairTimer: NodeJS.Timeout | undefined;
  private readonly prefix: string;
  private readonly logger: Logger;
  private lastPending = 0;

  constructor(private readonly options: RedisConversationQueueOptions<T>) {
    if (options.maxPending < 1) throw new RangeError('maxPending must be at least 1');
    if ((options.concurrency ?? 16) < 1) throw new RangeError('concurrency must be at least 1');
    this.prefix = options.prefix ?? 'fd';
    this.logger = options.logger ?? silentLogger;
    // BullMQ requires maxRetriesPerRequest: null so that its commands wait through a reconnect.
    this.redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    this.queue = new Queue(QUEUE_NAME, { connection: this.redis, prefix: `${this.prefix}:bull` });
    this.queue.on('error', (error) => this.logger.error({ err: error }, 'redis queue connection failed'));
    if (options.run && !options.deferConsuming) this.startWorker(options.run);
  }

  /** Entries queued or running across all processes, as last seen by this process. */
  get depth(): number {
    return this.lastPending;
  }

  get capacity(): number {
    return this.options.maxPending;
  }

  /** Entries queued or running across all processes, read from Redis now. */
  async pendingCount(): Promise<number> {
    this.lastPending = Number((await this.redis.get(this.key('pending'))) ?? 0);
    return this.lastPending;
  }

  /** Append a job to the lane of `key`. Resolves false, and queues nothing, when the queue is full. */
  async push(key: string, job: T): Promise<boolean> {
    const entry: LaneEntry<T> = { id: randomUUID(), job };
    const candidate = randomUUID();
    const [status, pending] = (await this.redis.eval(
      PUSH,
      3,
      this.laneKey('lane', key),
      this.key('pending'),
      this.laneKey('owner', key),
      JSON.stringify(entry),
      String(this.options.maxPending),
      candidate,
    )) as [number, number];
    this.lastPending = pending;
    if (status === -1) return false;
    if (status === 1) await this.addOwnerJob(key, candidate);
    return true;
  }

  /** Start consuming when the queue was built with `run` and `deferConsuming`; later calls do nothing. */
  consume(): void {
    if (this.options.run && !this.worker) this.startWorker(this.options.run);
  }

  /** Jobs in the lane of `key`, oldest first, including the one running; for recovery sweeps. */
  async laneJobs(key: string): Promise<T[]> {
    const entries = await this.redis.lrange(this.laneKey('lane', key), 0, -1);
    return entries.map((entry) => (JSON.parse(entry) as LaneEntry<T>).job);
  }

  /** Resolve once no entry is queued or running in any process. */
  async onIdle(): Promise<void> {
    const pollMs = this.options.idlePollMs ?? 50;
    while ((await this.pendingCount()) > 0) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /**
   * Give a new owner job to every lane whose owner job no longer exists, which happens only
   * when a process died between two Redis steps. Returns the number of lanes repaired.
   */
  async repair(): Promise<number> {
    let repaired = 0;
    const ownerPrefix = `${this.key('owner')}:`;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${ownerPrefix}*`, 'COUNT', 200);
      cursor = next;
      for (const ownerKey of keys) {
        if (await this.repairLane(ownerKey.slice(ownerPrefix.length))) repaired += 1;
      }
    } while (cursor !== '0');
    return repaired;
  }

  /** Stop consuming (waiting for running entries to finish) and close the connections. */
  async close(): Promise<void> {
    clearInterval(this.repairTimer);
    await this.worker?.close();
    await this.queue.close();
    await this.redis.quit().catch(() => undefined);
  }

  private key(name: string): string {
    return `${this.prefix}:queue:${name}`;
  }

  private laneKey(name: 'lane' | 'owner' | 'runner', conversationKey: string): string {
    return `${this.key(name)}:${conversationKey}`;
  }

  private async addOwnerJob(key: string, jobId: string): Promise<void> {
    await this.queue.add(
      'lane',
      { key },
      {
        jobId,
        removeOnComplete: true,
        removeOnFail: true,
        // A failure here is a Redis error after `run`, not a failed message: retry the lane.
        attempts: 3,
        backoff: { type: 'exponential', delay: 500 },
      },
    );
  }

  private async repairLane(key: string): Promise<boolean> {
    const owner = await this.redis.get(this.laneKey('owner', key));
    if (owner === null) return false;
    const state = await this.queue.getJobState(owner);
    if (state !== 'unknown' && state !== 'completed' && state !== 'failed') return false;

    const replacement = randomUUID();
    const result = await this.redis.eval(
      REPLACE_OWNER,
      3,
      this.laneKey('lane', key),
      this.laneKey('owner', key),
      this.laneKey('runner', key),
      owner,
      replacement,
    );
    if (result !== 1) return false;
    await this.addOwnerJob(key, replacement);
    this.logger.warn({ conversationKey: key, lostJobId: owner }, 'lane had no live owner job; requeued it');
    return true;
  }

  private startWorker(run: (job: T) => Promise<void>): void {
    const worker = new Worker(QUEUE_NAME, (job: Job<{ key: string }>) => this.processLane(job, run), {
      connection: new Redis(this.options.redisUrl, { maxRetriesPerRequest: null }),
      prefix: `${this.prefix}:bull`,
      concurrency: this.options.concurrency ?? 16,
      lockDuration: this.options.lockDurationMs ?? 30_000,
      stalledInterval: this.options.stalledIntervalMs ?? 30_000,
      maxStalledCount: this.options.maxStalledCount ?? 2,
    });
    worker.on('error', (error) => this.logger.error({ err: error }, 'redis queue worker failed'));
    worker.on('stalled', (jobId) => this.logger.warn({ jobId }, 'lane job stalled; redelivering'));
    this.worker = worker;

    const repairMs = this.options.repairIntervalMs ?? 30_000;
    this.repairTimer = setInterval(() => {
      this.repair().catch((error) => this.logger.error({ err: error }, 'lane repair failed'));
    }, repairMs);
    this.repairTimer.unref();
  }

  private async processLane(job: Job<{ key: string }>, run: (job: T) => Promise<void>): Promise<void> {
    const { key } = job.data;
    const attempt = randomUUID();
    const lane = this.laneKey('lane', key);
    const owner = this.laneKey('owner', key);
    const runner = this.laneKey('runner', key);

    const head = (await this.redis.eval(ENTER, 3, lane, owner, runner, job.id!, attempt)) as string | null;
    // Another job owns the lane now (this one was replaced by repair), or the lane is empty.
    if (head === null) return;

    const entry = JSON.parse(head) as LaneEntry<T>;
    try {
      await run(entry.job);
    } catch (error) {
      this.options.onError?.(error, entry.job);
    }

    const next = randomUUID();
    const [status, pending] = (await this.redis.eval(
      FINISH,
      4,
      lane,
      this.key('pending'),
      owner,
      runner,
      attempt,
      head,
      next,
    )) as [number, number];
    this.lastPending = pending;
    if (status === -1) this.logger.warn({ conversationKey: key, jobId: job.id }, 'lane attempt superseded by a redelivery');
    if (status === 1) await this.addOwnerJob(key, next);
  }
}
