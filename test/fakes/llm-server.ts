/**
 * A fake LLM HTTP server on 127.0.0.1 that speaks the OpenAI Chat Completions API
 * (`POST /v1/chat/completions`) and the Anthropic Messages API (`POST /v1/messages`),
 * both as JSON and as SSE streams. Tests script replies and error kinds; benchmarks use
 * the default reply mode (echo or fixed text) with a configurable latency.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeApi = 'openai' | 'anthropic';

export interface FakeToolCall {
  name: string;
  /** An object is sent as valid JSON; a string is sent as-is, so it can be invalid JSON. */
  arguments: Record<string, unknown> | string;
  id?: string;
}

/** One scripted reply. `delayMs` waits before the response (or the first stream event). */
export type FakeReply = { delayMs?: number; headers?: Record<string, string> } & (
  | { kind: 'text'; text: string }
  | { kind: 'tool_calls'; calls: FakeToolCall[]; text?: string }
  | { kind: 'rate_limited'; retryAfter?: string; retryAfterMs?: number }
  | { kind: 'overloaded' }
  | { kind: 'server_error'; status?: 500 | 502 | 503 }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'context_length' }
  | { kind: 'bad_request'; message?: string }
  | { kind: 'auth'; status?: 401 | 403 }
  | { kind: 'content_filter' }
  | { kind: 'truncated'; text?: string }
  /** Streams `text`, then an error event after HTTP 200; a non-streaming request gets a 500. */
  | { kind: 'stream_error'; text?: string }
);

export interface RecordedRequest {
  api: FakeApi;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  stream: boolean;
}

export type FakeResponder = (request: RecordedRequest) => FakeReply | undefined;

export interface FakeLlmOptions {
  /** Reply used when no script applies: `echo` repeats the last user message. Default `echo`. */
  defaultReply?: 'echo' | { text: string };
  /** Delay added before every reply, in milliseconds. Default 0. */
  latencyMs?: number;
  /** Keep received requests in `requests`; turn off for long benchmarks. Default true. */
  recordRequests?: boolean;
}

