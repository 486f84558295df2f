import { silentLogger, type Logger } from '../log.js';
import type { ChatTurn } from '../providers/types.js';
import { computeBudget } from './models.js';
import { summarize, summarizeExtractive, type SummaryLlm } from './summary.js';
import { DEFAULT_SUMMARY_HEADING } from './summary-text.js';
import { buildContext, DEFAULT_PINNED_MESSAGES, type BuiltContext } from './trim.js';
import { createTokenCounter, type TokenCounter } from './tokens.js';
import type { ContextProvider, HistoryMessage } from './types.js';
import { groupUnits, toChatTurn } from './units.js';

export interface ContextManagerOptions {
  /** Latest messages always sent (CONTEXT_PINNED_MESSAGES); 4 by default. */
  pinnedMessages?: number;
  /** Operator cap on prompt tokens (CONTEXT_MAX_TOKENS). */
  maxTokens?: number;
  /** Output tokens kept free (CONTEXT_RESERVED_OUTPUT_TOKENS); per-model default when missing. */
  reservedOutputTokens?: number;
  /**
   * Cap on summary tokens; 600 by default. Below that the summary may use what the budget
   * leaves after the system prompt and the pinned messages, and at least a quarter of it.
   */
  maxSummaryTokens?: number;
  /**
   * Also sends messages the summary already covers while the budget has room for them.
   * False by default: once a conversation outgrows the budget, every message older than
   * the pinned ones is folded into the summary and sent only there, because the fact sheet
   * carries their values in a fraction of their tokens.
   */
  resendSummarized?: boolean;
  /** Cheap model for summaries (CONTEXT_SUMMARY_MODEL); extractive summaries without it. */
  summaryLlm?: SummaryLlm;
  logger?: Logger;
}

/** Stored memory of a conversation: its rolling summary and how far the summary reaches. */
export interface ConversationMemory {
  id: string;
  summary?: string;
  /** Every message with an id up to this one is folded into `summary`. */
  summaryCoversUpTo?: number;
}

export interface ContextTarget {
  /** System prompt of the request, without the summary section. */
  system: string;
  model: string;
  provider: ContextProvider;
  /** Tokens spent outside the messages, such as tool schemas. */
  fixedTokens?: number;
}

/** Request parts for a provider plus the summary update to store. */
export interface PreparedContext {
  system: string;
  messages: ChatTurn[];
  maxOutputTokens: number;
  budgetTokens: number;
  tokens: number;
  droppedIds: number[];
  summaryUsed: boolean;
  /** Set when the summary changed: store `text` and `coversUpTo` on the conversation. */
  newSummary?: { text: string; coversUpTo: number };
  /** 0 from `prepare`, 1 or 2 from `shrink`. */
  attempt: number;
  /** Inputs kept so `shrink` can rebuild; not for providers. */
  readonly source: {
    conversation: ConversationMemory;
    history: readonly HistoryMessage[];
    target: ContextTarget;
    summary?: string;
    summaryCoversUpTo?: number;
  };
}

export interface ContextManager {
  /** Builds the request parts for the next reply and folds dropped messages into the summary. */
  prepare(conversation: ConversationMemory, history: readonly HistoryMessage[], target: ContextTarget): Promise<PreparedContext>;
  /**
   * Rebuilds a smaller request after the provider rejected it with `context_length`. Attempt 1
   * halves the budget and sends only pinned messages plus the summary; attempt 2 or later
   * sends the system prompt, the summary and the latest customer message on a quarter
   * budget. Callers retry at most twice, then move on to the next provider.
   */
  shrink(prepared: PreparedContext, attempt: number): Promise<PreparedContext>;
}

/** Rounds of summarize-then-rebuild in `prepare`; each round covers more messages. */
const MAX_SUMMARY_ROUNDS = 4;

