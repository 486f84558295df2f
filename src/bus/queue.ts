/**
 * In-process work queue: one FIFO lane per conversation, a bounded number of jobs running at
 * once across all lanes, and a bound on everything queued so a spike is refused instead of
 * growing memory without limit.
 *
 * Lanes take turns: when a job finishes, its lane goes to the back of the ready list, so one
 * busy conversation cannot starve the others.
 */
/**
 * The work queue the message bus depends on: per-conversation FIFO lanes, bounded in size.
 * The in-process ConversationQueue answers `push` synchronously; a queue shared by several
 * processes (src/scale/redis-queue.ts) answers through a promise.
 */
export interface WorkQueue<T> {
  /** Jobs queued or running, as far as this process knows. */
  readonly depth: number;
  readonly capacity: number;
  /** Add a job to the lane of `key`; false, and nothing queued, when the queue is full. */
  push(key: string, job: T): boolean | Promise<boolean>;
  /** Resolve once nothing is queued or running. */
  onIdle(): Promise<void>;
  /** Stop taking jobs for this process and resolve once the ones it runs have finished. */
  close(): Promise<void>;
}

export interface ConversationQueueOptions<T> {
  /** Jobs running at once across all conversations. */
  concurrency: number;
  /** Jobs queued or running at once; `push` returns false beyond it. */
  maxPending: number;
  run: (job: T) => Promise<void>;
  /** Called when `run` rejects; the queue itself never rejects. */
  onError?: (error: unknown, job: T) => void;
}

export class ConversationQueue<T> implements WorkQueue<T> {
  private readonly lanes = new Map<string, T[]>();
  private ready: string[] = [];
  private readyHead = 0;
  private active = 0;
  private pending = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: ConversationQueueOptions<T>) {
    if (options.concurrency < 1) throw new RangeError('concurrency must be at least 1');
    if (options.maxPending < 1) throw new RangeError('maxPending must be at least 1');
  }

  /** Jobs queued or running. */
  get depth(): number {
    return this.pending;
  }

  get capacity(): number {
    return this.options.maxPending;
  }

  get running(): number {
    return this.active;
  }

  /** Add a job to the lane of `key`. Returns false, and queues nothing, when the queue is full. */
  push(key: string, job: T): boolean {
    if (this.pending >= this.options.maxPending) return false;
    this.pending += 1;
    const lane = this.lanes.get(key);
    if (lane) {
      lane.push(job);
    } else {
      this.lanes.set(key, [job]);
      this.ready.push(key);
    }
    this.pump();
    return true;
  }

  /** Resolve once nothing is queued or running. */
  onIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Wait until every queued job has run; the in-process queue has nothing to hand back. */
  close(): Promise<void> {
    return this.onIdle();
  }

  private pump(): void {
    while (this.active < this.options.concurrency && this.readyHead < this.ready.length) {
      const key = this.ready[this.readyHead]!;
      this.readyHead += 1;
      const lane = this.lanes.get(key)!;
      this.active += 1;
      void this.runLane(key, lane);
    }
    // Compact the ready list now and then instead of shifting it on every job.
    if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.readyHead);
      this.readyHead = 0;
    }
  }

  private async runLane(key: string, lane: T[]): Promise<void> {
    const job = lane[0]!;
    try {
      await this.options.run(job);
    } catch (error) {
      this.options.onError?.(error, job);
    }
    lane.shift();
    this.active -= 1;
    this.pending -= 1;
    if (lane.length > 0) {
      this.ready.push(key);
    } else {
      this.lanes.delete(key);
    }
    this.pump();
    if (this.pending === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
