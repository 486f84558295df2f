import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { InboundRow, OutboundDraft, OutboundRow, RequestLogEntry, Store } from '../store/types.js';
import type { Outbox } from './outbox.js';
import { ConversationQueue, type WorkQueue } from './queue.js';
import type { AcceptResult, ChannelAction, ChannelAdapter, InboundMessage, InboundSink } from './types.js';

/** Decision of the pipeline for one inbound message. */
export interface HandledMessage {
  /** `answer`, `notice`, `handoff`, `relay`, `limited`, `busy` or `error`. */
  outcome: string;
  replies: OutboundDraft[];
  /** Request-log fields set by the pipeline; the bus adds timing and ids. */
  log?: Partial<RequestLogEntry>;
  /** Set for `limited`: when the sender may write again. */
  retryAfterMs?: number;
}

export interface ProcessContext {
  queueWaitMs: number;
  receivedAt: number;
}

export type MessageHandler = (inbound: InboundRow, context: ProcessContext) => Promise<HandledMessage>;

/** The final outcome of an inbound message, as returned to waiting HTTP callers. */
export interface Outcome {
  messageId: number;
  conversationId: string;
  kind: string;
  replies: Array<{ text: string; kind: string }>;
  retryAfterMs?: number;
}

/** One queued inbound message; plain JSON, so a queue shared by several processes can carry it. */
export interface BusJob {
  messageId: number;
  conversationId: string;
  enqueuedAt: number;
}

type Job = BusJob;

/** Builds the bus's queue around the bus's own job runner, such as a Redis queue for several processes. */
export type QueueFactory = (
  run: (job: BusJob) => Promise<void>,
  onError: (error: unknown, job: BusJob) => void,
) => WorkQueue<BusJob>;

export interface MessageBusOptions {
  store: Store;
  outbox: Outbox;
  adapters: Map<string, ChannelAdapter>;
  handler: MessageHandler;
  clock: Clock;
  logger: Logger;
  concurrency: number;
  maxPending: number;
  /** Localized text of the notices the bus sends itself. */
  noticeText: (key: 'busy' | 'apology', locale: string) => string;
  /** Button presses and other customer actions. */
  onAction?: (action: ChannelAction) => Promise<void>;
  /** Called with the request-log line of every handled message, after its replies were sent. */
  onHandled?: (entry: RequestLogEntry) => void;
  /** Queue to use in place of the in-process ConversationQueue. */
  queue?: QueueFactory;
  /** Called with every outcome this process computed, such as to publish it to other processes. */
  onOutcome?: (outcome: Outcome) => void;
  /**
   * When set, `waitForOutcome` also reads the store at this interval, in ms. Used when another
   * process computes outcomes, so a lost notification delays a caller instead of hanging it.
   */
  outcomePollMs?: number;
}

/**
 * The inbox: persists each inbound message before acknowledging it, runs the pipeline in
 * per-conversation order, writes replies to the outbox and tells waiting callers the outcome.
 */
export class MessageBus implements InboundSink {
  readonly queue: WorkQueue<Job>;
  private readonly waiters = new Map<number, Array<(outcome: Outcome) => void>>();
  private accepting = true;

  constructor(private readonly options: MessageBusOptions) {
    const run = (job: Job) => this.process(job);
    const onError = (error: unknown, job: Job) =>
      options.logger.error({ err: error, messageId: job.messageId }, 'message processing failed');
    this.queue = options.queue
      ? options.queue(run, onError)
      : new ConversationQueue<Job>({ concurrency: options.concurrency, maxPending: options.maxPending, run, onError });
  }

  async accept(message: InboundMessage): Promise<AcceptResult> {
    const { store, clock, logger } = this.options;
    const now = clock.now();
    const stored = await store.acceptInbound(message, now);
    const ids = { messageId: stored.messageId, conversationId: stored.conversationId };
    if (stored.duplicate) {
      logger.info({ ...ids, channel: message.channel }, 'duplicate message ignored');
      return { status: 'duplicate', ...ids };
    }
    if (!this.accepting || !(await this.push(stored.conversationId, { ...ids, enqueuedAt: now }))) {
      await this.answerBusy(stored.messageId, message.sender.locale ?? 'en');
      return { status: 'busy', ...ids };
    }
    return { status: 'accepted', ...ids };
  }

  /** Push without an extra await for the in-process queue, whose answer is synchronous. */
  private push(key: string, job: Job): boolean | Promise<boolean> {
    return this.queue.push(key, job);
  }

  async action(action: ChannelAction): Promise<void> {
    await this.options.onAction?.(action);
  }

  /** Stop taking new messages into the queue; they are stored and answered busy. */
  stopAccepting(): void {
    this.accepting = false;
  }

  /** Resolve with the outcome of a message, or undefined when `timeoutMs` passes first. */
  async waitForOutcome(messageId: number, timeoutMs: number): Promise<Outcome | undefined> {
    let settle!: (outcome: Outcome | undefined) => void;
    const promise = new Promise<Outcome | undefined>((resolve) => (settle = resolve));
    const list = this.waiters.get(messageId) ?? [];
    list.push(settle);
    this.waiters.set(messageId, list);
    const timer = setTimeout(() => settle(undefined), timeoutMs);
    const poll = this.pollOutcome(messageId, settle);

    // Registered before looking, so an outcome that lands in between is not missed.
    const finished = await this.storedOutcome(messageId);
    if (finished) settle(finished);
    const outcome = await promise;
    clearTimeout(timer);
    clearInterval(poll);
    const remaining = (this.waiters.get(messageId) ?? []).filter((fn) => fn !== settle);
    if (remaining.length > 0) this.waiters.set(messageId, remaining);
    else this.waiters.delete(messageId);
    return outcome;
  }

