import { parseEnvSchemas } from '../src/config.js';
import { slackEnv } from './slack/config.js';
import { telegramEnv } from './telegram/config.js';
import { whatsappEnv } from './whatsapp/config.js';

const channelSchemas = [telegramEnv, whatsappEnv, slackEnv] as const;

/** Environment of the chat channels: Telegram, WhatsApp and the Slack staff console. */
export function parseChannelConfig(env: Record<string, string | undefined> = process.env) {
  return parseEnvSchemas(channelSchemas, env);
}

export type ChannelConfig = ReturnType<typeof parseChannelConfig>;
