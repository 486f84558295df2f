/**
 * Builds the chat channels that the configuration turns on: Telegram, WhatsApp (Web or Cloud
 * API) and the Slack staff console, and connects them to the core.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AdminCommands } from '../src/admin/commands.js';
import { CoreAdminBackend } from '../src/admin/core-backend.js';
import type { Core } from '../src/app.js';
import type { ChannelAdapter } from '../src/bus/types.js';
import type { Logger } from '../src/log.js';
import { formatAlert, type AlertNotifier } from '../src/monitor/alerts.js';
import { LeasedChannel, sendOnly } from '../src/scale/channels.js';
import type { ChannelConfig } from './config.js';
import { SlackAdapter } from './slack/app.js';
import { TelegramAdapter } from './telegram/adapter.js';
import { WhatsAppCloudAdapter } from './whatsapp/cloud/adapter.js';
import { WhatsAppWebAdapter } from './whatsapp/web/adapter.js';

/** The Slack console is built before the core, because the core's handoff service posts to it. */
export function createSlack(channels: ChannelConfig, logger: Logger): SlackAdapter | undefined {
  if (!channels.SLACK_BOT_TOKEN) return undefined;
  if (!channels.SLACK_STAFF_CHANNEL) throw new Error('SLACK_STAFF_CHANNEL is required when SLACK_BOT_TOKEN is set');
  return new SlackAdapter({
    botToken: channels.SLACK_BOT_TOKEN,
    signingSecret: channels.SLACK_SIGNING_SECRET,
    appToken: channels.SLACK_APP_TOKEN,
    apiUrl: channels.SLACK_API_URL,
    staffChannel: channels.SLACK_STAFF_CHANNEL,
    adminUsers: channels.SLACK_ADMIN_USERS,
    commandName: channels.SLACK_COMMAND,
    logger: logger.child({ component: 'slack' }),
  });
}

/** Alerts go to the alert channel, or the staff channel, in Slack; they are always logged too. */
export function slackAlertNotifier(slack: SlackAdapter, channel: string, logger: Logger): AlertNotifier {
  return {
    async notify(alert) {
      try {
        await slack.app.client.chat.postMessage({ channel, text: formatAlert(alert) });
      } catch (err) {
        logger.error({ err, alert: alert.name }, 'alert could not be posted to Slack');
      }
    },
  };
}

export interface Channels {
  adapters: ChannelAdapter[];
  slack?: SlackAdapter;
  admin: AdminCommands;
  /** Register webhook routes on the shared server; call before it listens. */
  mount(app: FastifyInstance): Promise<void>;
  /** Start the Slack console (customer channels start with the core). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Build the customer channels for `core` and connect the staff console to its handoff service. */
export async function createChannels(core: Core, channels: ChannelConfig, slack: SlackAdapter | undefined): Promise<Channels> {
  const logger = core.logger;
  const admin = new AdminCommands({
    backend: new CoreAdminBackend(core),
    admins: { slack: channels.SLACK_ADMIN_USERS ?? [], telegram: channels.TELEGRAM_ADMIN_IDS },
    commandName: channels.SLACK_COMMAND,
    logger,
  });
  const adapters: ChannelAdapter[] = [];

  if (channels.TELEGRAM_BOT_TOKEN) adapters.push(await createTelegram(core, channels, admin));
  if (channels.WHATSAPP_MODE === 'web' && core.role === 'worker') {
    logger.info('WhatsApp Web replies are left pending for the gateway that holds the session');
  } else if (channels.WHATSAPP_MODE === 'web') {
    adapters.push(
      leaseWhatsAppWeb(core, channels, new WhatsAppWebAdapter({
        sessionDir: channels.WHATSAPP_SESSION_DIR,
        executablePath: channels.WHATSAPP_CHROMIUM_PATH,
        pairingPhone: channels.WHATSAPP_PAIRING_PHONE,
        maxTextLength: channels.WHATSAPP_MAX_TEXT_LENGTH,
        onAlert: (alert) => logger.error({ alert: alert.code, reason: alert.reason }, `WhatsApp: ${alert.message}`),
        logger: logger.child({ component: 'whatsapp' }),
      })),
    );
  } else if (channels.WHATSAPP_MODE === 'cloud') {
    adapters.push(
      new WhatsAppCloudAdapter({
        token: channels.WHATSAPP_CLOUD_TOKEN!,
        phoneId: channels.WHATSAPP_CLOUD_PHONE_ID!,
        appSecret: channels.WHATSAPP_CLOUD_APP_SECRET!,
        verifyToken: channels.WHATSAPP_CLOUD_VERIFY_TOKEN!,
        apiUrl: channels.WHATSAPP_CLOUD_API_URL,
        template: channels.WHATSAPP_CLOUD_TEMPLATE
          ? { name: channels.WHATSAPP_CLOUD_TEMPLATE, language: channels.WHATSAPP_CLOUD_TEMPLATE_LANGUAGE }
          : undefined,
        lastInboundAt: async (chatId) => {
          const conversation = await core.store.getConversation(`whatsapp:${chatId}`);
          return conversation?.lastInboundAt ? new Date(conversation.lastInboundAt) : undefined;
        },
        onStatus: (status) => logger.debug({ status }, 'WhatsApp delivery status'),
        maxTextLength: channels.WHATSAPP_MAX_TEXT_LENGTH,
        logger: logger.child({ component: 'whatsapp' }),
      }),
    );
  }
  // Workers send on every channel that is a plain HTTP API, but never receive.
  for (const adapter of adapters) core.addAdapter(core.role === 'worker' ? sendOnly(adapter) : adapter);

  if (slack && core.handoff.service) slack.connect({ handoffs: core.handoff.service, admin });

  return {
    adapters,
    slack,
    admin,
    async mount(app) {
      if (core.role === 'worker') return;
      for (const adapter of adapters) {
        const mountable = adapter as ChannelAdapter & { mount?: (server: FastifyInstance) => void | Promise<void> };
        await mountable.mount?.(app);
      }
      slack?.mount(app);
    },
    async start() {
      // A worker uses Slack only to post handoff cards; staff actions arrive at the gateways.
      if (core.role !== 'worker') await slack?.start();
    },
    async stop() {
      if (core.role !== 'worker') await slack?.stop();
    },
  };
}

const shortHash = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 16);

