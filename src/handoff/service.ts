import { randomUUID } from 'node:crypto';
import type { Button, OutboundKind } from '../bus/types.js';
import { systemClock, type Clock } from '../clock.js';
import { t } from '../i18n.js';
import { silentLogger, type Logger } from '../log.js';
import { describeAttachments } from './describe.js';
import { HandoffError } from './errors.js';
import { SupportHours } from './hours.js';
import type { HandoffRepository } from './repository.js';
import type {
  ConversationStateStore,
  CustomerSender,
  EscalateRequest,
  Handoff,
  RelayedMessage,
  StaffConsole,
  StaffUser,
  ThreadRef,
} from './types.js';

export interface HandoffServiceOptions {
  repository: HandoffRepository;
  sender: CustomerSender;
  states: ConversationStateStore;
  console: StaffConsole;
  /** Milliseconds a handoff may wait unclaimed inside support hours before one reminder. */
  claimTimeoutMs: number;
  /** Minutes of expected wait quoted to customers inside support hours. */
  expectedWaitMinutes: number;
  /** Support hours (default: always open). */
  supportHours?: SupportHours;
  /** Staff replies starting with one of these stay in the console (default `!note`, `//`). */
  notePrefixes?: string[];
  clock?: Clock;
  logger?: Logger;
  newId?: () => string;
}

/** Outcome of a staff thread reply. */
export type StaffReplyResult =
  | { status: 'relayed'; handoffId: string }
  | { status: 'note'; handoffId: string }
  | { status: 'closed'; handoffId: string }
  | { status: 'unknown_thread' };

export type ClaimResult =
  | { status: 'claimed'; handoff: Handoff }
  | { status: 'already_claimed'; handoff: Handoff };

/** Button ids of the rating question sent after a resolve: `rate:1` .. `rate:5`. */
export const RATING_BUTTONS: Button[] = [1, 2, 3, 4, 5].map((n) => ({ id: `rate:${n}`, label: String(n) }));

/** Return the 1-5 score of a rating button id (`rate:4` -> 4), or undefined for other ids. */
export function parseRatingAction(actionId: string): number | undefined {
  const match = /^rate:([1-5])$/.exec(actionId);
  return match ? Number(match[1]) : undefined;
}

/**
 * The handoff state machine. A conversation goes bot -> waiting (escalated, no staff yet)
 * -> staff (claimed) -> bot (resolved). Customer notices go through `CustomerSender`; staff
 * see the handoff through `StaffConsole`.
 */
export class HandoffService {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly hours: SupportHours;
  private readonly notePrefixes: string[];
  private readonly newId: () => string;

  constructor(private readonly options: HandoffServiceOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.hours = options.supportHours ?? new SupportHours('');
    this.notePrefixes = options.notePrefixes ?? ['!note', '//'];
    this.newId = options.newId ?? randomUUID;
  }

  /**
   * Hand a conversation to staff: mark it waiting, post the card and tell the customer how
   * long the wait is, or when staff are back outside support hours. A conversation that
   * already has an open handoff keeps it, and the customer gets a notice that they are still queued.
   */
  async escalate(request: EscalateRequest): Promise<Handoff> {
    const { conversation, reason, locale } = request;
    const existing = await this.options.repository.findOpenByConversation(conversation.id);
    if (existing) {
      await this.notify(existing, 'handoff.alreadyWaiting', 'handoff');
      return existing;
    }

    const handoff: Handoff = {
      id: this.newId(),
      conversationId: conversation.id,
      channel: conversation.channel,
      chatId: conversation.chatId,
      customerName: conversation.customerName,
      locale,
      reason,
      state: 'waiting',
      openedAt: this.clock.now(),
    };
    await this.options.repository.insert(handoff);
    await this.options.states.setState(conversation.id, 'waiting');
    this.logger.info({ handoffId: handoff.id, conversationId: conversation.id, reason }, 'handoff opened');

    await this.postCard(handoff, request);
    const now = handoff.openedAt;
    if (this.hours.isOpen(now)) {
      await this.notify(handoff, 'handoff.notice', 'handoff', { minutes: this.options.expectedWaitMinutes });
    } else {
      const when = this.formatOpening(this.hours.nextOpening(now), locale);
      await this.notify(handoff, 'handoff.outsideHours', 'handoff', { when });
    }
    return handoff;
  }

  /**
   * Copy a customer message into the card's thread. Returns false when the conversation
   * has no open handoff, so the caller can route the message to the bot instead.
   */
  async relayCustomerMessage(conversationId: string, inbound: RelayedMessage): Promise<boolean> {
    const handoff = await this.options.repository.findOpenByConversation(conversationId);
    if (!handoff) return false;
    if (!handoff.thread) {
      // NOTE: messages that arrive before the card is posted are not replayed into the
      // thread once `tick` posts it. Staff see them in the conversation history.
      this.logger.warn({ handoffId: handoff.id }, 'customer message not relayed: the handoff has no card yet');
      return true;
    }
    const name = inbound.sender.displayName ?? handoff.customerName;
    const lines = [`*${name}:* ${inbound.text}`.trimEnd()];
    const attachments = describeAttachments(inbound.attachments);
    if (attachments) lines.push(attachments);
    await this.options.console.postToThread(handoff.thread, lines.join('\n'));
    return true;
  }

