import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../../src/log.js';

export const WEBHOOK_PATH = '/whatsapp/webhook';

export interface WebhookRoutesOptions {
  appSecret: string;
  verifyToken: string;
  logger: Logger;
  /** Processes a verified, parsed body; a rejection returns 500 so Meta delivers it again. */
  handle(body: unknown): Promise<void>;
}

/** True when `header` is `sha256=<hex>` of the HMAC-SHA256 of `rawBody` with `secret`. */
export function hasValidSignature(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const received = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  // timingSafeEqual throws on different lengths; a short or non-hex header is simply invalid.
  return received.length === expected.length && timingSafeEqual(received, expected);
}

function sameSecret(received: string, expected: string): boolean {
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Register `GET` (subscription check) and `POST` (events) on `/whatsapp/webhook`. The signature
 * covers the exact bytes Meta sent, so these routes live in their own plugin scope whose body
 * parser keeps the raw bytes. Other routes keep Fastify's JSON parser.
 */
export async function registerWebhookRoutes(app: FastifyInstance, options: WebhookRoutesOptions): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.get(WEBHOOK_PATH, async (request, reply) => verifySubscription(request, reply, options));
    scope.post(WEBHOOK_PATH, async (request, reply) => receiveEvents(request, reply, options));
  });
}

function verifySubscription(request: FastifyRequest, reply: FastifyReply, options: WebhookRoutesOptions) {
  const query = request.query as Record<string, string | undefined>;
  const token = query['hub.verify_token'] ?? '';
  if (query['hub.mode'] !== 'subscribe' || !sameSecret(token, options.verifyToken)) {
    options.logger.warn({ mode: query['hub.mode'] }, 'WhatsApp webhook verification rejected: wrong mode or verify token');
    return reply.code(403).send({ error: 'verification failed' });
  }
  options.logger.info('WhatsApp webhook subscription verified');
  return reply.code(200).type('text/plain').send(query['hub.challenge'] ?? '');
}

async function receiveEvents(request: FastifyRequest, reply: FastifyReply, options: WebhookRoutesOptions) {
  const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const signature = request.headers['x-hub-signature-256'];
  if (!hasValidSignature(rawBody, typeof signature === 'string' ? signature : undefined, options.appSecret)) {
    options.logger.warn({ hasSignature: signature !== undefined }, 'WhatsApp webhook rejected: missing or invalid X-Hub-Signature-256');
    return reply.code(401).send({ error: 'invalid signature' });
  }

  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    options.logger.warn({ bytes: rawBody.length }, 'WhatsApp webhook rejected: body is not valid JSON');
    return reply.code(400).send({ error: 'invalid JSON' });
  }
  if (typeof body !== 'object' || body === null) {
    options.logger.warn('WhatsApp webhook rejected: body is not a JSON object');
    return reply.code(400).send({ error: 'expected a JSON object' });
  }

  try {
    await options.handle(body);
  } catch (error) {
    options.logger.error({ err: error }, 'handling a WhatsApp webhook failed; Meta will deliver it again');
    return reply.code(500).send({ error: 'processing failed' });
  }
  return reply.code(200).send({ ok: true });
}
