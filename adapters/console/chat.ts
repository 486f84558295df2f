/**
 * `npm run chat`: talk to the bot in the terminal. Each line goes through the same bus,
 * queue, pipeline and outbox as any other channel, on the configured database.
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { createCore } from '../../src/app.js';
import { ConfigError, parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { ConsoleChannel } from './channel.js';

async function main(): Promise<void> {
  const config = parseConfig({ LOG_LEVEL: 'warn', ...process.env });
  const logger = createLogger(config.LOG_LEVEL, process.stderr as never);
  const core = await createCore({ config, logger });
  core.addAdapter(new ConsoleChannel(process.stdout));
  await core.start();

  const user = userInfo().username;
  const locale = process.env.CHAT_LOCALE ?? Intl.DateTimeFormat().resolvedOptions().locale;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  process.stdout.write('frontdesk chat: type a message and press Enter; Ctrl+D quits.\n');
  if (process.stdin.isTTY) rl.setPrompt('you> ');
  rl.prompt();

  for await (const line of rl) {
    if (line.trim().length > 0) {
      const accepted = await core.bus.accept({
        channel: 'console',
        platformMessageId: randomUUID(),
        chatId: user,
        sender: { id: user, displayName: user, locale },
        text: line,
        attachments: [],
        receivedAt: new Date(),
      });
      await core.bus.waitForOutcome(accepted.messageId, config.HTTP_REPLY_TIMEOUT_MS);
    }
    rl.prompt();
  }
  await core.stop();
}

main().catch((error: unknown) => {
  let message = String(error);
  if (error instanceof Error) message = error.stack ?? error.message;
  if (error instanceof ConfigError) message = error.message;
  process.stderr.write(`frontdesk chat: ${message}\n`);
  process.exit(1);
});
