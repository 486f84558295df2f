import { systemClock, type Clock } from '../clock.js';
import { silentLogger, type Logger } from '../log.js';
import type { AdminBackend, AdminUser } from './backend.js';
import { formatHandoffs, formatStats, formatStatus, HELP_TEXT } from './format.js';

export interface AdminCommandsOptions {
  backend: AdminBackend;
  /** Admin user ids per channel, such as `{ slack: ['U123'], telegram: ['4567'] }`. */
  admins: Partial<Record<string, readonly string[]>>;
  /** Command word that may precede the subcommand and is dropped (default `/frontdesk`). */
  commandName?: string;
  logger?: Logger;
  clock?: Clock;
}

/** Result of one command: `ok` is false for refusals and invalid input. */
export interface AdminReply {
  ok: boolean;
  text: string;
}

const PERIOD = /^\d{1,4}[hdw]$/;
const SENDER = /^[^\s]{1,200}$/;
const MAX_PER_MINUTE = 10_000;

/**
 * Channel-neutral admin command layer: parses `<sub> [args]`, checks that the user is an
 * admin of their channel, calls the backend and renders a reply usable in Slack and
 * Telegram. Every action is logged with the admin who ran it.
 */
export class AdminCommands {
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly commandName: string;

  constructor(private readonly options: AdminCommandsOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.commandName = options.commandName ?? '/frontdesk';
  }

  /** True when `user` is listed as an admin for their channel. */
  isAdmin(user: AdminUser): boolean {
    return this.options.admins[user.channel]?.includes(user.id) ?? false;
  }

  /** Run one command line, such as `limit telegram:42 10`, on behalf of `user`. */
  async run(user: AdminUser, text: string): Promise<AdminReply> {
    const words = text.trim().split(/\s+/).filter(Boolean);
    if (words[0]?.toLowerCase() === this.commandName) words.shift();
    const sub = (words.shift() ?? 'help').toLowerCase();
    const admin = { channel: user.channel, id: user.id };

    if (!this.isAdmin(user)) {
      this.logger.warn({ admin, command: sub }, 'admin command rejected: user is not an admin');
      return { ok: false, text: 'Sorry, only frontdesk admins can run this command. Ask an admin to add your user id.' };
    }

    try {
      const reply = await this.dispatch(user, sub, words);
      this.logger.info({ admin, command: sub, args: words, ok: reply.ok }, 'admin command');
      return reply;
    } catch (error) {
      this.logger.error({ err: error, admin, command: sub }, 'admin command failed');
      return { ok: false, text: `\`${sub}\` failed: ${(error as Error).message}. See the server log for details.` };
    }
  }

  private async dispatch(user: AdminUser, sub: string, args: string[]): Promise<AdminReply> {
    const backend = this.options.backend;
    switch (sub) {
      case 'help':
        return { ok: true, text: HELP_TEXT };
      case 'status':
        return { ok: true, text: formatStatus(await backend.status()) };
      case 'stats': {
        const period = args[0] ?? '24h';
        if (!PERIOD.test(period)) return usage(`invalid period "${period}"`, '`stats [period]`, such as `1h`, `24h` or `7d`');
        return { ok: true, text: formatStats(await backend.stats(period)) };
      }
      case 'handoffs':
        return { ok: true, text: formatHandoffs(await backend.openHandoffs(), this.clock.now()) };
      case 'block':
      case 'unblock':
        return this.runBlock(user, sub, args);
      case 'budgets': {
        const day = args[0] ?? new Date(this.clock.now()).toISOString().slice(0, 10);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return usage(`invalid day "${day}"`, '`budgets [YYYY-MM-DD]`');
        const customers = await backend.overBudget(day);
        const list = customers.length > 0 ? customers.map((id) => `\`${id}\``).join(', ') : 'none';
        return { ok: true, text: `Customers over their daily budget on ${day}: ${list}` };
      }
      case 'allow':
        return this.runAllow(user, args);
      case 'risk':
        return this.runRisk(args);
      case 'limit':
        return this.runLimit(user, args);
      case 'provider':
        return this.runProvider(user, args);
      case 'pause':
      case 'resume':
        await backend.setPaused(sub === 'pause', user);
        return {
          ok: true,
          text: sub === 'pause' ? 'Maintenance mode on: only the rules engine and handoff answer.' : 'Maintenance mode off.',
        };
      case 'handoff':
        return this.runHandoff(user, args);
      default:
        return { ok: false, text: `Unknown command \`${sub}\`.\n${HELP_TEXT}` };
    }
  }