  /**
   * Deliver a staff reply from the card's thread to the customer. Replies starting with a
   * note prefix stay in the console. A reply to a waiting handoff claims it for the author.
   */
  async onStaffReply(thread: ThreadRef, staff: StaffUser, text: string): Promise<StaffReplyResult> {
    const handoff = await this.options.repository.findByThread(thread);
    if (!handoff) return { status: 'unknown_thread' };
    if (handoff.state === 'resolved') return { status: 'closed', handoffId: handoff.id };
    const trimmed = text.trimStart();
    if (this.notePrefixes.some((prefix) => trimmed.startsWith(prefix))) {
      return { status: 'note', handoffId: handoff.id };
    }
    if (handoff.state === 'waiting') await this.claim(handoff.id, staff);
    await this.options.sender.send({
      channel: handoff.channel,
      chatId: handoff.chatId,
      conversationId: handoff.conversationId,
      text,
      kind: 'relay',
      locale: handoff.locale,
      author: `staff:${staff.name ?? staff.id}`,
    });
    this.logger.info({ handoffId: handoff.id, staffId: staff.id }, 'staff reply relayed');
    return { status: 'relayed', handoffId: handoff.id };
  }

  /** Assign a waiting handoff to `staff`; the card shows who took it and the customer gets a notice. */
  async claim(handoffId: string, staff: StaffUser): Promise<ClaimResult> {
    const handoff = await this.load(handoffId);
    if (handoff.state === 'resolved') {
      throw new HandoffError('already_resolved', handoffId, `handoff ${handoffId} is already resolved`);
    }
    if (handoff.state === 'staff') return { status: 'already_claimed', handoff };

    handoff.state = 'staff';
    handoff.claimedBy = staff;
    handoff.claimedAt = this.clock.now();
    await this.options.repository.update(handoff);
    await this.options.states.setState(handoff.conversationId, 'staff');
    this.logger.info({ handoffId, staffId: staff.id }, 'handoff claimed');
    await this.options.console.updateCard(handoff);
    await this.notify(handoff, 'handoff.claimed', 'notice');
    return { status: 'claimed', handoff };
  }

  /** Close a handoff: the bot replies again and the customer gets a 1-5 rating request. */
  async resolve(handoffId: string, staff: StaffUser): Promise<Handoff> {
    const handoff = await this.load(handoffId);
    if (handoff.state === 'resolved') return handoff;

    handoff.state = 'resolved';
    handoff.resolvedBy = staff;
    handoff.resolvedAt = this.clock.now();
    await this.options.repository.update(handoff);
    await this.options.states.setState(handoff.conversationId, 'bot');
    this.logger.info({ handoffId, staffId: staff.id }, 'handoff resolved');
    await this.options.console.updateCard(handoff);
    await this.notify(handoff, 'handoff.resolved', 'rating', {}, RATING_BUTTONS);
    return handoff;
  }

  /** Return the handoffs not resolved yet, oldest first. */
  listOpen(): Promise<Handoff[]> {
    return this.options.repository.listOpen();
  }

  /**
   * Run the periodic work: post cards that failed to post, and send the unclaimed-timeout reminder
   * (to staff and to the customer) once per handoff. The claim timeout counts only from the
   * start of support hours, so a handoff opened at night is not reminded at once in the morning.
   */
  async tick(now = this.clock.now()): Promise<void> {
    for (const handoff of await this.options.repository.listOpen()) {
      if (!handoff.thread) await this.postCard(handoff, { summary: '', lastMessages: [] });
      if (handoff.state !== 'waiting' || handoff.reminderSentAt !== undefined) continue;
      const countFrom = this.hours.nextOpening(handoff.openedAt);
      if (now - countFrom < this.options.claimTimeoutMs) continue;

      handoff.reminderSentAt = now;
      await this.options.repository.update(handoff);
      this.logger.info({ handoffId: handoff.id }, 'unclaimed handoff reminder sent');
      await this.options.console.remind(handoff);
      await this.notify(handoff, 'handoff.reminder', 'notice');
    }
  }

  private async load(handoffId: string): Promise<Handoff> {
    const handoff = await this.options.repository.get(handoffId);
    if (!handoff) throw new HandoffError('not_found', handoffId, `handoff ${handoffId} not found`);
    return handoff;
  }

  private async postCard(handoff: Handoff, details: { summary: string; lastMessages: EscalateRequest['lastMessages'] }) {
    try {
      handoff.thread = await this.options.console.postCard(handoff, details);
      await this.options.repository.update(handoff);
    } catch (error) {
      // The customer still gets the notice; `tick` posts the card again later.
      this.logger.error({ err: error, handoffId: handoff.id }, 'handoff card could not be posted');
    }
  }

  private async notify(
    handoff: Handoff,
    key: string,
    kind: OutboundKind,
    vars: Record<string, string | number> = {},
    buttons?: Button[],
  ): Promise<void> {
    await this.options.sender.send({
      channel: handoff.channel,
      chatId: handoff.chatId,
      conversationId: handoff.conversationId,
      text: t(handoff.locale, key, vars),
      kind,
      locale: handoff.locale,
      ...(buttons ? { buttons } : {}),
    });
  }

  private formatOpening(instant: number, locale: string): string {
    return new Intl.DateTimeFormat(locale, {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: this.hours.timeZone,
      timeZoneName: 'short',
    }).format(new Date(instant));
  }
}
