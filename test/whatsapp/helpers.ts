import type { AcceptResult, ChannelAction, InboundMessage, InboundSink } from '../../src/bus/types.js';
import { createLogger, type Logger } from '../../src/log.js';

/** An inbound sink that dedupes on (channel, platformMessageId) like the core's bus. */
export class RecordingSink implements InboundSink {
  readonly accepted: InboundMessage[] = [];
  readonly actions: ChannelAction[] = [];
  private readonly seen = new Set<string>();

  async accept(message: InboundMessage): Promise<AcceptResult> {
    const key = `${message.channel}:${message.platformMessageId}`;
    const status = this.seen.has(key) ? 'duplicate' : 'accepted';
    if (status === 'accepted') {
      this.seen.add(key);
      this.accepted.push(message);
    }
    return { status, messageId: this.seen.size, conversationId: `${message.channel}:${message.chatId}` };
  }

  async action(action: ChannelAction): Promise<void> {
    this.actions.push(action);
  }
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** Create a debug-level logger whose lines are parsed into `lines`. */
export function captureLogs(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines };
}

/** Let pending promise callbacks and I/O callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

export const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;
