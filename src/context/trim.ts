import type { ChatTurn } from '../providers/types.js';
import { ContextError } from './errors.js';
import { IMPORTANCE, scoreMessages } from './importance.js';
import { applyProviderRules, type SourcedTurn } from './roles.js';
import { composeSystem, fitSummaryToTokens } from './summary-text.js';
import { createTokenCounter, type TokenCounter } from './tokens.js';
import { truncateToTokens } from './truncate.js';
import type { ContextProvider, HistoryMessage } from './types.js';
import { groupUnits, toChatTurn, type MessageUnit } from './units.js';

/** Default number of latest messages that are always sent. */
export const DEFAULT_PINNED_MESSAGES = 4;
/** A pinned message is cut to no fewer tokens than this before other pinned messages go. */
const MIN_PINNED_TOKENS = 64;

export interface BuildContextInput {
  /** System prompt; always sent in full. */
  system: string;
  /** Stored messages, oldest first; the current customer message is the last one. */
  history: readonly HistoryMessage[];
  /** Rolling summary of older messages; sent as a section of the system prompt. */
  summary?: string;
  /** Messages with an id up to this one are in `summary` and are dropped first. */
  summaryCoversUpTo?: number;
  model: string;
  provider: ContextProvider;
  /** Maximum prompt tokens: system, summary and messages together. */
  budgetTokens: number;
  /** Latest messages that are always kept; 4 by default. */
  pinnedMessages?: number;
  /** Drops every message that is not pinned, even when the budget would allow more. */
  pinnedOnly?: boolean;
  /**
   * Drops every message that `summary` covers and that is not pinned, even when the budget
   * would allow it; without it such messages only go first.
   */
  dropSummarized?: boolean;
  /** Heading placed before the summary inside the system prompt. */
  summaryHeading?: string;
  /** Counter to reuse across calls; created from model and provider when missing. */
  counter?: TokenCounter;
}

export interface BuiltContext {
  /** System prompt with the summary section when the summary was used. */
  system: string;
  messages: ChatTurn[];
  /** History ids left out of `messages`, in ascending order. */
  droppedIds: number[];
  /** History ids whose text was cut to fit. */
  truncatedIds: number[];
  /** Prompt tokens of the result as counted for the provider. */
  tokens: number;
  summaryUsed: boolean;
}

interface Entry {
  messages: HistoryMessage[];
  turns: ChatTurn[];
  score: number;
  pinned: boolean;
  tokens: number;
  kept: boolean;
}

interface TrimState {
  entries: Entry[];
  summary: string | undefined;
  truncatedIds: Set<number>;
  counter: TokenCounter;
  input: BuildContextInput;
}

/**
 * Builds the messages of one request within `budgetTokens`. Drops whole units (a tool call
 * stays with its results) from the lowest importance up, oldest first among equals. When
 * the pinned messages alone are too large it then, in order: cuts the largest pinned
 * texts down to 64 tokens each, shortens the summary from its oldest line, drops pinned
 * units oldest first, and cuts the latest customer message. Provider rules
 * (`applyProviderRules`) run last.
 * @throws ContextError `budget_too_small` when the system prompt alone exceeds the budget.
 */
export function buildContext(input: BuildContextInput): BuiltContext {
  if (!Number.isFinite(input.budgetTokens) || input.budgetTokens < 0) {
    throw new ContextError('invalid_budget', `Invalid token budget ${input.budgetTokens}: expected a number >= 0.`);
  }
  const counter = input.counter ?? createTokenCounter(input.model, input.provider);
  const bareSystem = counter.countRequest(input.system, []);
  if (bareSystem > input.budgetTokens) {
    throw new ContextError(
      'budget_too_small',
      `The system prompt needs ${bareSystem} tokens but the budget is ${input.budgetTokens}; shorten the prompt or raise the budget.`,
    );
  }

  const state: TrimState = {
    entries: createEntries(input, counter),
    summary: input.summary?.trim() || undefined,
    truncatedIds: new Set(),
    counter,
    input,
  };
  dropByImportance(state);
  truncatePinned(state, MIN_PINNED_TOKENS);
  fitSummary(state);
  dropPinned(state);
  truncatePinned(state, 0);
  dropEverything(state);

  return finish(state, groupUnits(sortHistory(input.history)).invalidIds);
}

function sortHistory(history: readonly HistoryMessage[]): HistoryMessage[] {
  return [...history].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
}

function createEntries(input: BuildContextInput, counter: TokenCounter): Entry[] {
  const history = sortHistory(input.history);
  const scores = scoreMessages(history, {
    pinnedMessages: input.pinnedMessages ?? DEFAULT_PINNED_MESSAGES,
    summaryCoversUpTo: input.summaryCoversUpTo,
  });
  return groupUnits(history).units.map((unit: MessageUnit) => {
    const turns = unit.messages.map(toChatTurn);
    const score = Math.max(...unit.messages.map((message) => scores.get(message.id) ?? IMPORTANCE.normal));
    return {
      messages: unit.messages,
      turns,
      score,
      pinned: score === IMPORTANCE.pinned,
      tokens: turns.reduce((sum, turn) => sum + counter.countTurn(turn), 0),
      kept: true,
    };
  });
}

