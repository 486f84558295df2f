import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { ChannelAdapter, InboundSink, OutboundMessage, SendReceipt } from '../../src/bus/types.js';

/** Prints replies to a terminal; used by `npm run chat`. */
export class ConsoleChannel implements ChannelAdapter {
  readonly name = 'console';
  readonly capabilities = { maxTextLength: 100_000, formatting: 'none' as const, buttons: true };

  constructor(private readonly output: Writable) {}

  async start(_sink: InboundSink): Promise<void> {}

  async stop(): Promise<void> {}

  async send(message: OutboundMessage): Promise<SendReceipt> {
    const buttons = message.buttons?.length ? `\n   [${message.buttons.map((b) => b.label).join('] [')}]` : '';
    this.output.write(`bot> ${message.text}${buttons}\n`);
    return { platformMessageIds: [`console:${randomUUID()}`] };
  }
}
