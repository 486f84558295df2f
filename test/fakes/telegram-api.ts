/**
 * A fake Telegram Bot API server on 127.0.0.1 for tests and benchmarks.
 *
 * It serves `POST /bot<token>/<method>` with JSON, form-encoded or multipart bodies, like
 * api.telegram.org, and keeps every call in memory. Updates pushed by a test are handed out
 * through long-polling `getUpdates`. Errors can be scripted per method with the bodies the
 * real Bot API returns.
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An error response scripted with `failNext`. */
export interface FakeApiError {
  status: number;
  body: { ok: false; error_code: number; description: string; parameters?: Record<string, number> };
}

/** Error bodies as the Bot API documents them. */
export const telegramErrors = {
  tooManyRequests(retryAfterSeconds: number): FakeApiError {
    return apiError(429, `Too Many Requests: retry after ${retryAfterSeconds}`, {
      retry_after: retryAfterSeconds,
    });
  },
  blocked(): FakeApiError {
    return apiError(403, 'Forbidden: bot was blocked by the user');
  },
  cantParseEntities(detail = "can't find end of the entity starting at byte offset 0"): FakeApiError {
    return apiError(400, `Bad Request: can't parse entities: ${detail}`);
  },
  chatMigrated(newChatId: number): FakeApiError {
    return apiError(400, 'Bad Request: group chat was upgraded to a supergroup chat', {
      migrate_to_chat_id: newChatId,
    });
  },
  serverError(): FakeApiError {
    return apiError(502, 'Bad Gateway');
  },
};

function apiError(code: number, description: string, parameters?: Record<string, number>): FakeApiError {
  return { status: code, body: { ok: false, error_code: code, description, ...(parameters && { parameters }) } };
}

/** One recorded API call. */
export interface FakeCall {
  method: string;
  params: Record<string, unknown>;
}

/** One message the bot sent successfully. */
export interface SentMessage {
  chatId: string;
  messageId: number;
  text: string;
  parseMode?: string;
  replyMarkup?: unknown;
  replyToMessageId?: number;
}

export interface FakeTelegramOptions {
  /** Username returned by getMe. */
  botUsername?: string;
  /** User id of the bot returned by getMe. */
  botId?: number;
}

export interface FakeTelegram {
  /** Value for grammy's `client.apiRoot`, such as `http://127.0.0.1:40123`. */
  apiRoot: string;
  botId: number;
  botUsername: string;
  /** Queue an update for getUpdates; `update_id` is assigned when missing. Returns it. */
  pushUpdate(update: Record<string, unknown>): number;
  /** Queue many updates at once and wake pollers a single time. */
  pushUpdates(updates: Record<string, unknown>[]): void;
  /** Messages accepted by sendMessage, in order. */
  sent: SentMessage[];
  /** Every call, including failed ones, in order of arrival. */
  calls: FakeCall[];
  /** Make the next call of `method` (optionally only for `chatId`) fail with `error`. */
  failNext(method: string, error: FakeApiError, options?: { chatId?: string | number; times?: number }): void;
  /** Resolve once at least `count` messages were sent; reject after `timeoutMs`. */
  waitForSent(count: number, timeoutMs?: number): Promise<SentMessage[]>;
  /** Resolve once `method` was called at least `count` times; reject after `timeoutMs`. */
  waitForCalls(method: string, count: number, timeoutMs?: number): Promise<FakeCall[]>;
  /** Last webhook set through setWebhook, if any. */
  webhook(): { url: string; secretToken?: string } | undefined;
  close(): Promise<void>;
}

interface ScriptedFailure {
  method: string;
  chatId?: string;
  error: FakeApiError;
  remaining: number;
}

interface Waiter {
  check: () => boolean;
  resolve: () => void;
}

/** Start the fake Bot API on a random port of 127.0.0.1. */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const fake = new FakeTelegramServer(options);
  await fake.listen();
  return fake;
}

