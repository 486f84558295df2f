import type { Outbox } from '../bus/outbox.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { parseNotePrefixes } from '../handoff/config.js';
import { SupportHours } from '../handoff/hours.js';
import { InMemoryHandoffRepository } from '../handoff/repository.js';
import { HandoffService } from '../handoff/service.js';
import type { HandoffRepository } from '../handoff/repository.js';
import type { StaffConsole } from '../handoff/types.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/types.js';
import { NoStaffHandoff, OutboxCustomerSender, StaffHandoff, type HandoffRouter } from './handoff.js';

/** The handoff side of the core: the router the pipeline uses and, with staff, the service. */
export interface HandoffWiring {
  router: HandoffRouter;
  /** Present when a staff console is connected. */
  service?: HandoffService;
  openCount(): number;
  /** Start the timer that reminds staff of unclaimed handoffs. */
  start(): void;
  stop(): void;
}

export interface HandoffWiringOptions {
  config: Config;
  store: Store;
  outbox: Outbox;
  clock: Clock;
  logger: Logger;
  console?: StaffConsole;
  repository?: HandoffRepository;
}

/** Period of the unclaimed-handoff check. */
const TICK_MS = 30_000;

export function buildHandoff(options: HandoffWiringOptions): HandoffWiring {
  const { config, store, outbox, clock, logger } = options;
  if (!options.console) {
    const router = new NoStaffHandoff(config.SUPPORT_CONTACT);
    return { router, openCount: () => 0, start: () => undefined, stop: () => undefined };
  }

  const sender = new OutboxCustomerSender(store, outbox, clock);
  const repository = options.repository ?? new InMemoryHandoffRepository();
  const service = new HandoffService({
    repository,
    sender,
    states: { setState: (id, state) => store.setConversationState(id, state, clock.now()) },
    console: options.console,
    claimTimeoutMs: config.HANDOFF_CLAIM_TIMEOUT_MS,
    expectedWaitMinutes: config.HANDOFF_EXPECTED_WAIT_MINUTES,
    supportHours: new SupportHours(config.SUPPORT_HOURS, config.SUPPORT_TIMEZONE),
    notePrefixes: parseNotePrefixes(config.HANDOFF_NOTE_PREFIX),
    clock,
    logger,
  });

  let open = 0;
  let timer: NodeJS.Timeout | undefined;
  const refresh = async () => {
    open = (await service.listOpen()).length;
  };
  return {
    router: new StaffHandoff(service, sender, store, logger),
    service,
    openCount: () => open,
    start() {
      void refresh();
      timer = setInterval(() => {
        service
          .tick()
          .then(refresh)
          .catch((err: unknown) => logger.error({ err }, 'handoff reminder check failed'));
      }, TICK_MS);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
