/**
 * A fake Slack Web API on 127.0.0.1 for tests and benchmarks: `POST /api/<method>` with a
 * form-encoded or JSON body and a Bearer token, with responses in Slack's shapes. It records
 * every call, can return 429 with Retry-After, and also accepts `response_url` posts.
 * `signedSlackRequest` / `postToBolt` send events, slash commands and interactivity the way
 * Slack does, signed with `v0` HMAC-SHA256.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  token?: string;
  params: Record<string, unknown>;
}

export interface FakeSlackApiOptions {
  token?: string;
  botUserId?: string;
  botId?: string;
  teamId?: string;
  users?: Record<string, { name: string; displayName?: string; realName?: string }>;
}

/** Decode `blocks`, `attachments` and other JSON-valued form fields as WebClient sends them. */
function decodeFormValue(value: string): unknown {
  if (value.startsWith('[') || value.startsWith('{')) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  /** Bodies posted to `/response/...` (slash command `response_url`s). */
  readonly responses: unknown[] = [];
  private server?: Server;
  private readonly rateLimits = new Map<string, { retryAfterSec: number; remaining: number }>();
  private nextTs = 100;
  readonly token: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly teamId: string;

  constructor(private readonly options: FakeSlackApiOptions = {}) {
    this.token = options.token ?? 'xoxb-test-token';
    this.botUserId = options.botUserId ?? 'UBOT';
    this.botId = options.botId ?? 'BBOT';
    this.teamId = options.teamId ?? 'T0001';
  }

  /** Base URL for `slackApiUrl`, ending in `/api/`. */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  get origin(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('fake Slack API is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Reject the next `times` calls of `method` with 429 and `Retry-After: retryAfterSec`. */
  rateLimit(method: string, retryAfterSec: number, times = 1): void {
    this.rateLimits.set(method, { retryAfterSec, remaining: times });
  }

  /** Recorded calls of one method, in order. */
  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/response/')) {
      this.responses.push(JSON.parse(raw || '{}'));
      this.reply(response, 200, { ok: true });
      return;
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const params = this.parseParams(raw, request.headers['content-type']);
    const auth = request.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : (params.token as string | undefined);
    this.calls.push({ method, token, params });

    const limit = this.rateLimits.get(method);
    if (limit && limit.remaining > 0) {
      limit.remaining--;
      this.reply(response, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(limit.retryAfterSec) });
      return;
    }
    if (token !== this.token) {
      this.reply(response, 200, { ok: false, error: 'invalid_auth' });
      return;
    }
    this.reply(response, 200, this.answer(method, params));
  }

  private parseParams(raw: string, contentType: string | undefined): Record<string, unknown> {
    if (!raw) return {};
    if (contentType?.startsWith('application/json')) return JSON.parse(raw) as Record<string, unknown>;
    const params: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(raw)) params[key] = decodeFormValue(value);
    return params;
  }

  private answer(method: string, params: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://frontdesk-test.slack.com/', team: 'Test', user: 'frontdesk', team_id: this.teamId, user_id: this.botUserId, bot_id: this.botId };
      case 'chat.postMessage': {
        const ts = `1767225600.${String(this.nextTs++).padStart(6, '0')}`;
        return { ok: true, channel: params.channel, ts, message: { type: 'message', text: params.text, user: this.botUserId, bot_id: this.botId, ts } };
      }
      case 'chat.update':
        return { ok: true, channel: params.channel, ts: params.ts, text: params.text };
      case 'users.info': {
        const id = String(params.user);
        const user = this.options.users?.[id];
        if (!user) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { id, name: user.name, real_name: user.realName ?? user.name, profile: { display_name: user.displayName ?? '', real_name: user.realName ?? user.name } } };
      }
      case 'conversations.info':
        return { ok: true, channel: { id: params.channel, name: 'staff', is_channel: true, is_member: true } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private reply(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    response.end(JSON.stringify(body));
  }
}

/** `v0=<hex>` signature Slack puts in `X-Slack-Signature`. */
export function slackSignature(signingSecret: string, timestampSec: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

export type BoltDelivery =
  | { kind: 'event'; payload: Record<string, unknown> }
  | { kind: 'command'; fields: Record<string, string> }
  | { kind: 'interactivity'; payload: Record<string, unknown> };

export interface PostToBoltOptions {
  signingSecret: string;
  /** Seconds since the epoch (default now). */
  timestampSec?: number;
  /** Sent as `X-Slack-Retry-Num` with reason `http_timeout`. */
  retryNum?: number;
  /** Overrides the computed signature, to test rejection. */
  signature?: string;
}

/** POST a delivery to a Bolt endpoint with Slack's headers and body encoding. */
export async function postToBolt(url: string, delivery: BoltDelivery, options: PostToBoltOptions): Promise<Response> {
  let body: string;
  let contentType: string;
  if (delivery.kind === 'event') {
    body = JSON.stringify(delivery.payload);
    contentType = 'application/json';
  } else if (delivery.kind === 'command') {
    body = new URLSearchParams(delivery.fields).toString();
    contentType = 'application/x-www-form-urlencoded';
  } else {
    body = new URLSearchParams({ payload: JSON.stringify(delivery.payload) }).toString();
    contentType = 'application/x-www-form-urlencoded';
  }
  const timestampSec = options.timestampSec ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestampSec),
    'x-slack-signature': options.signature ?? slackSignature(options.signingSecret, timestampSec, body),
  };
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return fetch(url, { method: 'POST', headers, body });
}
