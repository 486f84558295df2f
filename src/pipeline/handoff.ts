/**
 * Where handoffs go. With a staff console, the handoff service opens a card and relays the
 * conversation; without one, the customer is told where to reach people, because a handoff
 * that nobody sees would leave them waiting forever.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { OutboundMessage } from '../bus/types.js';
import type { HandoffService } from '../handoff/service.js';
import type { CustomerSender, HandoffReason, TranscriptLine } from '../handoff/types.js';
import { t } from '../i18n.js';
import type { Logger } from '../log.js';
import type { Outbox } from '../bus/outbox.js';
import type { Clock } from '../clock.js';
import type { ConversationRow, InboundRow, OutboundDraft, Store } from '../store/types.js';

export interface HandoffRouter {
  /** Open a handoff; returns the notices for the customer as replies to `inbound`. */
  escalate(conversation: ConversationRow, inbound: InboundRow, reason: string): Promise<OutboundDraft[]>;
  /** Pass a customer message to staff; false when the conversation has no open handoff. */
  relay(conversation: ConversationRow, inbound: InboundRow): Promise<boolean>;
}

/** The router used when no staff console is configured. */
export class NoStaffHandoff implements HandoffRouter {
  constructor(private readonly supportContact: string) {}

  async escalate(conversation: ConversationRow, _inbound: InboundRow, reason: string): Promise<OutboundDraft[]> {
    // A customer who asked for a person is pointed to people; otherwise the bot admits it cannot answer.
    const key = reason === 'customer_requested' ? 'core.handoff_no_staff_requested' : 'core.handoff_no_staff';
    return [{ kind: 'handoff', text: t(conversation.locale, key, { contact: this.supportContact }) }];
  }

  async relay(): Promise<boolean> {
    return false;
  }
}

interface Capture {
  conversationId: string;
  replies: OutboundDraft[];
}

/**
 * Sends the handoff service's customer notices through the outbox. Notices that belong to
 * the message being handled are captured and returned as its replies instead, so they are
 * stored and sent with that message's outcome exactly once.
 */
export class OutboxCustomerSender implements CustomerSender {
  readonly capture = new AsyncLocalStorage<Capture>();

  constructor(
    private readonly store: Store,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async send(message: OutboundMessage): Promise<void> {
    // A relay is a staff member's reply; it is stored under their name when the console gave one.
    const author = message.kind === 'relay' ? (message.author ?? 'staff') : message.author;
    const draft: OutboundDraft = { kind: message.kind, text: message.text, buttons: message.buttons, author };
    const scope = this.capture.getStore();
    if (scope && scope.conversationId === message.conversationId) {
      scope.replies.push(draft);
      return;
    }
    const row = await this.store.enqueueOutbound(message.conversationId, draft, this.clock.now());
    await this.outbox.deliver([row]);
  }
}

const KNOWN_REASONS = new Set<string>(['customer_requested', 'no_answer', 'frustrated', 'model_requested', 'validator_rejected_repeatedly', 'all_providers_failed', 'admin_forced']);

/** The router backed by the handoff service and its staff console. */
export class StaffHandoff implements HandoffRouter {
  constructor(
    private readonly service: HandoffService,
    private readonly sender: OutboxCustomerSender,
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  async escalate(conversation: ConversationRow, inbound: InboundRow, reason: string): Promise<OutboundDraft[]> {
    const customer = await this.store.getCustomer(conversation.customerId);
    const rows = await this.store.listMessages(conversation.id, 8, inbound.id);
    const lastMessages: TranscriptLine[] = rows.map((row) => ({
      role: row.direction === 'in' ? 'customer' : row.author.startsWith('staff') ? 'staff' : 'bot',
      text: row.text,
    }));
    const scope: Capture = { conversationId: conversation.id, replies: [] };
    await this.sender.capture.run(scope, () =>
      this.service.escalate({
        conversation: { id: conversation.id, channel: conversation.channel, chatId: conversation.chatId, customerName: customer?.displayName ?? conversation.chatId },
        // Any other reason comes from a provider's own handoff and is shown as the assistant's request.
        reason: (KNOWN_REASONS.has(reason) ? reason : 'model_requested') as HandoffReason,
        summary: conversation.summary ?? `Reason: ${reason}`,
        lastMessages,
        locale: conversation.locale,
      }),
    );
    this.logger.info({ conversationId: conversation.id, reason }, 'handoff opened');
    return scope.replies;
  }

  async relay(conversation: ConversationRow, inbound: InboundRow): Promise<boolean> {
    const customer = await this.store.getCustomer(conversation.customerId);
    return this.service.relayCustomerMessage(conversation.id, {
      text: inbound.text,
      attachments: inbound.attachments,
      sender: { id: inbound.customerId, displayName: customer?.displayName ?? undefined },
    });
  }
}
