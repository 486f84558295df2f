import type { ChatTurn } from '../providers/types.js';
import type { HistoryMessage } from './types.js';

/**
 * Messages that are kept or dropped together: one plain message, or an assistant tool
 * call with all its tool results, because providers reject a call without its results
 * and a result without its call.
 */
export interface MessageUnit {
  messages: HistoryMessage[];
}

/**
 * Groups chronologically ordered history into units. Structurally broken messages go to
 * `invalidIds`: a tool result whose call is not right before it, and a tool call whose
 * results are missing (sending either makes the provider reject the request).
 */
export function groupUnits(history: readonly HistoryMessage[]): { units: MessageUnit[]; invalidIds: number[] } {
  const units: MessageUnit[] = [];
  const invalidIds: number[] = [];
  let index = 0;

  while (index < history.length) {
    const message = history[index] as HistoryMessage;
    index += 1;
    if (message.role === 'tool') {
      invalidIds.push(message.id);
      continue;
    }
    const calls = message.role === 'assistant' ? (message.toolCalls ?? []) : [];
    if (calls.length === 0) {
      units.push({ messages: [message] });
      continue;
    }

    const pending = new Set(calls.map((call) => call.id));
    const results: HistoryMessage[] = [];
    while (index < history.length) {
      const next = history[index] as HistoryMessage;
      if (next.role !== 'tool' || next.toolCallId === undefined || !pending.has(next.toolCallId)) break;
      pending.delete(next.toolCallId);
      results.push(next);
      index += 1;
    }
    if (pending.size === 0) units.push({ messages: [message, ...results] });
    else invalidIds.push(message.id, ...results.map((result) => result.id));
  }
  return { units, invalidIds };
}

/** Converts a stored message into the provider-neutral chat turn. */
export function toChatTurn(message: HistoryMessage): ChatTurn {
  if (message.role === 'tool') {
    return { role: 'tool', toolCallId: message.toolCallId ?? '', name: message.name ?? '', content: message.content };
  }
  if (message.role === 'assistant') {
    return message.toolCalls && message.toolCalls.length > 0
      ? { role: 'assistant', content: message.content, toolCalls: message.toolCalls }
      : { role: 'assistant', content: message.content };
  }
  return { role: 'user', content: message.content };
}