export interface FakeLlm {
  url: string;
  /** Base URL for the openai SDK (includes `/v1`). */
  openaiBaseUrl: string;
  /** Base URL for the @anthropic-ai/sdk client (without `/v1`). */
  anthropicBaseUrl: string;
  /** Queue replies for whichever API is called next. */
  script(...replies: FakeReply[]): void;
  /** Queue replies for one API; these are used before the shared queue. */
  scriptFor(api: FakeApi, ...replies: FakeReply[]): void;
  /** Compute replies from the request when the queues are empty; `undefined` uses the default. */
  respondWith(responder: FakeResponder | undefined): void;
  readonly requests: RecordedRequest[];
  requestsFor(api: FakeApi): RecordedRequest[];
  /** Clear queues, the responder and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

const ROUTES = new Map<string, FakeApi>([
  ['/v1/chat/completions', 'openai'],
  ['/v1/messages', 'anthropic'],
]);

type Answer = { text: string; calls: FakeToolCall[]; finish: 'stop' | 'tool_calls' | 'length' | 'content_filter' };
type Failure = { status: number; body: unknown };

/** Start the fake on a random port of 127.0.0.1. */
export async function startFakeLlm(options: FakeLlmOptions = {}): Promise<FakeLlm> {
  const queues: Record<FakeApi | 'any', FakeReply[]> = { openai: [], anthropic: [], any: [] };
  const requests: RecordedRequest[] = [];
  let responder: FakeResponder | undefined;
  const record = options.recordRequests ?? true;

  const nextReply = (request: RecordedRequest): FakeReply =>
    queues[request.api].shift() ??
    queues.any.shift() ??
    responder?.(request) ??
    defaultReply(options.defaultReply ?? 'echo', request);

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const api = ROUTES.get(path);
    const raw = await readBody(req);
    if (req.method !== 'POST' || !api) {
      sendJson(res, 404, { error: { message: `no route for ${req.method} ${path}` } });
      return;
    }
    const body = JSON.parse(raw || '{}') as Record<string, unknown>;
    const request: RecordedRequest = { api, path, headers: req.headers, body, stream: body.stream === true };
    if (record) requests.push(request);

    const reply = nextReply(request);
    const delay = (options.latencyMs ?? 0) + (reply.delayMs ?? 0);
    if (delay > 0) await sleep(delay);
    respond(api, request, reply, res);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    script: (...replies) => void queues.any.push(...replies),
    scriptFor: (api, ...replies) => void queues[api].push(...replies),
    respondWith: (next) => void (responder = next),
    requests,
    requestsFor: (api) => requests.filter((r) => r.api === api),
    reset() {
      queues.openai.length = 0;
      queues.anthropic.length = 0;
      queues.any.length = 0;
      requests.length = 0;
      responder = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        // Hung requests keep their sockets open; drop them so close() completes.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function respond(api: FakeApi, request: RecordedRequest, reply: FakeReply, res: ServerResponse): void {
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.kind === 'hang') return;
  if (reply.kind === 'reset') {
    res.socket?.destroy();
    return;
  }
  const model = String(request.body.model ?? 'fake-model');
  const answer = toAnswer(reply);
  if (answer) {
    const usage = { input: estimateTokens(JSON.stringify(request.body.messages ?? [])), output: estimateTokens(answer.text) };
    if (api === 'openai') {
      if (request.stream) streamOpenAi(res, model, answer, usage, request.body);
      else sendJson(res, 200, openAiCompletion(model, answer, usage));
    } else if (request.stream) streamAnthropic(res, model, answer, usage);
    else sendJson(res, 200, anthropicMessage(model, answer, usage));
    return;
  }
  if (reply.kind === 'stream_error' && request.stream) {
    streamWithError(api, res, model, reply.text ?? 'Partial');
    return;
  }
  if (reply.kind === 'rate_limited') {
    res.setHeader('retry-after', reply.retryAfter ?? '1');
    if (reply.retryAfterMs !== undefined) res.setHeader('retry-after-ms', String(reply.retryAfterMs));
  }
  const failure = api === 'openai' ? openAiFailure(reply) : anthropicFailure(reply);
  sendJson(res, failure.status, failure.body);
}

function toAnswer(reply: FakeReply): Answer | undefined {
  switch (reply.kind) {
    case 'text':
      return { text: reply.text, calls: [], finish: 'stop' };
    case 'tool_calls':
      return { text: reply.text ?? '', calls: reply.calls, finish: 'tool_calls' };
    case 'truncated':
      return { text: reply.text ?? 'The answer was cut', calls: [], finish: 'length' };
    case 'content_filter':
      return { text: '', calls: [], finish: 'content_filter' };
    default:
      return undefined;
  }
}

function openAiFailure(reply: FakeReply): Failure {
  const error = (status: number, message: string, type: string, code: string | null, param: string | null = null) => ({
    status,
    body: { error: { message, type, param, code } },
  });
  switch (reply.kind) {
    case 'rate_limited':
      return error(429, 'Rate limit reached for requests per min.', 'requests', 'rate_limit_exceeded');
    case 'overloaded':
      return error(503, 'The engine is currently overloaded, please try again later.', 'server_error', null);
    case 'context_length':
      return error(400, "This model's maximum context length is 128000 tokens.", 'invalid_request_error', 'context_length_exceeded', 'messages');
    case 'bad_request':
      return error(400, reply.message ?? "Invalid value for 'messages'.", 'invalid_request_error', null, 'messages');
    case 'auth':
      return reply.status === 403
        ? error(403, 'Project does not have access to this model.', 'invalid_request_error', 'model_not_found')
        : error(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    case 'server_error':
      return error(reply.status ?? 500, 'The server had an error while processing your request.', 'server_error', null);
    default:
      return error(500, 'The server had an error while processing your request.', 'server_error', null);
  }
}

function anthropicFailure(reply: FakeReply): Failure {
  const error = (status: number, type: string, message: string) => ({
    status,
    body: { type: 'error', error: { type, message }, request_id: 'req_fake' },
  });
  switch (reply.kind) {
    case 'rate_limited':
      return error(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit.');
    case 'overloaded':
      return error(529, 'overloaded_error', 'Overloaded');
    case 'context_length':
      return error(400, 'invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum');
    case 'bad_request':
      return error(400, 'invalid_request_error', reply.message ?? 'messages: at least one message is required');
    case 'auth':
      return reply.status === 403
        ? error(403, 'permission_error', 'Your API key does not have permission to use the specified resource.')
        : error(401, 'authentication_error', 'invalid x-api-key');
    case 'server_error':
      return error(reply.status ?? 500, 'api_error', 'Internal server error');
    default:
      return error(500, 'api_error', 'Internal server error');
  }
}

function openAiCompletion(model: string, answer: Answer, usage: { input: number; output: number }) {
  const toolCalls = answer.calls.map((call, index) => ({
    id: call.id ?? `call_${index}`,
    type: 'function',
    function: { name: call.name, arguments: argumentText(call) },
  }));
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: answer.text || null, refusal: null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
        finish_reason: answer.finish,
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
  };
}

function anthropicMessage(model: string, answer: Answer, usage: { input: number; output: number }) {
  const content: unknown[] = [];
  if (answer.text) content.push({ type: 'text', text: answer.text });
  answer.calls.forEach((call, index) => {
    // A string stands for arguments the model produced as broken JSON.
    content.push({ type: 'tool_use', id: call.id ?? `toolu_${index}`, name: call.name, input: call.arguments });
  });
  return {
    id: 'msg_fake',
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: anthropicStopReason(answer.finish),
    stop_sequence: null,
    usage: { input_tokens: usage.input, output_tokens: usage.output },
  };
}

function anthropicStopReason(finish: Answer['finish']): string {
  return { stop: 'end_turn', tool_calls: 'tool_use', length: 'max_tokens', content_filter: 'refusal' }[finish];
}

function streamOpenAi(res: ServerResponse, model: string, answer: Answer, usage: { input: number; output: number }, body: Record<string, unknown>): void {
  startSse(res);
  const chunk = (delta: unknown, finish: string | null = null) =>
    sseData(res, { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] });
  chunk({ role: 'assistant', content: '' });
  for (const piece of splitText(answer.text)) chunk({ content: piece });
  answer.calls.forEach((call, index) => {
    const args = argumentText(call);
    const half = Math.ceil(args.length / 2);
    chunk({ tool_calls: [{ index, id: call.id ?? `call_${index}`, type: 'function', function: { name: call.name, arguments: args.slice(0, half) } }] });
    chunk({ tool_calls: [{ index, function: { arguments: args.slice(half) } }] });
  });
  chunk({}, answer.finish);
  const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
  if (streamOptions?.include_usage) {
    sseData(res, { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model, choices: [], usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output } });
  }
  res.end('data: [DONE]\n\n');
}

