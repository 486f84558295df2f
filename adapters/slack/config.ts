import { z } from 'zod';

/** Environment variables of the Slack staff console, merged into the app config by src/config.ts. */
export const slackEnv = z.object({
  /** Bot token (`xoxb-...`); the console is off without it. */
  SLACK_BOT_TOKEN: z.string().optional(),
  /** Signing secret used to verify requests on `POST /slack/events` (HTTP mode). */
  SLACK_SIGNING_SECRET: z.string().optional(),
  /** App-level token (`xapp-...`); when set, Bolt connects in Socket Mode instead of HTTP. */
  SLACK_APP_TOKEN: z.string().optional(),
  /** Web API base URL, ending in `/api/`; tests point it at a local fake. */
  SLACK_API_URL: z.string().url().default('https://slack.com/api/'),
  /** Channel id (`C...`) where handoff cards are posted. */
  SLACK_STAFF_CHANNEL: z.string().optional(),
  /** Comma-separated Slack user ids (`U...`) allowed to run admin commands. */
  SLACK_ADMIN_USERS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((id) => id.trim()).filter(Boolean)),
  /** Slash command registered in the Slack app manifest. */
  SLACK_COMMAND: z.string().regex(/^\/[\w-]+$/).default('/frontdesk'),
});

export type SlackEnv = z.infer<typeof slackEnv>;