/** Creates a context manager; see `ContextManagerOptions` for defaults. */
export function createContextManager(options: ContextManagerOptions = {}): ContextManager {
  const logger = options.logger ?? silentLogger;
  const pinnedMessages = options.pinnedMessages ?? DEFAULT_PINNED_MESSAGES;
  const counters = new Map<string, TokenCounter>();
  const counterFor = (target: ContextTarget): TokenCounter => {
    const key = `${target.provider}:${target.model}`;
    let counter = counters.get(key);
    if (!counter) {
      counter = createTokenCounter(target.model, target.provider);
      counters.set(key, counter);
    }
    return counter;
  };
  const resendSummarized = options.resendSummarized ?? false;
  const summaryCap = (budget: number, history: readonly HistoryMessage[], target: ContextTarget): number => {
    const counter = counterFor(target);
    const pinnedTurns = pinnedWindow(history, pinnedMessages).map(toChatTurn);
    const left = budget - counter.countRequest(target.system, pinnedTurns) - counter.countSystem(DEFAULT_SUMMARY_HEADING);
    return Math.min(options.maxSummaryTokens ?? 600, Math.max(Math.floor(budget / 4), left));
  };

  const build = (
    history: readonly HistoryMessage[],
    target: ContextTarget,
    budgetTokens: number,
    memory: { summary?: string; summaryCoversUpTo?: number },
    pinnedOnly = false,
  ): BuiltContext =>
    buildContext({
      system: target.system,
      history,
      summary: memory.summary,
      summaryCoversUpTo: memory.summaryCoversUpTo,
      model: target.model,
      provider: target.provider,
      budgetTokens,
      pinnedMessages,
      pinnedOnly,
      dropSummarized: !resendSummarized,
      counter: counterFor(target),
    });

  /** Folds dropped messages that the summary does not cover yet; false when there are none. */
  const fold = async (
    history: readonly HistoryMessage[],
    built: BuiltContext,
    memory: Memory,
    target: ContextTarget,
    budgetTokens: number,
    llm: SummaryLlm | undefined,
  ): Promise<boolean> => {
    const invalid = new Set(groupUnits(sortHistory(history)).invalidIds);
    const fresh = built.droppedIds.filter((id) => id > (memory.summaryCoversUpTo ?? -Infinity) && !invalid.has(id));
    if (fresh.length === 0) return false;
    // The summary covers a prefix of the history, so fold every message up to the newest
    // dropped one. Kept messages inside that prefix are then the first to go on later turns.
    extendCover(memory, Math.max(...fresh));
    const folded = history.filter((message) => message.id <= (memory.summaryCoversUpTo as number) && message.id > memory.previousUpTo);
    await foldInto(memory, folded, history, target, budgetTokens, llm);
    return true;
  };

  /** Summarizes `folded` into the memory's summary; the cover is already extended. */
  const foldInto = async (
    memory: Memory,
    folded: readonly HistoryMessage[],
    history: readonly HistoryMessage[],
    target: ContextTarget,
    budgetTokens: number,
    llm: SummaryLlm | undefined,
  ): Promise<void> => {
    const summaryOptions = { llm, maxTokens: summaryCap(budgetTokens, history, target), countText: counterFor(target).countText };
    const result = llm ? await summarize(folded, memory.summary, summaryOptions) : summarizeExtractive(folded, memory.summary, summaryOptions);
    memory.summary = result.text;
    memory.previousUpTo = memory.summaryCoversUpTo as number;
  };

  /**
   * Folds every message older than the pinned ones once the history has outgrown the budget,
   * that is when something was dropped or a summary exists. Returns false when nothing new was folded.
   */
  const foldBeforeWindow = async (
    history: readonly HistoryMessage[],
    built: BuiltContext,
    memory: Memory,
    target: ContextTarget,
    budgetTokens: number,
    llm: SummaryLlm | undefined,
  ): Promise<boolean> => {
    if (resendSummarized) return false;
    // Structurally broken messages are always dropped; they do not mean the budget was short.
    const invalid = new Set(groupUnits(sortHistory(history)).invalidIds);
    const trimmed = built.droppedIds.some((id) => !invalid.has(id));
    if (!trimmed && memory.summaryCoversUpTo === undefined) return false;
    const older = sortHistory(history).slice(0, -pinnedMessages);
    const cover = Math.max(...older.map((message) => message.id));
    if (older.length === 0 || cover <= (memory.summaryCoversUpTo ?? Number.NEGATIVE_INFINITY)) return false;
    extendCover(memory, cover);
    const folded = history.filter((message) => message.id <= cover && message.id > memory.previousUpTo);
    await foldInto(memory, folded, history, target, budgetTokens, llm);
    return true;
  };

  return {
    async prepare(conversation, history, target) {
      const budget = computeBudget(target.model, {
        reservedOutputTokens: options.reservedOutputTokens,
        maxTokens: options.maxTokens,
        fixedTokens: target.fixedTokens,
      });
      const memory = createMemory(conversation.summary, conversation.summaryCoversUpTo);
      let built = build(history, target, budget.budgetTokens, memory);
      let changed = await foldBeforeWindow(history, built, memory, target, budget.budgetTokens, options.summaryLlm);
      if (changed) built = build(history, target, budget.budgetTokens, memory);

      for (let round = 0; round < MAX_SUMMARY_ROUNDS; round += 1) {
        // Only the first fold of a turn may call the LLM; later rounds are cheap extractive top-ups.
        const llm = round === 0 && !changed ? options.summaryLlm : undefined;
        if (!(await fold(history, built, memory, target, budget.budgetTokens, llm))) break;
        changed = true;
        built = build(history, target, budget.budgetTokens, memory);
      }

      logger.debug(
        { conversationId: conversation.id, tokens: built.tokens, budget: budget.budgetTokens, dropped: built.droppedIds.length },
        'context prepared',
      );
      return toPrepared(built, budget.budgetTokens, budget.reservedOutputTokens, 0, changed, { conversation, history, target, summary: memory.summary, summaryCoversUpTo: memory.summaryCoversUpTo });
    },

    async shrink(prepared, attempt) {
      const { history, target } = prepared.source;
      const minimal = attempt >= 2;
      const budgetTokens = Math.floor(prepared.budgetTokens / (minimal ? 4 : 2));
      const memory = createMemory(prepared.source.summary, prepared.source.summaryCoversUpTo);
      let changed = prepared.newSummary !== undefined;
      let sent: readonly HistoryMessage[] = history;

      if (minimal) {
        const lastUser = [...history].reverse().find((message) => message.role === 'user');
        sent = lastUser ? [lastUser] : [];
        const others = history.filter((message) => message !== lastUser && message.id > memory.previousUpTo);
        if (others.length > 0) {
          const maxTokens = summaryCap(budgetTokens, sent, target);
          const result = summarizeExtractive(others, memory.summary, { maxTokens, countText: counterFor(target).countText });
          memory.summary = result.text;
          extendCover(memory, result.coversUpTo as number);
          memory.previousUpTo = memory.summaryCoversUpTo as number;
          changed = true;
        }
      }

      let built = build(sent, target, budgetTokens, memory, true);
      for (let round = 0; round < MAX_SUMMARY_ROUNDS; round += 1) {
        if (!(await fold(history, built, memory, target, budgetTokens, undefined))) break;
        changed = true;
        built = build(sent, target, budgetTokens, memory, true);
      }
      logger.warn(
        { conversationId: prepared.source.conversation.id, attempt, tokens: built.tokens, budget: budgetTokens },
        'context shrunk after a context-length error',
      );
      return toPrepared(built, budgetTokens, prepared.maxOutputTokens, attempt, changed, { ...prepared.source, summary: memory.summary, summaryCoversUpTo: memory.summaryCoversUpTo });
    },
  };
}

