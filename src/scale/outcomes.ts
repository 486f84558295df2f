import { Redis } from 'ioredis';
import type { Outcome } from '../bus/bus.js';
import { silentLogger, type Logger } from '../log.js';

/**
 * Carries outcomes from the worker that computed them to the gateway whose HTTP caller
 * waits for them, over one Redis pub/sub channel that carries message ids in the payload.
 * Pub/sub drops messages while a subscriber reconnects, so waiting callers also poll the
 * store (MessageBus `outcomePollMs`): a lost notification only delays the HTTP response.
 */
export class OutcomeRelay {
  private subscriber: Redis | undefined;
  private readonly channel: string;
  private readonly logger: Logger;

  constructor(
    /** Shared connection used to publish; the relay never closes it. */
    private readonly publisher: Redis,
    private readonly options: { redisUrl: string; prefix: string; logger?: Logger },
  ) {
    this.channel = `${options.prefix}:outcomes`;
    this.logger = options.logger ?? silentLogger;
  }

  /** Publish an outcome; a failure is logged, because the waiting caller falls back to polling. */
  publish(outcome: Outcome): void {
    this.publisher.publish(this.channel, JSON.stringify(outcome)).catch((error: unknown) => {
      this.logger.warn({ err: error, messageId: outcome.messageId }, 'outcome could not be published');
    });
  }

  /** Subscribe on a dedicated connection and pass every received outcome to `onOutcome`. */
  async subscribe(onOutcome: (outcome: Outcome) => void): Promise<void> {
    const subscriber = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    this.subscriber = subscriber;
    subscriber.on('error', (error) => this.logger.warn({ err: error }, 'outcome subscription connection failed'));
    subscriber.on('message', (_channel: string, payload: string) => {
      try {
        onOutcome(JSON.parse(payload) as Outcome);
      } catch (error) {
        this.logger.warn({ err: error }, 'invalid outcome notification ignored');
      }
    });
    await subscriber.subscribe(this.channel);
  }

  async close(): Promise<void> {
    await this.subscriber?.quit().catch(() => undefined);
    this.subscriber = undefined;
  }
}
