import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Outcome } from '../../src/bus/bus.js';
import type { Core } from '../../src/app.js';
import { conversationIdFor } from '../../src/store/sqlite-store.js';

const messageBody = z.strictObject({
  userId: z.string().trim().min(1, 'userId must not be empty').max(200),
  text: z.string(),
  messageId: z.string().trim().min(1).max(200).optional(),
  conversationId: z.string().trim().min(1).max(200).optional(),
  locale: z.string().trim().min(2).max(35).optional(),
});

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
  const field = issue.path.join('.');
  return field ? `${field}: ${issue.message}` : issue.message;
}

function sendOutcome(reply: FastifyReply, outcome: Outcome) {
  const body = {
    conversationId: outcome.conversationId,
    messageId: outcome.messageId,
    outcome: outcome.kind,
    replies: outcome.replies,
  };
  if (outcome.kind === 'limited') {
    const seconds = Math.max(1, Math.ceil((outcome.retryAfterMs ?? 60_000) / 1000));
    return reply.code(429).header('retry-after', String(seconds)).send(body);
  }
  if (outcome.kind === 'busy') return reply.code(503).header('retry-after', '5').send(body);
  return reply.code(200).send(body);
}

/** `POST /api/messages` and `GET /api/conversations/:id/messages`. */
export function registerMessageRoutes(app: FastifyInstance, core: Core, options: { replyTimeoutMs: number; adminToken?: string }) {
  app.post('/api/messages', async (request, reply) => {
    const parsed = messageBody.safeParse(request.body ?? {});
    if (!parsed.success) return reply.code(400).send({ error: firstIssue(parsed.error) });
    const body = parsed.data;
    if (body.text.trim().length === 0) return reply.code(400).send({ error: 'text must not be empty' });
    // Counted in code points, as the guard counts, so an emoji is one character.
    if ([...body.text].length > core.config.MAX_MESSAGE_CHARS) {
      return reply.code(400).send({ error: `text is longer than ${core.config.MAX_MESSAGE_CHARS} characters` });
    }

    // Clients may pass back the conversationId we returned, which carries the channel prefix.
    const chatId = body.conversationId?.replace(/^http:/, '') ?? body.userId;
    const accepted = await core.bus.accept({
      channel: 'http',
      platformMessageId: body.messageId ?? randomUUID(),
      chatId,
      sender: { id: body.userId, locale: body.locale },
      text: body.text,
      attachments: [],
      receivedAt: new Date(core.clock.now()),
    });
    const outcome = await core.bus.waitForOutcome(accepted.messageId, options.replyTimeoutMs);
    if (!outcome) {
      return reply.code(202).send({ conversationId: accepted.conversationId, messageId: accepted.messageId, outcome: 'processing', replies: [] });
    }
    return sendOutcome(reply, outcome);
  });

  app.get<{ Params: { id: string } }>('/api/conversations/:id/messages', async (request, reply) => {
    const id = request.params.id.includes(':') ? request.params.id : conversationIdFor('http', request.params.id);
    // Conversations of other channels hold customers' chats: only admins may read them.
    if (!id.startsWith('http:') && !isAdmin(request.headers.authorization, options.adminToken)) {
      return reply.code(401).send({ error: 'an admin bearer token is required for this conversation' });
    }
    const query = listQuery.safeParse(request.query);
    if (!query.success) return reply.code(400).send({ error: firstIssue(query.error) });
    const conversation = await core.store.getConversation(id);
    if (!conversation) return reply.code(404).send({ error: `conversation ${id} not found` });
    const rows = await core.store.listMessages(id, query.data.limit);
    return {
      conversationId: id,
      state: conversation.state,
      messages: rows.map((row) => ({
        id: row.id,
        direction: row.direction,
        author: row.author,
        kind: row.kind,
        text: row.text,
        state: row.state,
        createdAt: new Date(row.createdAt).toISOString(),
      })),
    };
  });
}

/** True when the Authorization header carries the configured admin token. */
export function isAdmin(header: string | undefined, adminToken: string | undefined): boolean {
  if (!adminToken || !header) return false;
  const expected = Buffer.from(`Bearer ${adminToken}`);
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
