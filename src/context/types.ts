import type { ToolCall } from '../providers/types.js';

/** Request format the context is built for; `rules` is counted like OpenAI. */
export type ContextProvider = 'openai' | 'anthropic' | 'rules';

/** One stored message of a conversation, oldest first by `id`. */
export interface HistoryMessage {
  /** Store id, increasing with time inside a conversation. */
  id: number;
  role: 'user' | 'assistant' | 'tool';
  content: string;
  /** Set on assistant messages that called tools. */
  toolCalls?: ToolCall[];
  /** Set on tool messages: the id of the call this result belongs to. */
  toolCallId?: string;
  /** Set on tool messages: the tool name. */
  name?: string;
  /** Milliseconds since the Unix epoch. */
  createdAt: number;
}