  private async storedOutcome(messageId: number): Promise<Outcome | undefined> {
    const inbound = await this.options.store.getInbound(messageId);
    if (!inbound || inbound.state !== 'done') return undefined;
    const replies = await this.options.store.listReplies(messageId);
    if (replies.some((row) => row.state === 'pending')) return undefined;
    return toOutcome(inbound.id, inbound.conversationId, inbound.outcome ?? 'unknown', replies);
  }

  private pollOutcome(messageId: number, settle: (outcome: Outcome) => void): NodeJS.Timeout | undefined {
    const { outcomePollMs, logger } = this.options;
    if (outcomePollMs === undefined) return undefined;
    return setInterval(() => {
      this.storedOutcome(messageId).then(
        (outcome) => outcome && settle(outcome),
        (error: unknown) => logger.warn({ err: error, messageId }, 'outcome poll failed'),
      );
    }, outcomePollMs);
  }

  /** Hand an outcome computed by another process to the callers waiting here. */
  receiveOutcome(outcome: Outcome): void {
    for (const settle of this.waiters.get(outcome.messageId) ?? []) settle(outcome);
  }

  /** True while a caller in this process waits for the outcome of `messageId`. */
  isWaitingFor(messageId: number): boolean {
    return this.waiters.has(messageId);
  }

  private notify(outcome: Outcome): void {
    this.receiveOutcome(outcome);
    this.options.onOutcome?.(outcome);
  }

  /**
   * Send replies left pending by an earlier run, then queue every message that was received
   * or in progress when it stopped. Call once at start-up, after the channels are started.
   */
  async recover(): Promise<{ resent: number; requeued: number }> {
    const { store, outbox, clock } = this.options;
    let resent = 0;
    for (const row of await store.listPendingOutbound()) {
      resent += await outbox.deliver([row]);
    }
    const open = await store.listOpenInbound();
    let requeued = 0;
    for (const message of open) {
      while (!(await this.push(message.conversationId, { ...message, messageId: message.id, enqueuedAt: clock.now() }))) {
        await this.queue.onIdle();
      }
      requeued += 1;
    }
    return { resent, requeued };
  }

  private async answerBusy(messageId: number, locale: string): Promise<void> {
    const { store, outbox, clock, noticeText } = this.options;
    const reply = { kind: 'busy' as const, text: noticeText('busy', locale) };
    const rows = await store.completeInbound(messageId, 'busy', [reply], null, clock.now());
    await outbox.deliver(rows.filter((row) => row.state === 'pending'));
  }

  private async process(job: Job): Promise<void> {
    const { store, outbox, clock, logger, handler, adapters } = this.options;
    const startedAt = clock.now();
    const inbound = await store.claimInbound(job.messageId, startedAt);
    if (!inbound) {
      // Already done in an earlier run: only replies that were never confirmed remain to send.
      const replies = await store.listReplies(job.messageId);
      await outbox.deliver(replies.filter((row) => row.state === 'pending'));
      const outcome = await this.storedOutcome(job.messageId);
      if (outcome) this.notify(outcome);
      return;
    }

    const conversation = await store.getConversation(inbound.conversationId);
    const adapter = adapters.get(inbound.channel);
    if (adapter?.typing && conversation) adapter.typing(conversation.chatId).catch(() => undefined);

    const queueWaitMs = startedAt - job.enqueuedAt;
    let handled: HandledMessage;
    try {
      handled = await handler(inbound, { queueWaitMs, receivedAt: inbound.createdAt });
    } catch (error) {
      logger.error({ err: error, messageId: inbound.id, conversationId: inbound.conversationId }, 'pipeline failed; sending apology');
      handled = {
        outcome: 'error',
        replies: [{ kind: 'notice', text: this.options.noticeText('apology', conversation?.locale ?? 'en') }],
        log: { errorType: error instanceof Error ? error.name : 'Error' },
      };
    }

    const finishedAt = clock.now();
    const log: RequestLogEntry = {
      messageId: inbound.id,
      conversationId: inbound.conversationId,
      channel: inbound.channel,
      customerId: inbound.customerId,
      receivedAt: inbound.createdAt,
      finishedAt,
      endToEndMs: finishedAt - inbound.createdAt,
      queueWaitMs,
      ...handled.log,
      outcome: handled.outcome,
    };
    const rows = await store.completeInbound(inbound.id, handled.outcome, handled.replies, log, finishedAt);
    await outbox.deliver(
      rows.filter((row) => row.state === 'pending'),
      inbound.platformMessageId,
    );
    logger.info(
      { messageId: inbound.id, conversationId: inbound.conversationId, outcome: handled.outcome, ms: finishedAt - startedAt },
      'message handled',
    );
    this.options.onHandled?.(log);
    const outcome = toOutcome(inbound.id, inbound.conversationId, handled.outcome, rows);
    if (handled.retryAfterMs !== undefined) outcome.retryAfterMs = handled.retryAfterMs;
    this.notify(outcome);
  }
}

function toOutcome(messageId: number, conversationId: string, kind: string, rows: OutboundRow[]): Outcome {
  return { messageId, conversationId, kind, replies: rows.map((row) => ({ text: row.text, kind: row.kind })) };
}
