import { Outbox } from './bus/outbox.js';
import { MessageBus } from './bus/bus.js';
import type { ChannelAdapter } from './bus/types.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { t } from './i18n.js';
import { silentLogger, type Logger } from './log.js';
import { Pipeline, type StaffDesk } from './pipeline/pipeline.js';
import { loadFaq } from './providers/rules/faq.js';
import { RulesProvider } from './providers/rules/rules-provider.js';
import type { Provider } from './providers/types.js';
import { SqliteStore } from './store/sqlite-store.js';
import type { Store } from './store/types.js';

export interface CoreOptions {
  config: Config;
  logger?: Logger;
  clock?: Clock;
  /** LLM providers in fallback order; the rules engine is always appended. */
  providers?: Provider[];
  staffDesk?: StaffDesk;
  store?: Store;
}

/** The core with its parts exposed, so the composition root and tests can reach each one. */
export interface Core {
  config: Config;
  logger: Logger;
  clock: Clock;
  store: Store;
  bus: MessageBus;
  outbox: Outbox;
  rules: RulesProvider;
  adapters: Map<string, ChannelAdapter>;
  /** Register a channel before `start()`. */
  addAdapter(adapter: ChannelAdapter): void;
  /** Start every channel, then resend and reprocess what an earlier run left unfinished. */
  start(): Promise<void>;
  /** Stop taking messages, let running ones finish (up to `graceMs`), stop channels, close storage. */
  stop(graceMs?: number): Promise<void>;
}

const SYSTEM_PROMPT = [
  'You are the customer support assistant of an online store.',
  'Answer briefly and only with facts from the tools and the knowledge base.',
  'If you cannot help, offer to hand the conversation to a person.',
].join(' ');

/** Build the core: storage, rules engine, pipeline, bus and outbox. Channels are added by the caller. */
export function createCore(options: CoreOptions): Core {
  const { config } = options;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const store = options.store ?? new SqliteStore(config.DATABASE_URL);
  const rules = new RulesProvider(loadFaq(config.FAQ_PATH));
  const adapters = new Map<string, ChannelAdapter>();
  const outbox = new Outbox({ store, adapters, clock, logger });

  const pipeline = new Pipeline({
    store,
    providers: [...(options.providers ?? []), rules],
    clock,
    logger,
    maxMessageChars: config.MAX_MESSAGE_CHARS,
    supportContact: config.SUPPORT_CONTACT,
    expectedWaitMinutes: config.HANDOFF_EXPECTED_WAIT_MINUTES,
    systemPrompt: SYSTEM_PROMPT,
    staffDesk: options.staffDesk,
  });

  const bus = new MessageBus({
    store,
    outbox,
    adapters,
    handler: pipeline.handle,
    clock,
    logger,
    concurrency: config.QUEUE_CONCURRENCY,
    maxPending: config.QUEUE_MAX_PENDING,
    noticeText: (key, locale) => t(locale, `core.${key}`),
  });

  return {
    config,
    logger,
    clock,
    store,
    bus,
    outbox,
    rules,
    adapters,
    addAdapter(adapter) {
      adapters.set(adapter.name, adapter);
    },
    async start() {
      for (const adapter of adapters.values()) {
        await adapter.start(bus);
        logger.info({ channel: adapter.name }, 'channel started');
      }
      const recovered = await bus.recover();
      if (recovered.resent > 0 || recovered.requeued > 0) logger.info(recovered, 'recovered unfinished work');
    },
    async stop(graceMs = 10_000) {
      bus.stopAccepting();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([bus.queue.onIdle(), timeout]);
      clearTimeout(timer);
      for (const adapter of adapters.values()) {
        await adapter.stop().catch((err: unknown) => logger.warn({ err, channel: adapter.name }, 'channel stop failed'));
      }
      await store.close();
    },
  };
}