function overBudget(state: TrimState): number {
  const system = composeSystem(state.input.system, state.summary, state.input.summaryHeading);
  let total = state.counter.countRequest(system, []);
  for (const entry of state.entries) if (entry.kept) total += entry.tokens;
  return total - state.input.budgetTokens;
}

function dropByImportance(state: TrimState): void {
  const candidates = state.entries
    .filter((entry) => !entry.pinned)
    .sort((a, b) => a.score - b.score || firstTime(a) - firstTime(b));
  const dropSummarized = state.input.dropSummarized === true && state.summary !== undefined;
  let over = overBudget(state);
  for (const entry of candidates) {
    const summarized = dropSummarized && entry.score === IMPORTANCE.summarized;
    if (over <= 0 && !state.input.pinnedOnly && !summarized) break;
    entry.kept = false;
    over -= entry.tokens;
  }
}

function firstTime(entry: Entry): number {
  return (entry.messages[0] as HistoryMessage).createdAt;
}

/** Cuts the largest kept texts, each down to `floor` tokens at most, until the budget fits. */
function truncatePinned(state: TrimState, floor: number): void {
  let over = overBudget(state);
  while (over > 0) {
    const target = largestTurn(state, floor);
    if (!target) return;
    const { entry, index } = target;
    const turn = entry.turns[index] as ChatTurn;
    const contentTokens = state.counter.countText(turn.content);
    const allowed = Math.max(floor, contentTokens - over);
    const content = truncateToTokens(turn.content, allowed, state.counter.countText);
    const before = state.counter.countTurn(turn);
    entry.turns[index] = { ...turn, content } as ChatTurn;
    entry.tokens += state.counter.countTurn(entry.turns[index] as ChatTurn) - before;
    state.truncatedIds.add((entry.messages[index] as HistoryMessage).id);
    over = overBudget(state);
  }
}

function largestTurn(state: TrimState, floor: number): { entry: Entry; index: number } | undefined {
  let best: { entry: Entry; index: number; tokens: number } | undefined;
  for (const entry of state.entries) {
    if (!entry.kept) continue;
    entry.turns.forEach((turn, index) => {
      const tokens = state.counter.countText(turn.content);
      // Content at or below the floor, or only the marker, cannot shrink further.
      if (tokens <= Math.max(floor, 2)) return;
      if (!best || tokens > best.tokens) best = { entry, index, tokens };
    });
  }
  return best;
}

function fitSummary(state: TrimState): void {
  for (let attempt = 0; attempt < 4 && state.summary !== undefined; attempt += 1) {
    const over = overBudget(state);
    if (over <= 0) return;
    const allowed = state.counter.countText(state.summary) - over;
    state.summary = allowed > 0 ? fitSummaryToTokens(state.summary, allowed, state.counter.countText) : '';
    if (state.summary.trim() === '') state.summary = undefined;
  }
  if (overBudget(state) > 0) state.summary = undefined;
}

/** Drops pinned units oldest first, keeping the unit with the latest customer message. */
function dropPinned(state: TrimState): void {
  const kept = state.entries.filter((entry) => entry.kept);
  const lastUser = [...kept].reverse().find((entry) => entry.messages.some((message) => message.role === 'user'));
  for (const entry of kept) {
    if (overBudget(state) <= 0) return;
    if (entry !== lastUser) entry.kept = false;
  }
}

/** Last resort when even the cut customer message does not fit: send the system prompt alone. */
function dropEverything(state: TrimState): void {
  if (overBudget(state) <= 0) return;
  for (const entry of state.entries) entry.kept = false;
}

function finish(state: TrimState, invalidIds: number[]): BuiltContext {
  const sourced: SourcedTurn[] = [];
  const droppedIds = new Set(invalidIds);
  for (const entry of state.entries) {
    if (!entry.kept) {
      for (const message of entry.messages) droppedIds.add(message.id);
      continue;
    }
    entry.turns.forEach((turn, index) => sourced.push({ turn, ids: [(entry.messages[index] as HistoryMessage).id] }));
  }
  const ruled = applyProviderRules(sourced, state.input.provider);
  for (const id of ruled.droppedIds) droppedIds.add(id);

  const system = composeSystem(state.input.system, state.summary, state.input.summaryHeading);
  const messages = ruled.turns.map((item) => item.turn);
  return {
    system,
    messages,
    droppedIds: [...droppedIds].sort((a, b) => a - b),
    truncatedIds: [...state.truncatedIds].sort((a, b) => a - b),
    tokens: state.counter.countRequest(system, messages),
    summaryUsed: state.summary !== undefined,
  };
}