class FakeTelegramServer implements FakeTelegram {
  apiRoot = '';
  readonly botId: number;
  readonly botUsername: string;
  readonly sent: SentMessage[] = [];
  readonly calls: FakeCall[] = [];
  private readonly updates: Record<string, unknown>[] = [];
  private readonly pollers = new Set<() => void>();
  private readonly failures: ScriptedFailure[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly messageCounters = new Map<string, number>();
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private nextUpdateId = 1;
  private currentWebhook: { url: string; secretToken?: string } | undefined;

  private readonly handlers: Record<string, (params: Record<string, unknown>, req: IncomingMessage) => unknown> = {
    getMe: () => this.me(),
    deleteWebhook: () => ((this.currentWebhook = undefined), true),
    setWebhook: (params) => {
      this.currentWebhook = { url: String(params.url), secretToken: params.secret_token as string | undefined };
      return true;
    },
    getUpdates: (params, req) => this.getUpdates(params, req),
    sendMessage: (params) => this.sendMessage(params),
    sendChatAction: () => true,
    answerCallbackQuery: () => true,
    editMessageReplyMarkup: () => true,
  };

  constructor(options: FakeTelegramOptions) {
    this.botId = options.botId ?? 7000001;
    this.botUsername = options.botUsername ?? 'frontdesk_test_bot';
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.apiRoot = `http://127.0.0.1:${port}`;
  }

  pushUpdate(update: Record<string, unknown>): number {
    const id = this.enqueue(update);
    this.wakePollers();
    return id;
  }

  pushUpdates(list: Record<string, unknown>[]): void {
    for (const update of list) this.enqueue(update);
    this.wakePollers();
  }

  failNext(method: string, error: FakeApiError, options: { chatId?: string | number; times?: number } = {}): void {
    this.failures.push({
      method,
      error,
      remaining: options.times ?? 1,
      ...(options.chatId !== undefined && { chatId: String(options.chatId) }),
    });
  }

  async waitForSent(count: number, timeoutMs = 5000): Promise<SentMessage[]> {
    await this.waitFor(() => this.sent.length >= count, timeoutMs, `${count} sent messages`);
    return this.sent;
  }

  async waitForCalls(method: string, count: number, timeoutMs = 5000): Promise<FakeCall[]> {
    const matching = (): FakeCall[] => this.calls.filter((call) => call.method === method);
    await this.waitFor(() => matching().length >= count, timeoutMs, `${count} ${method} calls`);
    return matching();
  }

  webhook(): { url: string; secretToken?: string } | undefined {
    return this.currentWebhook;
  }

  close(): Promise<void> {
    this.wakePollers();
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private me(): Record<string, unknown> {
    return { id: this.botId, is_bot: true, first_name: 'Frontdesk', username: this.botUsername };
  }

  private enqueue(update: Record<string, unknown>): number {
    const id = typeof update.update_id === 'number' ? update.update_id : this.nextUpdateId;
    this.nextUpdateId = Math.max(this.nextUpdateId, id + 1);
    this.updates.push({ ...update, update_id: id });
    return id;
  }

  private wakePollers(): void {
    for (const wake of this.pollers) wake();
    this.pollers.clear();
  }

  private notifyWaiters(): void {
    for (const waiter of this.waiters) {
      if (!waiter.check()) continue;
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }

  private waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (check()) return resolve();
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`fake Telegram: timed out after ${timeoutMs} ms waiting for ${what} (${this.sent.length} sent)`));
      }, timeoutMs);
      const waiter: Waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.add(waiter);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = /^\/bot[^/]+\/(\w+)$/.exec((req.url ?? '').split('?')[0] ?? '')?.[1] ?? '';
    const params = parseParams(await readBody(req), req.headers['content-type'] ?? '');
    this.calls.push({ method, params });
    this.notifyWaiters();

    const handler = this.handlers[method];
    if (!handler) return reply(res, apiError(404, 'Not Found: method not found'));
    const failure = this.takeFailure(method, params);
    if (failure) return reply(res, failure);

    const result = await handler(params, req);
    if (isFakeError(result)) return reply(res, result);
    if (method === 'sendMessage') this.notifyWaiters();
    if (!res.destroyed) reply(res, { status: 200, body: { ok: true, result } });
  }

  private takeFailure(method: string, params: Record<string, unknown>): FakeApiError | undefined {
    const chatId = params.chat_id === undefined ? undefined : String(params.chat_id);
    const index = this.failures.findIndex(
      (failure) => failure.method === method && (failure.chatId === undefined || failure.chatId === chatId),
    );
    if (index < 0) return undefined;
    const failure = this.failures[index]!;
    failure.remaining -= 1;
    if (failure.remaining <= 0) this.failures.splice(index, 1);
    return failure.error;
  }

  private async getUpdates(params: Record<string, unknown>, req: IncomingMessage): Promise<unknown> {
    const offset = Number(params.offset ?? 0);
    const limit = Math.min(Number(params.limit ?? 100), 100);
    const timeoutSeconds = Number(params.timeout ?? 0);
    // Updates below the offset are confirmed and never returned again, as on Telegram.
    while (this.updates.length > 0 && Number(this.updates[0]!.update_id) < offset) this.updates.shift();
    if (this.updates.length === 0 && timeoutSeconds > 0) await this.holdPoll(req, timeoutSeconds);
    return this.updates.filter((update) => Number(update.update_id) >= offset).slice(0, limit);
  }

  /** Hold a long poll until an update arrives, the timeout passes or the client goes away. */
  private holdPoll(req: IncomingMessage, timeoutSeconds: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.pollers.delete(done);
        req.off('close', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutSeconds * 1000);
      this.pollers.add(done);
      // grammy aborts the pending poll on bot.stop(); release it at once.
      req.on('close', done);
    });
  }

  private sendMessage(params: Record<string, unknown>): unknown {
    const chatId = String(params.chat_id ?? '');
    const text = typeof params.text === 'string' ? params.text : '';
    const parseMode = params.parse_mode as string | undefined;
    if (chatId === '') return apiError(400, 'Bad Request: chat_id is empty');
    if (text.trim() === '') return apiError(400, 'Bad Request: message text is empty');
    const htmlProblem = parseMode === 'HTML' ? findHtmlError(text) : undefined;
    if (htmlProblem) return telegramErrors.cantParseEntities(htmlProblem);
    const length = parseMode === 'HTML' ? visibleLength(text) : text.length;
    if (length > 4096) return apiError(400, 'Bad Request: message is too long');

    const messageId = (this.messageCounters.get(chatId) ?? 0) + 1;
    this.messageCounters.set(chatId, messageId);
    const replyTo = (params.reply_parameters as { message_id?: number } | undefined)?.message_id;
    this.sent.push({
      chatId,
      messageId,
      text,
      ...(parseMode && { parseMode }),
      ...(params.reply_markup !== undefined && { replyMarkup: params.reply_markup }),
      ...(replyTo !== undefined && { replyToMessageId: replyTo }),
    });
    return {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: Number(chatId), type: Number(chatId) < 0 ? 'supergroup' : 'private' },
      from: this.me(),
      text,
    };
  }
}

