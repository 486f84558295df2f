import type {
  AcceptResult,
  ChannelAction,
  InboundMessage,
  InboundSink,
  OutboundMessage,
} from '../../src/bus/types.js';
import { ManualClock } from '../../src/clock.js';
import { TelegramAdapter, type TelegramAdapterOptions } from '../../adapters/telegram/adapter.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';

export const TOKEN = '123456:TEST-token';

/** In-memory sink that deduplicates on (channel, platformMessageId) like the core does. */
export class MemorySink implements InboundSink {
  readonly accepted: InboundMessage[] = [];
  readonly actions: ChannelAction[] = [];
  acceptCalls = 0;
  failNextAccept = false;
  private readonly ids = new Map<string, number>();

  async accept(message: InboundMessage): Promise<AcceptResult> {
    this.acceptCalls += 1;
    if (this.failNextAccept) {
      this.failNextAccept = false;
      throw new Error('store unavailable');
    }
    const key = `${message.channel}:${message.platformMessageId}`;
    const known = this.ids.get(key);
    if (known !== undefined) return { status: 'duplicate', messageId: known, conversationId: message.chatId };
    this.ids.set(key, this.accepted.length + 1);
    this.accepted.push(message);
    return { status: 'accepted', messageId: this.accepted.length, conversationId: message.chatId };
  }

  async action(action: ChannelAction): Promise<void> {
    this.actions.push(action);
  }
}

/** Poll `condition` every 5 ms until it holds; throw after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface Harness {
  fake: FakeTelegram;
  sink: MemorySink;
  adapter: TelegramAdapter;
  clock: ManualClock;
  close(): Promise<void>;
}

/** Start a fake Bot API and a long-polling adapter against it. */
export async function startHarness(options: Partial<TelegramAdapterOptions> = {}): Promise<Harness> {
  const fake = await startFakeTelegram();
  const sink = new MemorySink();
  const clock = new ManualClock();
  const adapter = new TelegramAdapter({ token: TOKEN, apiRoot: fake.apiRoot, clock, pollingTimeoutSeconds: 5, ...options });
  await adapter.start(sink);
  return {
    fake,
    sink,
    adapter,
    clock,
    async close() {
      await adapter.stop();
      await fake.close();
    },
  };
}

/** Outbound message with defaults for a private chat. */
export function outbound(chatId: string, text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage {
  return { channel: 'telegram', chatId, conversationId: `conv-${chatId}`, text, kind: 'answer', locale: 'en', ...extra };
}

/** Create a sleep that waits until the test releases it and records each requested duration. */
export function manualSleep(): { sleep: (ms: number) => Promise<void>; requested: number[]; release: () => void } {
  const requested: number[] = [];
  const pending: Array<() => void> = [];
  return {
    requested,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        requested.push(ms);
        pending.push(resolve);
      }),
    release: () => {
      for (const resolve of pending.splice(0)) resolve();
    },
  };
}

let nextMessageId = 100;

export const alice = { id: 501, is_bot: false, first_name: 'Alice', last_name: 'Moreira', language_code: 'pt-br' };
export const bob = { id: 502, is_bot: false, first_name: 'Bob', username: 'bob_b' };

/** Build a private-chat message from `from` with `fields` merged in. */
export function privateMessage(fields: Record<string, unknown> = {}, from: { id: number } = alice): Record<string, unknown> {
  return {
    message_id: nextMessageId++,
    date: 1_767_225_600,
    chat: { id: from.id, type: 'private', first_name: 'Alice' },
    from,
    ...fields,
  };
}

/** Build a group message with `fields` merged in. */
export function groupMessage(chatId: number, fields: Record<string, unknown> = {}, type = 'group'): Record<string, unknown> {
  return {
    message_id: nextMessageId++,
    date: 1_767_225_600,
    chat: { id: chatId, type, title: 'Shop customers' },
    from: bob,
    ...fields,
  };
}
