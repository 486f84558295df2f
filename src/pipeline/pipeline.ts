import type { HandledMessage, ProcessContext } from '../bus/bus.js';
import type { Button, InboundMessage } from '../bus/types.js';
import type { Clock } from '../clock.js';
import type { Guard } from '../guard/index.js';
import { noticeText } from '../guard/notice.js';
import { isFrustrated } from '../handoff/triggers.js';
import type { TranscriptLine } from '../handoff/types.js';
import { t } from '../i18n.js';
import type { Logger } from '../log.js';
import type { RulesProvider } from '../providers/rules/rules-provider.js';
import type { ConversationRow, InboundRow, MessageRow, OutboundDraft, RequestLogEntry, Store } from '../store/types.js';
import { HISTORY_ROWS, type Agent } from './agent.js';
import type { HandoffRouter } from './handoff.js';

/** Button ids of the feedback buttons under an answer. */
export const FEEDBACK_UP = 'feedback:up';
export const FEEDBACK_DOWN = 'feedback:down';

export interface PipelineOptions {
  store: Store;
  guard: Guard;
  agent: Agent;
  rules: RulesProvider;
  handoff: HandoffRouter;
  clock: Clock;
  logger: Logger;
  /** Maintenance mode: only the rules engine and handoffs answer. */
  isPaused: () => boolean;
  /** True when the customer spent their daily budget; they get the rules engine and handoffs only. */
  isOverBudget?: (customerId: string) => Promise<boolean>;
  /** Put thumbs up / down buttons under answers. */
  feedbackButtons: boolean;
}

/**
 * The decision for one inbound message: the guard, the handoff state, triggers for a person,
 * then the agent, ending in exactly one outcome with its replies.
 */
export class Pipeline {
  constructor(private readonly options: PipelineOptions) {}

  readonly handle = async (inbound: InboundRow, _context: ProcessContext): Promise<HandledMessage> => {
    const { store, guard, handoff } = this.options;
    const conversation = await store.getConversation(inbound.conversationId);
    if (!conversation) throw new Error(`conversation ${inbound.conversationId} not found`);
    const locale = conversation.locale;

    const decision = await guard.check(toGuardMessage(inbound, conversation));
    const notice = noticeText(locale, decision);
    const notices: OutboundDraft[] = notice ? [{ kind: 'notice', text: notice }] : [];
    if (decision.action === 'blocked') {
      return { outcome: 'blocked', replies: notices, log: { rateLimitOutcome: 'blocked' } };
    }
    if (decision.action === 'limited') {
      return { outcome: 'limited', replies: notices, retryAfterMs: decision.retryAfterMs, log: { rateLimitOutcome: 'limited' } };
    }

    if (conversation.state !== 'bot') {
      // Staff can look at what the bot cannot read, so attachments are relayed too.
      const relayable = decision.action === 'allow' || decision.reason.startsWith('unsupported_');
      if (relayable && (await handoff.relay(conversation, inbound))) {
        return { outcome: 'relay', replies: [], log: { rateLimitOutcome: 'allowed' } };
      }
      if (relayable) await store.setConversationState(conversation.id, 'bot', this.options.clock.now());
    }
    if (decision.action === 'reject_input') {
      return { outcome: 'notice', replies: notices, log: { rateLimitOutcome: 'rejected_input' } };
    }
    return this.answer(conversation, inbound, decision.normalizedText);
  };

  private async answer(conversation: ConversationRow, inbound: InboundRow, text: string): Promise<HandledMessage> {
    const { agent, rules } = this.options;
    const base: Partial<RequestLogEntry> = { rateLimitOutcome: 'allowed' };

    if (rules.wantsPerson(text)) return this.handOff(conversation, inbound, 'customer_requested', base);
    // One read serves the frustration check and the agent's history.
    const rows = await this.options.store.listMessages(conversation.id, HISTORY_ROWS, inbound.id);
    if (frustrated(rows)) return this.handOff(conversation, inbound, 'frustrated', base);

    const rulesOnly = this.options.isPaused() || ((await this.options.isOverBudget?.(inbound.customerId)) ?? false);
    const result = await agent.respond(conversation, inbound, text, rulesOnly, rows);
    const log = { ...base, ...result.log };
    if (result.kind === 'handoff') return this.handOff(conversation, inbound, result.reason, log);

    const buttons: Button[] | undefined = this.options.feedbackButtons
      ? [
          { id: FEEDBACK_UP, label: '👍' },
          { id: FEEDBACK_DOWN, label: '👎' },
        ]
      : undefined;
    return { outcome: 'answer', replies: [{ kind: 'answer', text: result.text, buttons }], log };
  }

  private async handOff(
    conversation: ConversationRow,
    inbound: InboundRow,
    reason: string,
    log: Partial<RequestLogEntry>,
  ): Promise<HandledMessage> {
    const replies: OutboundDraft[] = [];
    if (reason === 'all_providers_failed') replies.push({ kind: 'notice', text: t(conversation.locale, 'core.apology') });
    replies.push(...(await this.options.handoff.escalate(conversation, inbound, reason)));
    this.options.logger.info({ conversationId: conversation.id, messageId: inbound.id, reason }, 'handoff');
    // Every provider failing reached the customer as an apology, so it counts as an error.
    const errorType = reason === 'all_providers_failed' ? 'all_providers_failed' : log.errorType;
    return { outcome: 'handoff', replies, log: { ...log, fallbackLevel: 3, errorType } };
  }
}

/** Messages the frustration check reads: the newest of the conversation up to the current one. */
const FRUSTRATION_ROWS = 10;

/**
 * Return true when the newest `FRUSTRATION_ROWS` of `rows` sound frustrated. The newest by id
 * are picked and keep their order in `rows`, so they match what `listMessages` returns for that limit.
 */
function frustrated(rows: MessageRow[]): boolean {
  let recent = rows;
  if (rows.length > FRUSTRATION_ROWS) {
    const cutoff = rows.map((row) => row.id).sort((a, b) => b - a)[FRUSTRATION_ROWS - 1]!;
    recent = rows.filter((row) => row.id >= cutoff);
  }
  const lines: TranscriptLine[] = recent.map((row) => ({ role: row.direction === 'in' ? 'customer' : 'bot', text: row.text }));
  return isFrustrated(lines);
}

/** The message as the guard sees it: the customer's platform id and the stored text and attachments. */
function toGuardMessage(inbound: InboundRow, conversation: ConversationRow): InboundMessage {
  const platformUserId = inbound.customerId.slice(inbound.channel.length + 1);
  return {
    channel: inbound.channel,
    platformMessageId: inbound.platformMessageId,
    chatId: conversation.chatId,
    sender: { id: platformUserId, locale: conversation.locale },
    text: inbound.text,
    attachments: inbound.attachments,
    receivedAt: new Date(inbound.createdAt),
  };
}
