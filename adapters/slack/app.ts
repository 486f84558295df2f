import { App, type AllMiddlewareArgs, type SlackEventMiddlewareArgs } from '@slack/bolt';
import type { HttpMount, WebhookAdapter } from '../../src/bus/types.js';
import { systemClock, type Clock } from '../../src/clock.js';
import { silentLogger, type Logger } from '../../src/log.js';
import type { AdminCommands } from '../../src/admin/commands.js';
import type { HandoffService } from '../../src/handoff/service.js';
import type { StaffUser } from '../../src/handoff/types.js';
import { CLAIM_ACTION, RESOLVE_ACTION } from './blocks.js';
import { toBoltLogger } from './bolt-logger.js';
import { SlackStaffConsole } from './console.js';
import { RecentEventIds } from './dedupe.js';
import { slackToPlainText } from './text.js';
import { FastifyReceiver } from './receiver.js';

export interface SlackAdapterOptions {
  botToken: string;
  /** Required in HTTP mode; verifies every request on `POST /slack/events`. */
  signingSecret?: string;
  /** App-level token; when set, Bolt uses Socket Mode and `mount()` registers nothing. */
  appToken?: string;
  /** Web API base URL ending in `/api/` (default Slack's). */
  apiUrl?: string;
  /** Channel id where handoff cards are posted and staff reply in threads. */
  staffChannel: string;
  /** Slack user ids allowed to run admin commands; checked again by `AdminCommands`. */
  adminUsers?: string[];
  /** Slash command name (default `/frontdesk`). */
  commandName?: string;
  /** Retries of a Web API call after 429 or network errors (default 5). */
  maxRetries?: number;
  /** Send the HTTP response only after listeners finished (default false). */
  processBeforeResponse?: boolean;
  clock?: Clock;
  logger?: Logger;
}

/** Handoff operations the Slack app calls on staff actions; `HandoffService` implements them. */
export type HandoffActions = Pick<HandoffService, 'onStaffReply' | 'claim' | 'resolve'>;

/** The slice of a Slack `message` event the relay reads. */
interface StaffMessageEvent {
  subtype?: string;
  bot_id?: string;
  user?: string;
  channel?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
}

/** Subtypes that are still a person's new message; edits, deletions and joins are not. */
const RELAYED_SUBTYPES = new Set([undefined, 'thread_broadcast']);

/**
 * Staff console on Slack (Bolt 5.1): posts handoff cards, relays staff thread replies to
 * the handoff service, handles the Claim / Resolve buttons and the admin slash command.
 * HTTP mode runs on the bot's Fastify server through `mount()`; Socket Mode when an app
 * token is given.
 */
export class SlackAdapter implements WebhookAdapter {
  readonly app: App;
  /** The `StaffConsole` to give to `HandoffService`. */
  readonly console: SlackStaffConsole;
  private readonly receiver?: FastifyReceiver;
  private readonly logger: Logger;
  private readonly seenEvents: RecentEventIds;
  private readonly staffNames = new Map<string, string>();
  private handoffs?: HandoffActions;
  private admin?: AdminCommands;

  constructor(private readonly options: SlackAdapterOptions) {
    const clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? silentLogger).child({ component: 'slack' });
    this.seenEvents = new RecentEventIds(clock);
    const clientOptions = {
      slackApiUrl: options.apiUrl ?? 'https://slack.com/api/',
      // A 429 pauses the client for Retry-After seconds and then retries, within this budget.
      rejectRateLimitedCalls: false,
      retryConfig: { retries: options.maxRetries ?? 5, factor: 2, minTimeout: 500, maxTimeout: 30_000, randomize: true },
      timeout: 10_000,
    };
    const logger = toBoltLogger(this.logger);

    if (options.appToken) {
      this.app = new App({
        token: options.botToken,
        appToken: options.appToken,
        socketMode: true,
        logger,
        clientOptions,
        convoStore: false,
        deferInitialization: true,
      });
    } else {
      if (!options.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required unless SLACK_APP_TOKEN is set');
      this.receiver = new FastifyReceiver({
        signingSecret: options.signingSecret,
        processBeforeResponse: options.processBeforeResponse,
        clock,
        logger: this.logger,
      });
      this.app = new App({
        token: options.botToken,
        receiver: this.receiver,
        logger,
        clientOptions,
        convoStore: false,
        deferInitialization: true,
      });
    }
    this.console = new SlackStaffConsole(this.app.client, options.staffChannel, clock);
    this.registerListeners();
  }

  /** Connect the services staff actions go to; call before `start()`. */
  connect(services: { handoffs: HandoffActions; admin?: AdminCommands }): void {
    this.handoffs = services.handoffs;
    this.admin = services.admin;
  }

