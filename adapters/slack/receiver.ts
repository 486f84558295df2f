import { parse as parseQuery } from 'node:querystring';
import { verifySlackRequest, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpMount } from '../../src/bus/types.js';
import { systemClock, type Clock } from '../../src/clock.js';
import { silentLogger, type Logger } from '../../src/log.js';

export interface FastifyReceiverOptions {
  signingSecret: string;
  /** Route path for events, slash commands and interactivity (default `/slack/events`). */
  path?: string;
  /**
   * Send the HTTP response only after the listeners finished (default false: respond at
   * `ack()`). Tests turn it on so that a response means the handling is done.
   */
  processBeforeResponse?: boolean;
  clock?: Clock;
  logger?: Logger;
}

interface AckOutcome {
  status: number;
  body?: unknown;
}

/**
 * A Bolt receiver that lives on the bot's own Fastify server instead of opening a server
 * of its own, as Bolt's HTTPReceiver and ExpressReceiver do. It keeps Bolt's checks: the
 * `v0` HMAC signature over the raw body and the five-minute timestamp window (401 otherwise).
 */
export class FastifyReceiver implements Receiver {
  private app?: App;
  /** Set by `start()`, which Bolt calls from `App#start()` once the token was checked. */
  private started = false;
  private readonly path: string;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(private readonly options: FastifyReceiverOptions) {
    if (!options.signingSecret) throw new Error('Slack signing secret is missing: set SLACK_SIGNING_SECRET');
    this.path = options.path ?? '/slack/events';
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
  }

  init(app: App): void {
    this.app = app;
  }

  /** Begin dispatching to Bolt; the route itself is served by the shared server. */
  async start(): Promise<void> {
    this.started = true;
  }

  /** Answer later requests with 503 so Slack retries them on another instance or later. */
  async stop(): Promise<void> {
    this.started = false;
  }

  /** Register `POST <path>` on the server; call before the server starts listening. */
  mount(server: HttpMount): void {
    void server.register(async (scope) => {
      // The signature covers the exact bytes Slack sent, so this scope reads every body as
      // a string and parses it only after verification.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
      scope.post(this.path, (request, reply) => this.handle(request, reply));
    });
  }

  private async handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const rawBody = typeof request.body === 'string' ? request.body : '';
    if (!this.verify(request, rawBody)) {
      await reply.code(401).send();
      return;
    }

    let body: Record<string, unknown>;
    try {
      body = parseBody(rawBody, request.headers['content-type']);
    } catch {
      this.logger.warn('slack request rejected: body is not valid JSON or form data');
      await reply.code(400).send();
      return;
    }

    if (body.ssl_check) {
      await reply.code(200).send();
      return;
    }
    if (body.type === 'url_verification') {
      await reply.code(200).send({ challenge: body.challenge });
      return;
    }

    const outcome = await this.dispatch(body, request);
    if (outcome.body === undefined || outcome.body === '') await reply.code(outcome.status).send();
    else await reply.code(outcome.status).send(outcome.body);
  }

  private verify(request: FastifyRequest, rawBody: string): boolean {
    const signature = request.headers['x-slack-signature'];
    const timestamp = Number(request.headers['x-slack-request-timestamp']);
    if (typeof signature !== 'string' || !Number.isFinite(timestamp)) {
      this.logger.warn('slack request rejected: signature headers missing');
      return false;
    }
    try {
      verifySlackRequest({
        signingSecret: this.options.signingSecret,
        body: rawBody,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
        nowMilliseconds: this.clock.now(),
      });
      return true;
    } catch (error) {
      this.logger.warn({ reason: (error as Error).message }, 'slack request rejected: signature check failed');
      return false;
    }
  }

  /** Pass the body to Bolt and resolve with the HTTP response, at ack time or after processing. */
  private dispatch(body: Record<string, unknown>, request: FastifyRequest): Promise<AckOutcome> {
    return new Promise<AckOutcome>((resolve) => {
      let acked: AckOutcome | undefined;
      const retryHeader = request.headers['x-slack-retry-num'];
      const reason = request.headers['x-slack-retry-reason'];
      const event: ReceiverEvent = {
        body,
        retryNum: typeof retryHeader === 'string' ? Number(retryHeader) : undefined,
        retryReason: typeof reason === 'string' ? reason : undefined,
        ack: async (response?: unknown) => {
          if (acked) throw new Error('ack() was called twice for one Slack request');
          acked = { status: 200, body: response ?? '' };
          if (!this.options.processBeforeResponse) resolve(acked);
        },
      };

      const app = this.app;
      if (!app || !this.started) {
        this.logger.warn('slack request rejected with 503: the Slack app is not started');
        resolve({ status: 503 });
        return;
      }
      app.processEvent(event).then(
        () => resolve(acked ?? { status: 404 }),
        (error: unknown) => {
          this.logger.error({ err: error }, 'slack event handling failed');
          resolve(acked ?? { status: 500 });
        },
      );
    });
  }
}

function parseBody(rawBody: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.startsWith('application/x-www-form-urlencoded')) {
    const form = parseQuery(rawBody);
    // Interactivity sends one `payload` field holding JSON; slash commands send plain fields.
    if (typeof form.payload === 'string') return JSON.parse(form.payload) as Record<string, unknown>;
    return form as Record<string, unknown>;
  }
  return JSON.parse(rawBody) as Record<string, unknown>;
}
