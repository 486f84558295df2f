import type { ChannelAdapter, InboundSink, OutboundMessage, SendReceipt } from '../../src/bus/types.js';

/** Channel for replays: confirms every reply at once and counts them. */
export class ReplayChannel implements ChannelAdapter {
  readonly name = 'replay';
  readonly capabilities = { maxTextLength: 100_000, formatting: 'none' as const, buttons: true };
  sent = 0;

  async start(_sink: InboundSink): Promise<void> {}

  async stop(): Promise<void> {}

  async send(_message: OutboundMessage): Promise<SendReceipt> {
    this.sent += 1;
    return { platformMessageIds: [`replay:${this.sent}`] };
  }
}
