/** Provider-neutral request and result shapes used by the agent and every provider. */

export interface ToolCall {
  /** Provider-issued id that pairs the call with its result. */
  id: string;
  name: string;
  /** Parsed JSON arguments. */
  arguments: Record<string, unknown>;
}

export type ChatTurn =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string };

/** JSON Schema describing a tool's arguments. */
export type JsonSchema = Record<string, unknown>;

export interface ToolSpec {
  name: string;
  description: string;
  parameters: JsonSchema;
}

export interface GenerateRequest {
  system: string;
  messages: ChatTurn[];
  tools?: ToolSpec[];
  maxOutputTokens: number;
  /** Customer locale, used by providers that answer from locale files. */
  locale: string;
  /** Aborts the request; set from the per-message deadline. */
  signal?: AbortSignal;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'other';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface GenerateResult {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
  provider: string;
  model: string;
  /** Set by the rules engine when the customer asked for a person or nothing matched. */
  handoff?: { reason: string };
}

export interface Provider {
  readonly name: string;
  readonly model: string;
  /** `llm` providers cost tokens and can call tools; `rules` answers from local data. */
  readonly kind: 'llm' | 'rules';
  generate(request: GenerateRequest): Promise<GenerateResult>;
}
