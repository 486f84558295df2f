import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake received on `POST /{version}/{phoneId}/messages`. */
export interface RecordedSend {
  path: string;
  authorization: string | undefined;
  body: { to: string; type: string; [key: string]: unknown };
}

export interface ScriptedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Build a Graph error response in the documented `{ error: { ... } }` shape. */
export function graphError(status: number, code: number, message: string, subcode?: number): ScriptedResponse {
  return {
    status,
    body: { error: { message, type: 'OAuthException', code, error_subcode: subcode, fbtrace_id: 'AbCdEfGhIjK' } },
  };
}

/**
 * Fake WhatsApp Cloud API on 127.0.0.1. Records every send; responses can be scripted per
 * recipient, and anything unscripted succeeds with a new `wamid`.
 */
export class FakeGraphApi {
  readonly sends: RecordedSend[] = [];
  private readonly scripts = new Map<string, ScriptedResponse[]>();
  private readonly server: Server = createServer((request, response) => void this.handle(request, response));
  private counter = 0;

  /** Start listening; returns the API base URL including a version segment. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v21.0`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Return these responses, in order, to the next sends to `to`. */
  script(to: string, ...responses: ScriptedResponse[]): void {
    this.scripts.set(to, [...(this.scripts.get(to) ?? []), ...responses]);
  }

  sendsTo(to: string): RecordedSend[] {
    return this.sends.filter((send) => send.body.to === to);
  }

  private async handle(request: IncomingMessage, response: import('node:http').ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedSend['body'];
    const path = request.url ?? '';
    this.sends.push({ path, authorization: request.headers.authorization, body });

    const scripted = this.scripts.get(body.to)?.shift();
    const reply = scripted ?? {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: body.to, wa_id: body.to }],
        messages: [{ id: `wamid.HBgLNTUxMTk4NzY1NDMyMRUCABEYEj${++this.counter}` }],
      },
    };
    response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    response.end(JSON.stringify(reply.body));
  }
}

/** Sign a webhook body as Meta does: `sha256=` + hex HMAC-SHA256 with the app secret. */
export function signBody(rawBody: string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/** Wrap messages and statuses in a webhook body for one phone number. */
export function webhookBody(
  value: { messages?: unknown[]; statuses?: unknown[]; contacts?: unknown[] },
  phoneId = '106540352242922',
): unknown {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: phoneId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}