  /** Register `POST /slack/events` on the shared server (HTTP mode only). */
  mount(server: HttpMount): void {
    if (!this.receiver) {
      this.logger.info('slack runs in Socket Mode; no HTTP route registered');
      return;
    }
    this.receiver.mount(server);
  }

  /** Check the token (auth.test) and, in Socket Mode, open the connection. */
  async start(): Promise<void> {
    await this.app.init();
    await this.app.start();
    this.logger.info({ socketMode: !this.receiver }, 'slack console started');
  }

  async stop(): Promise<void> {
    await this.app.stop();
    this.logger.info('slack console stopped');
  }

  private registerListeners(): void {
    this.app.use(async ({ body, next }) => this.once(body as { event_id?: unknown }, next));
    this.app.event('message', async (args) => this.onMessage(args));
    this.app.action(CLAIM_ACTION, async ({ ack, body, action }) => {
      await ack();
      await this.onButton('claim', body.user.id, 'value' in action ? action.value : undefined);
    });
    this.app.action(RESOLVE_ACTION, async ({ ack, body, action }) => {
      await ack();
      await this.onButton('resolve', body.user.id, 'value' in action ? action.value : undefined);
    });
    this.app.command(this.options.commandName ?? '/frontdesk', async ({ ack, command }) => {
      const user = { channel: 'slack', id: command.user_id, name: command.user_name };
      if (!this.admin) {
        await ack({ response_type: 'ephemeral', text: 'Admin commands are not enabled on this server.' });
        return;
      }
      // Backend calls are in-process and fast, so the reply fits in Slack's 3-second ack window.
      const reply = await this.admin.run(user, command.text ?? '');
      await ack({ response_type: 'ephemeral', text: reply.text });
    });
  }

  /** Run `next` once per Slack event id; a redelivery of a handled event is dropped. */
  private async once(body: { event_id?: unknown }, next: () => Promise<void>): Promise<void> {
    const eventId = typeof body.event_id === 'string' ? body.event_id : undefined;
    if (eventId === undefined) return next();
    if (!this.seenEvents.add(eventId)) {
      this.logger.info({ eventId }, 'slack event redelivery ignored');
      return;
    }
    try {
      await next();
    } catch (error) {
      // A failed first attempt must not block Slack's retry of the same event.
      this.seenEvents.delete(eventId);
      throw error;
    }
  }

  private async onMessage({ event, context }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs): Promise<void> {
    const message = event as StaffMessageEvent;
    if (message.channel !== this.options.staffChannel) return;
    if (!RELAYED_SUBTYPES.has(message.subtype) || message.bot_id) return;
    if (!message.user || message.user === context.botUserId) return;
    if (!message.thread_ts || message.thread_ts === message.ts || !message.text) return;
    if (!this.handoffs) {
      this.logger.warn('staff reply dropped: no handoff service connected');
      return;
    }
    const staff = await this.staffUser(message.user);
    const thread = { channel: message.channel, ts: message.thread_ts };
    try {
      const result = await this.handoffs.onStaffReply(thread, staff, slackToPlainText(message.text));
      this.logger.info({ staffId: staff.id, status: result.status }, 'staff thread reply handled');
    } catch (error) {
      this.logger.error({ err: error, staffId: staff.id, threadTs: thread.ts }, 'staff reply could not be delivered');
      await this.console.postToThread(thread, 'This reply could not be delivered to the customer. Please send it again.');
    }
  }

  private async onButton(kind: 'claim' | 'resolve', userId: string, handoffId: string | undefined): Promise<void> {
    if (!handoffId || !this.handoffs) return;
    const staff = await this.staffUser(userId);
    try {
      if (kind === 'claim') await this.handoffs.claim(handoffId, staff);
      else await this.handoffs.resolve(handoffId, staff);
    } catch (error) {
      this.logger.warn({ err: error, handoffId, staffId: userId }, `handoff ${kind} failed`);
    }
  }

  /** Look up a staff member's display name once (users.info); falls back to the id. */
  private async staffUser(id: string): Promise<StaffUser> {
    const cached = this.staffNames.get(id);
    if (cached) return { id, name: cached };
    try {
      const result = await this.app.client.users.info({ user: id });
      const profile = result.user?.profile;
      const name = profile?.display_name || profile?.real_name || result.user?.name || id;
      this.staffNames.set(id, name);
      return { id, name };
    } catch (error) {
      this.logger.warn({ err: error, staffId: id }, 'slack users.info failed; using the user id as name');
      return { id, name: id };
    }
  }
}
