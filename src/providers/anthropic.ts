/** The Anthropic Messages API provider. */
import Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  Message,
  MessageCreateParamsNonStreaming,
  MessageParam,
  RawMessageStreamEvent,
  Tool as AnthropicTool,
} from '@anthropic-ai/sdk/resources/messages/messages';
import { systemClock, type Clock } from '../clock.js';
import { ProviderError } from './errors.js';
import {
  DEFAULT_LLM_TIMEOUT_MS,
  isPlainObject,
  type LlmProviderOptions,
  parseToolArguments,
  runSdkCall,
  type SdkCallProgress,
} from './sdk-call.js';
import type { ChatTurn, FinishReason, GenerateRequest, GenerateResult, Provider, ToolCall, Usage } from './types.js';

type RequestBody = Omit<MessageCreateParamsNonStreaming, 'stream'>;
/** A tool call before its input is checked; `input` is a JSON text while streaming. */
type RawToolCall = { id: string; name: string; input: unknown };

/** Calls `POST {baseURL}/v1/messages` through the official @anthropic-ai/sdk. */
export class AnthropicProvider implements Provider {
  readonly kind = 'llm' as const;
  readonly name: string;
  readonly model: string;
  private readonly client: Anthropic;
  private readonly streaming: boolean;
  private readonly timeoutMs: number;
  private readonly clock: Clock;

  constructor(options: LlmProviderOptions) {
    if (!options.apiKey) throw new Error('AnthropicProvider: apiKey is missing; set ANTHROPIC_API_KEY');
    this.name = options.name ?? 'anthropic';
    this.model = options.model;
    this.streaming = options.streaming ?? false;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;
    this.clock = options.clock ?? systemClock;
    this.client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      timeout: this.timeoutMs,
      // The SDK would retry 429/529/5xx twice on its own; retries belong to our retry
      // layer, which tracks the message deadline and can move to the next provider instead.
      maxRetries: 0,
    });
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const body = this.toRequestBody(request);
    const context = { provider: this.name, flavor: 'anthropic' as const, timeoutMs: this.timeoutMs, clock: this.clock, signal: request.signal };
    return runSdkCall(context, async (signal, progress) =>
      this.streaming ? this.stream(body, signal, progress) : this.complete(body, signal),
    );
  }

  private async complete(body: RequestBody, signal: AbortSignal): Promise<GenerateResult> {
    const message: Message = await this.client.messages.create({ ...body, stream: false }, { signal });
    let text = '';
    const calls: RawToolCall[] = [];
    for (const block of message.content) {
      if (block.type === 'text') text += block.text;
      else if (block.type === 'tool_use') calls.push({ id: block.id, name: block.name, input: block.input });
    }
    const usage = { inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens };
    return this.finish(text, calls, message.stop_reason ?? 'end_turn', usage, message.model);
  }

  private async stream(body: RequestBody, signal: AbortSignal, progress: SdkCallProgress): Promise<GenerateResult> {
    const stream = await this.client.messages.create({ ...body, stream: true }, { signal });
    let text = '';
    let stopReason: string | null = null;
    let model = this.model;
    const usage: Usage = { inputTokens: 0, outputTokens: 0 };
    // Content blocks by index; tool input arrives as `input_json_delta` pieces of JSON text.
    const calls = new Map<number, RawToolCall & { input: string }>();

    for await (const event of stream as AsyncIterable<RawMessageStreamEvent>) {
      progress.streamStarted();
      switch (event.type) {
        case 'message_start':
          model = event.message.model || model;
          usage.inputTokens = event.message.usage.input_tokens;
          break;
        case 'content_block_start':
          if (event.content_block.type === 'tool_use') {
            calls.set(event.index, { id: event.content_block.id, name: event.content_block.name, input: '' });
          }
          break;
        case 'content_block_delta':
          if (event.delta.type === 'text_delta') text += event.delta.text;
          else if (event.delta.type === 'input_json_delta') {
            const call = calls.get(event.index);
            if (call) call.input += event.delta.partial_json;
          }
          break;
        case 'message_delta':
          stopReason = event.delta.stop_reason ?? stopReason;
          usage.outputTokens = event.usage.output_tokens;
          break;
        default:
          break;
      }
    }
    if (!stopReason) throw new ProviderError(this.name, 'stream_error', `${this.name} stream ended without a stop reason`);
    return this.finish(text, [...calls.values()], stopReason, usage, model);
  }

  private finish(text: string, rawCalls: RawToolCall[], stopReason: string, usage: Usage, model: string): GenerateResult {
    if (stopReason === 'max_tokens') {
      throw new ProviderError(this.name, 'truncated', `${this.name} stopped at the output token limit`);
    }
    if (stopReason === 'refusal') {
      throw new ProviderError(this.name, 'content_filter', `${this.name} refused to answer`);
    }
    if (stopReason === 'model_context_window_exceeded') {
      throw new ProviderError(this.name, 'context_length', `${this.name} ran out of context window while answering`);
    }
    const toolCalls = rawCalls.map((call) => this.parseCall(call));
    let finishReason: FinishReason = 'other';
    if (stopReason === 'end_turn' || stopReason === 'stop_sequence') finishReason = 'stop';
    if (stopReason === 'tool_use') finishReason = 'tool_calls';
    return { text, toolCalls, finishReason, usage, provider: this.name, model };
  }

  private parseCall(call: RawToolCall): ToolCall {
    const args = typeof call.input === 'string' ? parseToolArguments(call.input) : isPlainObject(call.input) ? call.input : undefined;
    if (!args) {
      throw new ProviderError(this.name, 'invalid_tool_arguments', `${this.name} sent input for tool ${call.name} that is not a JSON object`);
    }
    return { id: call.id, name: call.name, arguments: args };
  }

  private toRequestBody(request: GenerateRequest): RequestBody {
    const tools: AnthropicTool[] | undefined = request.tools?.length
      ? request.tools.map((tool) => ({
          name: tool.name,
          description: tool.description,
          input_schema: tool.parameters as AnthropicTool['input_schema'],
        }))
      : undefined;
    return {
      model: this.model,
      system: request.system,
      messages: toMessages(request.messages),
      tools,
      max_tokens: request.maxOutputTokens,
    };
  }
}

/**
 * Convert chat turns to Anthropic messages. Tool results travel as `tool_result` blocks of
 * a user message, and the API expects all results of one assistant turn in the single
 * user message that follows, so consecutive user-side turns are merged.
 */
function toMessages(turns: ChatTurn[]): MessageParam[] {
  const messages: MessageParam[] = [];
  for (const turn of turns) {
    if (turn.role === 'assistant') {
      const blocks = assistantBlocks(turn.content, turn.toolCalls);
      // The API rejects an assistant message without content blocks.
      if (blocks.length > 0) messages.push({ role: 'assistant', content: blocks });
      continue;
    }
    const block: ContentBlockParam =
      turn.role === 'user'
        ? { type: 'text', text: turn.content }
        : { type: 'tool_result', tool_use_id: turn.toolCallId, content: turn.content };
    const last = messages.at(-1);
    if (last?.role === 'user' && Array.isArray(last.content)) last.content.push(block);
    else messages.push({ role: 'user', content: [block] });
  }
  return messages;
}

function assistantBlocks(content: string, toolCalls: ToolCall[] | undefined): ContentBlockParam[] {
  const blocks: ContentBlockParam[] = [];
  if (content) blocks.push({ type: 'text', text: content });
  for (const call of toolCalls ?? []) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.arguments });
  }
  return blocks;
}