function isFakeError(value: unknown): value is FakeApiError {
  return typeof value === 'object' && value !== null && 'status' in value && 'body' in value;
}

function reply(res: ServerResponse, response: { status: number; body: unknown }): void {
  const payload = JSON.stringify(response.body);
  res.writeHead(response.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Parse a Bot API request body; values that look like JSON objects or arrays are decoded. */
function parseParams(raw: Buffer, contentType: string): Record<string, unknown> {
  if (raw.length === 0) return {};
  const text = raw.toString('utf8');
  if (contentType.includes('application/json')) return JSON.parse(text) as Record<string, unknown>;
  const fields: Record<string, string> = {};
  if (contentType.includes('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(text)) fields[key] = value;
  } else if (contentType.includes('multipart/form-data')) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
    const separator = `--${boundary?.[1] ?? boundary?.[2] ?? ''}`;
    for (const part of text.split(separator)) {
      const name = /name="([^"]+)"/.exec(part)?.[1];
      const bodyStart = part.indexOf('\r\n\r\n');
      if (name && bodyStart >= 0) fields[name] = part.slice(bodyStart + 4).replace(/\r\n$/, '');
    }
  }
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) params[key] = decodeField(value);
  return params;
}

function decodeField(value: string): unknown {
  if (!/^[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

const HTML_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'code', 'pre', 'a', 'span', 'tg-spoiler', 'blockquote']);

/**
 * Check text sent with `parse_mode: 'HTML'` the way Telegram does in essence: only known tags,
 * properly nested, and every `&` starting a named or numeric entity. Returns the problem.
 */
function findHtmlError(html: string): string | undefined {
  const open: string[] = [];
  const bytes = (index: number): number => Buffer.byteLength(html.slice(0, index));
  for (let i = 0; i < html.length; i++) {
    const char = html[i];
    if (char === '&') {
      if (!/^&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/i.test(html.slice(i, i + 12))) {
        return `Character entity expected at byte offset ${bytes(i)}`;
      }
    } else if (char === '<') {
      const tag = /^<(\/?)([a-z-]+)(?:\s[^<>]*)?>/i.exec(html.slice(i));
      if (!tag) return `Unexpected start tag at byte offset ${bytes(i)}`;
      const name = tag[2]!.toLowerCase();
      if (!HTML_TAGS.has(name)) return `Unsupported start tag "${name}" at byte offset ${bytes(i)}`;
      if (tag[1] === '/') {
        if (open.pop() !== name) return `Unmatched end tag at byte offset ${bytes(i)}, expected "</${name}>"`;
      } else {
        open.push(name);
      }
      i += tag[0].length - 1;
    } else if (char === '>') {
      return `Unexpected end tag at byte offset ${bytes(i)}`;
    }
  }
  return open.length > 0 ? `Can't find end tag corresponding to start tag "${open.at(-1)}"` : undefined;
}

/** Length of HTML text as Telegram counts it: tags removed, each entity one character. */
function visibleLength(html: string): number {
  return html.replace(/<[^<>]*>/g, '').replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/gi, '_').length;
}