  private async runBlock(user: AdminUser, sub: 'block' | 'unblock', args: string[]): Promise<AdminReply> {
    const sender = args[0];
    if (!sender || !SENDER.test(sender)) return usage('missing sender', `\`${sub} <sender>\``);
    if (sub === 'block') await this.options.backend.block(sender, user);
    else await this.options.backend.unblock(sender, user);
    return { ok: true, text: `${sub === 'block' ? 'Blocked' : 'Unblocked'} \`${sender}\`.` };
  }

  private async runAllow(user: AdminUser, args: string[]): Promise<AdminReply> {
    const sender = args[0];
    if (!sender || !SENDER.test(sender)) return usage('missing sender', '`allow <sender>`');
    await this.options.backend.allow(sender, user);
    return { ok: true, text: `Allowlisted \`${sender}\`: no rate limits apply to it.` };
  }

  private async runRisk(args: string[]): Promise<AdminReply> {
    const sender = args[0];
    if (!sender || !SENDER.test(sender)) return usage('missing sender', '`risk <sender>`');
    const risk = await this.options.backend.risk(sender);
    const reasons = risk.reasons
      .filter((reason) => reason.contribution > 0)
      .map((reason) => `${reason.signal} +${reason.contribution.toFixed(2)}`)
      .join(', ');
    return { ok: true, text: `Risk of \`${sender}\`: ${risk.score.toFixed(2)}${reasons ? ` (${reasons})` : ' (no signals)'}` };
  }

  private async runLimit(user: AdminUser, args: string[]): Promise<AdminReply> {
    const [sender, rate] = args;
    const perMinute = Number(rate);
    if (!sender || !SENDER.test(sender) || !Number.isInteger(perMinute) || perMinute < 1 || perMinute > MAX_PER_MINUTE) {
      return usage('invalid arguments', `\`limit <sender> <perMinute>\` with perMinute from 1 to ${MAX_PER_MINUTE}`);
    }
    await this.options.backend.limit(sender, perMinute, user);
    return { ok: true, text: `Limited \`${sender}\` to ${perMinute} messages per minute.` };
  }

  private async runProvider(user: AdminUser, args: string[]): Promise<AdminReply> {
    const [name, switchTo] = args;
    const state = switchTo?.toLowerCase();
    if (!name || (state !== 'on' && state !== 'off')) return usage('invalid arguments', '`provider <name> on|off`');
    const found = await this.options.backend.setProviderEnabled(name, state === 'on', user);
    if (!found) return { ok: false, text: `No provider named \`${name}\`. Run \`status\` to list them.` };
    return { ok: true, text: `Provider \`${name}\` switched ${state}.` };
  }

  private async runHandoff(user: AdminUser, args: string[]): Promise<AdminReply> {
    const conversationId = args[0];
    if (!conversationId) return usage('missing conversation', '`handoff <conversation>`');
    const result = await this.options.backend.forceHandoff(conversationId, user);
    if (result.status === 'not_found') return { ok: false, text: `Conversation \`${conversationId}\` not found.` };
    return { ok: true, text: `Handed conversation \`${conversationId}\` to staff (handoff \`${result.handoffId}\`).` };
  }
}

function usage(problem: string, form: string): AdminReply {
  return { ok: false, text: `Invalid command: ${problem}. Usage: ${form}.` };
}
