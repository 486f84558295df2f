import type { ChatTurn, GenerateRequest } from '../providers/types.js';

/**
 * Default answer to `context_length`: drop the oldest half of the messages. The kept part
 * must start with a user turn, because a leading tool result or assistant turn without
 * the call before it is rejected by both LLM APIs. The last user turn always stays, so a
 * request that cannot shrink comes back with the same number of messages.
 */
export function dropOldestHalf(request: GenerateRequest): GenerateRequest {
  const messages = request.messages;
  if (messages.length <= 1) return request;

  let start = Math.floor(messages.length / 2);
  while (start < messages.length && messages[start]?.role !== 'user') start += 1;
  if (start >= messages.length) start = lastUserIndex(messages);
  if (start <= 0) return request;
  return { ...request, messages: messages.slice(start) };
}

function lastUserIndex(messages: ChatTurn[]): number {
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    if (messages[i]?.role === 'user') return i;
  }
  return 0;
}
