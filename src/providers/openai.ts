/** The OpenAI Chat Completions provider, for OpenAI and any server that speaks the same API. */
import OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { systemClock, type Clock } from '../clock.js';
import { ProviderError } from './errors.js';
import {
  DEFAULT_LLM_TIMEOUT_MS,
  type LlmProviderOptions,
  parseToolArguments,
  runSdkCall,
  type SdkCallProgress,
} from './sdk-call.js';
import type { FinishReason, GenerateRequest, GenerateResult, Provider, ToolCall, Usage } from './types.js';

type RequestBody = Omit<ChatCompletionCreateParamsBase, 'stream'>;
type RawToolCall = { id: string; name: string; arguments: string };

/** Calls `POST {baseURL}/chat/completions` through the official openai SDK. */
export class OpenAiProvider implements Provider {
  readonly kind = 'llm' as const;
  readonly name: string;
  readonly model: string;
  private readonly client: OpenAI;
  private readonly streaming: boolean;
  private readonly timeoutMs: number;
  private readonly clock: Clock;

  constructor(options: LlmProviderOptions) {
    if (!options.apiKey) throw new Error('OpenAiProvider: apiKey is missing; set OPENAI_API_KEY');
    this.name = options.name ?? 'openai';
    this.model = options.model;
    this.streaming = options.streaming ?? false;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;
    this.clock = options.clock ?? systemClock;
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      timeout: this.timeoutMs,
      // The SDK would retry 429/5xx twice on its own; retries belong to our retry layer,
      // which tracks the message deadline and can move to the next provider instead.
      maxRetries: 0,
    });
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const body = this.toRequestBody(request);
    const context = { provider: this.name, flavor: 'openai' as const, timeoutMs: this.timeoutMs, clock: this.clock, signal: request.signal };
    return runSdkCall(context, async (signal, progress) =>
      this.streaming ? this.stream(body, signal, progress) : this.complete(body, signal),
    );
  }

  private async complete(body: RequestBody, signal: AbortSignal): Promise<GenerateResult> {
    const completion: ChatCompletion = await this.client.chat.completions.create({ ...body, stream: false }, { signal });
    const choice = completion.choices[0];
    if (!choice) throw new ProviderError(this.name, 'server_error', `${this.name} returned no choices`);
    const calls = (choice.message.tool_calls ?? []).flatMap((call) =>
      call.type === 'function' ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }] : [],
    );
    const usage = { inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0 };
    return this.finish(choice.message.content ?? '', calls, choice.finish_reason, usage, completion.model);
  }

  private async stream(body: RequestBody, signal: AbortSignal, progress: SdkCallProgress): Promise<GenerateResult> {
    const stream = await this.client.chat.completions.create(
      { ...body, stream: true, stream_options: { include_usage: true } },
      { signal },
    );
    let text = '';
    let finishReason: string | null = null;
    let model = this.model;
    const usage: Usage = { inputTokens: 0, outputTokens: 0 };
    const calls: RawToolCall[] = [];

    for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
      progress.streamStarted();
      model = chunk.model || model;
      if (chunk.usage) {
        usage.inputTokens = chunk.usage.prompt_tokens;
        usage.outputTokens = chunk.usage.completion_tokens;
      }
      const choice = chunk.choices[0];
      if (!choice) continue;
      text += choice.delta.content ?? '';
      // Tool calls arrive in pieces keyed by index: the first piece has id and name,
      // the following ones append to the arguments text.
      for (const piece of choice.delta.tool_calls ?? []) {
        const call = (calls[piece.index] ??= { id: '', name: '', arguments: '' });
        call.id = piece.id ?? call.id;
        call.name = piece.function?.name ?? call.name;
        call.arguments += piece.function?.arguments ?? '';
      }
      finishReason = choice.finish_reason ?? finishReason;
    }
    if (!finishReason) throw new ProviderError(this.name, 'stream_error', `${this.name} stream ended without a finish reason`);
    return this.finish(text, calls, finishReason, usage, model);
  }

  private finish(text: string, rawCalls: RawToolCall[], reason: string, usage: Usage, model: string): GenerateResult {
    if (reason === 'length') {
      throw new ProviderError(this.name, 'truncated', `${this.name} stopped at the output token limit`);
    }
    if (reason === 'content_filter') {
      throw new ProviderError(this.name, 'content_filter', `${this.name} withheld the answer by its content filter`);
    }
    const toolCalls = rawCalls.map((call) => this.parseCall(call));
    let finishReason: FinishReason = 'other';
    if (reason === 'stop') finishReason = 'stop';
    if (reason === 'tool_calls' || reason === 'function_call') finishReason = 'tool_calls';
    return { text, toolCalls, finishReason, usage, provider: this.name, model };
  }

  private parseCall(call: RawToolCall): ToolCall {
    const args = parseToolArguments(call.arguments);
    if (!args) {
      throw new ProviderError(this.name, 'invalid_tool_arguments', `${this.name} sent arguments for tool ${call.name} that are not a JSON object`);
    }
    return { id: call.id, name: call.name, arguments: args };
  }

  private toRequestBody(request: GenerateRequest): RequestBody {
    const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: request.system }];
    for (const turn of request.messages) {
      if (turn.role === 'user') messages.push({ role: 'user', content: turn.content });
      else if (turn.role === 'tool') messages.push({ role: 'tool', tool_call_id: turn.toolCallId, content: turn.content });
      else messages.push(assistantMessage(turn.content, turn.toolCalls));
    }
    const tools: ChatCompletionTool[] | undefined = request.tools?.length
      ? request.tools.map((tool) => ({
          type: 'function',
          function: { name: tool.name, description: tool.description, parameters: tool.parameters },
        }))
      : undefined;
    // NOTE: `max_completion_tokens` is the current OpenAI field; some older compatible
    // servers read only `max_tokens` and will then ignore the limit.
    return { model: this.model, messages, tools, max_completion_tokens: request.maxOutputTokens };
  }
}

function assistantMessage(content: string, toolCalls: ToolCall[] | undefined): ChatCompletionMessageParam {
  if (!toolCalls?.length) return { role: 'assistant', content };
  return {
    role: 'assistant',
    content: content || null,
    tool_calls: toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: JSON.stringify(call.arguments) },
    })),
  };
}
