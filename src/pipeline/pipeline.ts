import type { HandledMessage, ProcessContext } from '../bus/bus.js';
import type { Clock } from '../clock.js';
import { t } from '../i18n.js';
import type { Logger } from '../log.js';
import type { ChatTurn, Provider } from '../providers/types.js';
import type { ConversationRow, InboundRow, MessageRow, OutboundDraft, Store } from '../store/types.js';
import { runChain } from './respond.js';

/** Port to the people who take over conversations; absent when no staff console is connected. */
export interface StaffDesk {
  /** Open a handoff for a conversation; the conversation is already marked `waiting`. */
  escalate(conversation: ConversationRow, reason: string): Promise<void>;
  /** Pass a customer message on to the staff handling the conversation. */
  relay(conversation: ConversationRow, inbound: InboundRow): Promise<void>;
}

export interface PipelineOptions {
  store: Store;
  providers: Provider[];
  clock: Clock;
  logger: Logger;
  maxMessageChars: number;
  supportContact: string;
  expectedWaitMinutes: number;
  systemPrompt: string;
  staffDesk?: StaffDesk;
  /** Messages of history loaded for the prompt. */
  historyLimit?: number;
}

/** Turn stored messages into provider turns: customer lines as user, bot and staff lines as assistant. */
export function toChatTurns(rows: MessageRow[]): ChatTurn[] {
  return rows
    .filter((row) => row.text.length > 0)
    .map((row) =>
      row.direction === 'in'
        ? { role: 'user' as const, content: row.text }
        : { role: 'assistant' as const, content: row.text },
    );
}

/**
 * The decision for one inbound message: input checks, the handoff state, then the provider
 * chain, ending in exactly one outcome with its replies.
 */
export class Pipeline {
  constructor(private readonly options: PipelineOptions) {}

  readonly handle = async (inbound: InboundRow, _context: ProcessContext): Promise<HandledMessage> => {
    const { store } = this.options;
    const conversation = await store.getConversation(inbound.conversationId);
    if (!conversation) throw new Error(`conversation ${inbound.conversationId} not found`);
    const locale = conversation.locale;

    const inputProblem = this.checkInput(inbound, locale);
    if (inputProblem) return inputProblem;

    if (conversation.state !== 'bot') {
      await this.options.staffDesk?.relay(conversation, inbound);
      return { outcome: 'relay', replies: [] };
    }
    return this.answer(conversation, inbound);
  };

  private checkInput(inbound: InboundRow, locale: string): HandledMessage | undefined {
    const text = inbound.text.trim();
    if (text.length === 0) {
      return { outcome: 'notice', replies: [{ kind: 'notice', text: t(locale, 'core.empty_message') }] };
    }
    if (inbound.text.length > this.options.maxMessageChars) {
      const vars = { length: inbound.text.length, max: this.options.maxMessageChars };
      return { outcome: 'notice', replies: [{ kind: 'notice', text: t(locale, 'core.too_long', vars) }] };
    }
    return undefined;
  }

  private async answer(conversation: ConversationRow, inbound: InboundRow): Promise<HandledMessage> {
    const { store, providers, clock, logger } = this.options;
    const history = await store.listMessages(conversation.id, this.options.historyLimit ?? 20, inbound.id);
    const chain = await runChain(
      providers,
      { system: this.options.systemPrompt, messages: toChatTurns(history), locale: conversation.locale, maxOutputTokens: 512 },
      logger,
      () => clock.now(),
    );
    const log = {
      provider: chain.kind === 'answer' ? chain.result.provider : chain.result?.provider ?? null,
      model: chain.kind === 'answer' ? chain.result.model : chain.result?.model ?? null,
      fallbackLevel: chain.fallbackLevel,
      providerMs: chain.providerMs,
      tokensIn: chain.result?.usage.inputTokens ?? 0,
      tokensOut: chain.result?.usage.outputTokens ?? 0,
      errorType: chain.kind === 'handoff' && chain.errors.length > 0 ? chain.errors.join(',') : null,
    };
    if (chain.kind === 'answer') {
      return { outcome: 'answer', replies: [{ kind: 'answer', text: chain.result.text }], log };
    }
    const replies = await this.handOff(conversation, inbound, chain.reason);
    return { outcome: 'handoff', replies, log };
  }

  /**
   * Open a handoff when a staff console is connected; otherwise tell the customer where to
   * reach people, because a handoff that nobody sees would leave them waiting forever.
   */
  private async handOff(conversation: ConversationRow, inbound: InboundRow, reason: string): Promise<OutboundDraft[]> {
    const { store, clock, staffDesk, logger } = this.options;
    const locale = conversation.locale;
    const replies: OutboundDraft[] = [];
    if (reason === 'all_providers_failed') replies.push({ kind: 'notice', text: t(locale, 'core.apology') });

    if (staffDesk) {
      await store.setConversationState(conversation.id, 'waiting', clock.now());
      await staffDesk.escalate({ ...conversation, state: 'waiting' }, reason);
      replies.push({
        kind: 'handoff',
        text: t(locale, 'core.handoff_waiting', { minutes: this.options.expectedWaitMinutes }),
      });
    } else {
      replies.push({ kind: 'handoff', text: t(locale, 'core.handoff_no_staff', { contact: this.options.supportContact }) });
    }
    logger.info({ conversationId: conversation.id, messageId: inbound.id, reason }, 'handoff');
    return replies;
  }
}