function streamAnthropic(res: ServerResponse, model: string, answer: Answer, usage: { input: number; output: number }): void {
  startSse(res);
  const message = { id: 'msg_fake', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input, output_tokens: 1 } };
  sseEvent(res, 'message_start', { type: 'message_start', message });
  let index = 0;
  if (answer.text) {
    sseEvent(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
    sseEvent(res, 'ping', { type: 'ping' });
    for (const piece of splitText(answer.text)) {
      sseEvent(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } });
    }
    sseEvent(res, 'content_block_stop', { type: 'content_block_stop', index });
    index += 1;
  }
  for (const call of answer.calls) {
    const toolUse = { type: 'tool_use', id: call.id ?? `toolu_${index}`, name: call.name, input: {} };
    sseEvent(res, 'content_block_start', { type: 'content_block_start', index, content_block: toolUse });
    const args = argumentText(call);
    const half = Math.ceil(args.length / 2);
    for (const part of [args.slice(0, half), args.slice(half)]) {
      sseEvent(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: part } });
    }
    sseEvent(res, 'content_block_stop', { type: 'content_block_stop', index });
    index += 1;
  }
  const delta = { stop_reason: anthropicStopReason(answer.finish), stop_sequence: null };
  sseEvent(res, 'message_delta', { type: 'message_delta', delta, usage: { output_tokens: usage.output } });
  sseEvent(res, 'message_stop', { type: 'message_stop' });
  res.end();
}

function streamWithError(api: FakeApi, res: ServerResponse, model: string, text: string): void {
  startSse(res);
  if (api === 'openai') {
    sseData(res, { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta: { role: 'assistant', content: text }, finish_reason: null }] });
    sseData(res, { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } });
  } else {
    const message = { id: 'msg_fake', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } };
    sseEvent(res, 'message_start', { type: 'message_start', message });
    sseEvent(res, 'content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    sseEvent(res, 'content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });
    sseEvent(res, 'error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  }
  res.end();
}

function defaultReply(mode: 'echo' | { text: string }, request: RecordedRequest): FakeReply {
  if (mode !== 'echo') return { kind: 'text', text: mode.text };
  const messages = (request.body.messages ?? []) as { role: string; content: unknown }[];
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  return { kind: 'text', text: `echo: ${plainText(lastUser?.content)}` };
}

/** Text of a message: a string (both APIs) or the text blocks of a content array (Anthropic). */
function plainText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts = content.filter((block: { type?: string }) => block.type === 'text') as { text: string }[];
  return texts.map((block) => block.text).join('\n');
}

function argumentText(call: FakeToolCall): string {
  return typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
}

/** Split text into at most four pieces, so streams carry several deltas. */
function splitText(text: string): string[] {
  if (!text) return [];
  const size = Math.max(1, Math.ceil(text.length / 4));
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function startSse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
}

function sseData(res: ServerResponse, data: unknown): void {
  res.write(`data: ${JSON.stringify(data)}\n\n`);
}

function sseEvent(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
