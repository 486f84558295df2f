/**
 * The customers' side of the benchmark: the fake Bot API of `test/fakes/telegram-api.ts`,
 * plus bookkeeping that pairs each sendMessage with the oldest unanswered message of its chat
 * to measure latency from the update being queued to the reply arriving.
 */
import { performance } from 'node:perf_hooks';
import { startFakeTelegram, type FakeTelegram, type SentMessage } from '../test/fakes/telegram-api.js';

/** One reply seen at the fake, paired with the message it answers. */
export interface ReplyRecord {
  chatId: string;
  /** `performance.now()` when the answered message was pushed; undefined for an unexpected extra reply. */
  pushedAt: number | undefined;
  /** Milliseconds from pushing the update to the sendMessage call; undefined for an unexpected extra reply. */
  latencyMs: number | undefined;
  /** True when the reply is the LLM's answer rather than a notice or apology. */
  answered: boolean;
}

export class TelegramDriver {
  readonly replies: ReplyRecord[] = [];
  private readonly unanswered = new Map<string, number[]>();
  private readonly messageIds = new Map<string, number>();
  private listeners = new Set<(reply: ReplyRecord) => void>();
  private pushedCount = 0;

  private constructor(
    readonly fake: FakeTelegram,
    /** Text that marks a reply as the LLM's answer. */
    private readonly answerMarker: string,
  ) {
    // The fake keeps no hook for a sent message, so the bookkeeping wraps the push onto its list.
    const push = fake.sent.push.bind(fake.sent);
    fake.sent.push = (...messages: SentMessage[]) => {
      for (const message of messages) this.record(message);
      return push(...messages);
    };
  }

  static async start(answerMarker: string): Promise<TelegramDriver> {
    return new TelegramDriver(await startFakeTelegram(), answerMarker);
  }

  get apiRoot(): string {
    return this.fake.apiRoot;
  }

  /** Messages pushed so far. */
  get pushed(): number {
    return this.pushedCount;
  }

  /** Queue one text message per entry for getUpdates, all at once. */
  send(messages: Array<{ chatId: number; text: string }>): void {
    const now = performance.now();
    const updates = messages.map(({ chatId, text }) => {
      const key = String(chatId);
      const messageId = (this.messageIds.get(key) ?? 0) + 1;
      this.messageIds.set(key, messageId);
      const queue = this.unanswered.get(key);
      if (queue) queue.push(now);
      else this.unanswered.set(key, [now]);
      const user = { id: chatId, is_bot: false, first_name: `Customer ${chatId}`, language_code: 'en' };
      return { message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private', first_name: user.first_name }, from: user, text } };
    });
    this.pushedCount += messages.length;
    this.fake.pushUpdates(updates);
  }

  /** Call `listener` for every reply from now on; returns a function that removes it. */
  onReply(listener: (reply: ReplyRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolve once `count` replies were recorded in total, or after `timeoutMs` with false. */
  waitForReplies(count: number, timeoutMs: number): Promise<boolean> {
    if (this.replies.length >= count) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        remove();
        resolve(false);
      }, timeoutMs);
      const remove = this.onReply(() => {
        if (this.replies.length < count) return;
        clearTimeout(timer);
        remove();
        resolve(true);
      });
    });
  }

  close(): Promise<void> {
    return this.fake.close();
  }

  private record(message: SentMessage): void {
    const sentAt = performance.now();
    const pushedAt = this.unanswered.get(message.chatId)?.shift();
    const reply: ReplyRecord = {
      chatId: message.chatId,
      pushedAt,
      latencyMs: pushedAt === undefined ? undefined : sentAt - pushedAt,
      answered: message.text.includes(this.answerMarker),
    };
    this.replies.push(reply);
    for (const listener of this.listeners) listener(reply);
  }
}
