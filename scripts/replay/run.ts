import type { Core } from '../../src/app.js';
import type { ReplayConversation } from './records.js';

export interface ReplayReport {
  file: string;
  conversations: number;
  messages: number;
  outcomes: Record<string, number>;
  handoffs: number;
  errors: number;
  /** Customer turns that did not end with exactly one outcome. */
  missingOutcomes: number;
  providers: Record<string, number>;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  durationMs: number;
  messagesPerSecond: number;
}

export interface ReplayOptions {
  core: Core;
  conversations: AsyncIterable<ReplayConversation> | Iterable<ReplayConversation>;
  /** Conversations replayed at once; turns within one conversation always go in order. */
  concurrency: number;
  /** Longest wait for one outcome before it is counted missing. */
  outcomeTimeoutMs: number;
  file: string;
  onProgress?: (done: number, messages: number) => void;
}

/** Value at quantile `q` (0..1) of an ascending array, by nearest rank. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/**
 * Feed every customer turn through `core.bus` as the `replay` channel, waiting for each
 * outcome before sending the conversation's next turn, and summarize what happened.
 */
export async function runReplay(options: ReplayOptions): Promise<ReplayReport> {
  const { core } = options;
  const started = performance.now();
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  const providers: Record<string, number> = {};
  let conversations = 0;
  let messages = 0;
  let missing = 0;

  const replayOne = async (conversation: ReplayConversation) => {
    for (const [index, text] of conversation.customerTurns.entries()) {
      const sentAt = performance.now();
      const accepted = await core.bus.accept({
        channel: 'replay',
        platformMessageId: `${conversation.id}#${index}`,
        chatId: conversation.id,
        sender: { id: conversation.id, locale: conversation.locale },
        text,
        attachments: [],
        receivedAt: new Date(core.clock.now()),
      });
      const outcome = await core.bus.waitForOutcome(accepted.messageId, options.outcomeTimeoutMs);
      messages += 1;
      if (!outcome) {
        missing += 1;
        continue;
      }
      latencies.push(performance.now() - sentAt);
      outcomes[outcome.kind] = (outcomes[outcome.kind] ?? 0) + 1;
    }
    conversations += 1;
    options.onProgress?.(conversations, messages);
  };

  const running = new Set<Promise<void>>();
  for await (const conversation of options.conversations) {
    const task = replayOne(conversation).finally(() => running.delete(task));
    running.add(task);
    if (running.size >= options.concurrency) await Promise.race(running);
  }
  await Promise.all(running);

  const durationMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    file: options.file,
    conversations,
    messages,
    outcomes,
    handoffs: outcomes.handoff ?? 0,
    errors: outcomes.error ?? 0,
    missingOutcomes: missing,
    providers,
    latencyMs: {
      p50: round(percentile(latencies, 0.5)),
      p95: round(percentile(latencies, 0.95)),
      p99: round(percentile(latencies, 0.99)),
      max: round(latencies.at(-1) ?? 0),
    },
    durationMs: Math.round(durationMs),
    messagesPerSecond: round((messages / durationMs) * 1000),
  };
}