/** Summary state while a request is built; `previousUpTo` is the cover before the latest fold. */
interface Memory {
  summary?: string;
  summaryCoversUpTo?: number;
  previousUpTo: number;
}

function sortHistory(history: readonly HistoryMessage[]): HistoryMessage[] {
  return [...history].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
}

/** Returns the latest `pinnedMessages` messages, which every prompt sends. */
function pinnedWindow(history: readonly HistoryMessage[], pinnedMessages: number): HistoryMessage[] {
  return sortHistory(history).slice(-pinnedMessages);
}

function createMemory(summary: string | undefined, summaryCoversUpTo: number | undefined): Memory {
  return { summary, summaryCoversUpTo, previousUpTo: summaryCoversUpTo ?? Number.NEGATIVE_INFINITY };
}

function extendCover(memory: Memory, id: number): void {
  memory.summaryCoversUpTo = Math.max(id, memory.summaryCoversUpTo ?? Number.NEGATIVE_INFINITY);
}

function toPrepared(
  built: BuiltContext,
  budgetTokens: number,
  maxOutputTokens: number,
  attempt: number,
  changed: boolean,
  source: PreparedContext['source'],
): PreparedContext {
  const newSummary =
    changed && source.summary !== undefined && source.summaryCoversUpTo !== undefined
      ? { text: source.summary, coversUpTo: source.summaryCoversUpTo }
      : undefined;
  return {
    system: built.system,
    messages: built.messages,
    maxOutputTokens,
    budgetTokens,
    tokens: built.tokens,
    droppedIds: built.droppedIds,
    summaryUsed: built.summaryUsed,
    newSummary,
    attempt,
    source,
  };
}