/**
 * In a cluster, WhatsApp Web runs in the one gateway holding its session's lease, and that
 * gateway also sends the replies that workers left pending for it.
 */
function leaseWhatsAppWeb(core: Core, channels: ChannelConfig, adapter: WhatsAppWebAdapter): ChannelAdapter {
  const cluster = core.cluster;
  if (!cluster) return adapter;
  return new LeasedChannel(adapter, {
    leases: cluster.leases,
    leaseName: `channel:whatsapp-web:${shortHash(channels.WHATSAPP_SESSION_DIR)}`,
    sendNeedsLease: true,
    holderWork: cluster.pendingDelivery(adapter.name, core.store, core.outbox),
    logger: core.logger.child({ component: 'whatsapp' }),
  });
}

async function createTelegram(core: Core, channels: ChannelConfig, admin: AdminCommands): Promise<ChannelAdapter> {
  const aliases = core.ops?.telegramAliases;
  const telegram = new TelegramAdapter({
    token: channels.TELEGRAM_BOT_TOKEN!,
    apiRoot: channels.TELEGRAM_API_ROOT,
    webhookUrl: channels.TELEGRAM_WEBHOOK_URL,
    webhookSecret: channels.TELEGRAM_WEBHOOK_SECRET,
    chatAliases: aliases ? await aliases.list() : undefined,
    onChatMigrated: (oldId, newId) => aliases?.put(oldId, newId, core.clock.now()),
    logger: core.logger.child({ component: 'telegram' }),
    clock: core.clock,
  });
  // `/frontdesk <command>` from a listed admin runs the admin command; anyone else is refused.
  telegram.commands.command(channels.SLACK_COMMAND.replace(/^\//, ''), async (ctx) => {
    const user = { channel: 'telegram', id: String(ctx.from?.id ?? ''), name: ctx.from?.username };
    const reply = await admin.run(user, ctx.match ?? '');
    await ctx.reply(reply.text);
  });
  // Long polling admits one poller per bot token; webhooks are served by every gateway.
  if (!core.cluster || channels.TELEGRAM_WEBHOOK_URL || core.role === 'worker') return telegram;
  return new LeasedChannel(telegram, {
    leases: core.cluster.leases,
    leaseName: `channel:telegram:${shortHash(channels.TELEGRAM_BOT_TOKEN!)}`,
    logger: core.logger.child({ component: 'telegram' }),
  });
}
