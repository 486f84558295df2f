import { ChannelSendError } from '../bus/errors.js';
import type { ChannelAdapter, InboundSink, OutboundMessage, SendReceipt } from '../bus/types.js';
import { silentLogger, type Logger } from '../log.js';
import type { LeaseManager } from './lease.js';
import { LeaseRunner } from './lease-runner.js';

/**
 * Wrap `adapter` for a worker process: the result sends through `adapter` but never
 * receives, so neither polling nor a webhook starts. Fits channels whose sending is a plain HTTP API call
 * (Telegram Bot API, WhatsApp Cloud API, the HTTP channel).
 */
export function sendOnly(adapter: ChannelAdapter): ChannelAdapter {
  return {
    name: adapter.name,
    capabilities: adapter.capabilities,
    async start(): Promise<void> {},
    async stop(): Promise<void> {},
    send: (message) => adapter.send(message),
    typing: adapter.typing ? (chatId) => adapter.typing!(chatId) : undefined,
  };
}

export interface LeasedChannelOptions {
  leases: LeaseManager;
  /** Lease name, such as `channel:telegram:<token hash>`. */
  leaseName: string;
  /**
   * True when only the lease holder can send, as with a WhatsApp Web session. Sends from
   * another process then fail as retryable, so the row stays pending for the holder.
   */
  sendNeedsLease?: boolean;
  /** Extra work of the holder, started after the channel and stopped before it. */
  holderWork?: { start(): Promise<void> | void; stop(): Promise<void> | void };
  logger?: Logger;
}

/**
 * A channel that must receive in exactly one process of the cluster, such as Telegram long
 * polling: every gateway runs it through a LeaseRunner, and the lease holder starts it.
 */
export class LeasedChannel implements ChannelAdapter {
  readonly name: string;
  readonly capabilities: ChannelAdapter['capabilities'];
  private runner: LeaseRunner | undefined;

  constructor(
    private readonly adapter: ChannelAdapter,
    private readonly options: LeasedChannelOptions,
  ) {
    this.name = adapter.name;
    this.capabilities = adapter.capabilities;
  }

  /** True while this process holds the lease and receives for the channel. */
  get holding(): boolean {
    return this.runner?.holding === true;
  }

  async start(sink: InboundSink): Promise<void> {
    const { adapter, options } = this;
    this.runner = new LeaseRunner({
      leases: options.leases,
      name: options.leaseName,
      logger: options.logger ?? silentLogger,
      start: async () => {
        await adapter.start(sink);
        await options.holderWork?.start();
      },
      stop: async () => {
        await options.holderWork?.stop();
        await adapter.stop();
      },
    });
    // Resolves at once: the lease is taken in the background, now or when the holder dies.
    this.runner.start();
  }

  async stop(): Promise<void> {
    await this.runner?.stop();
  }

  send(message: OutboundMessage): Promise<SendReceipt> {
    if (this.options.sendNeedsLease && !this.holding) {
      return Promise.reject(
        new ChannelSendError(this.name, 'unavailable', `${this.name} is connected in another gateway; the reply stays pending for it`),
      );
    }
    return this.adapter.send(message);
  }

  typing(chatId: string): Promise<void> {
    if (!this.adapter.typing || (this.options.sendNeedsLease && !this.holding)) return Promise.resolve();
    return this.adapter.typing(chatId);
  }
}
