import type { ChatTurn } from '../providers/types.js';
import type { ContextProvider } from './types.js';

/** A chat turn with the ids of the history messages it was built from. */
export interface SourcedTurn {
  turn: ChatTurn;
  ids: number[];
}

/** Role on the Anthropic wire, where tool results travel inside user messages. */
function wireRole(turn: ChatTurn): 'user' | 'assistant' {
  return turn.role === 'assistant' ? 'assistant' : 'user';
}

function isEmpty(turn: ChatTurn): boolean {
  if (turn.role === 'tool') return false;
  if (turn.role === 'assistant' && (turn.toolCalls?.length ?? 0) > 0) return false;
  return turn.content.trim() === '';
}

/**
 * Applies the provider's message rules to trimmed turns and returns the ids it dropped.
 * Every provider: no empty text message (tool calls and results always stay, since they
 * pair). Anthropic also: the first message is from the user, so leading assistant turns
 * (and the tool results of a leading call) are dropped, and adjacent user or assistant
 * turns are merged so roles alternate.
 * NOTE: a tool result followed by a user turn stays as two turns. The Anthropic provider
 * must send them as one user message, tool_result blocks first and then the text.
 */
export function applyProviderRules(
  turns: readonly SourcedTurn[],
  provider: ContextProvider,
): { turns: SourcedTurn[]; droppedIds: number[] } {
  const droppedIds: number[] = [];
  let kept = turns.filter((item) => {
    if (!isEmpty(item.turn)) return true;
    droppedIds.push(...item.ids);
    return false;
  });
  if (provider !== 'anthropic') return { turns: kept, droppedIds };

  const firstUser = kept.findIndex((item) => item.turn.role === 'user');
  const leading = firstUser === -1 ? kept : kept.slice(0, firstUser);
  for (const item of leading) droppedIds.push(...item.ids);
  kept = firstUser === -1 ? [] : kept.slice(firstUser);

  const merged: SourcedTurn[] = [];
  for (const item of kept) {
    const previous = merged.at(-1);
    const combined = previous ? mergeTurns(previous.turn, item.turn) : undefined;
    if (previous && combined) merged[merged.length - 1] = { turn: combined, ids: [...previous.ids, ...item.ids] };
    else merged.push(item);
  }
  return { turns: merged, droppedIds };
}

/** Merges two adjacent turns of the same role, or returns undefined when they must stay apart. */
function mergeTurns(first: ChatTurn, second: ChatTurn): ChatTurn | undefined {
  if (wireRole(first) !== wireRole(second)) return undefined;
  if (first.role === 'user' && second.role === 'user') {
    return { role: 'user', content: joinText(first.content, second.content) };
  }
  // An assistant turn with tool calls must be followed directly by its results.
  if (first.role === 'assistant' && second.role === 'assistant' && !(first.toolCalls?.length ?? 0)) {
    const content = joinText(first.content, second.content);
    return second.toolCalls?.length ? { role: 'assistant', content, toolCalls: second.toolCalls } : { role: 'assistant', content };
  }
  return undefined;
}

function joinText(first: string, second: string): string {
  if (first.trim() === '') return second;
  if (second.trim() === '') return first;
  return `${first}\n\n${second}`;
}
