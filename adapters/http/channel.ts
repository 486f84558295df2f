import { randomUUID } from 'node:crypto';
import type { ChannelAdapter, InboundSink, OutboundMessage, SendReceipt } from '../../src/bus/types.js';

/**
 * The HTTP channel. Replies are stored by the core and returned to the waiting request or
 * listed by `GET /api/conversations/:id/messages`, so delivery is confirmed at once.
 */
export class HttpChannel implements ChannelAdapter {
  readonly name = 'http';
  readonly capabilities = { maxTextLength: 100_000, formatting: 'none' as const, buttons: true };

  async start(_sink: InboundSink): Promise<void> {}

  async stop(): Promise<void> {}

  async send(_message: OutboundMessage): Promise<SendReceipt> {
    return { platformMessageIds: [`http:${randomUUID()}`] };
  }
}
