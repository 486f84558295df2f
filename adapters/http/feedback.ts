import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Core } from '../../src/app.js';
import { FEEDBACK_DOWN, FEEDBACK_UP } from '../../src/pipeline/pipeline.js';

const feedbackBody = z.strictObject({
  userId: z.string().trim().min(1).max(200),
  conversationId: z.string().trim().min(1).max(200).optional(),
  /** `up` or `down` after an answer, or a rating from 1 to 5 after a handoff. */
  value: z.union([z.enum(['up', 'down']), z.number().int().min(1).max(5)]),
});

/** `POST /api/feedback`: thumbs and ratings from HTTP-channel customers. */
export function registerFeedbackRoute(app: FastifyInstance, core: Core): void {
  app.post('/api/feedback', async (request, reply) => {
    const parsed = feedbackBody.safeParse(request.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return reply.code(400).send({ error: `${issue.path.join('.') || 'body'}: ${issue.message}` });
    }
    const { userId, conversationId, value } = parsed.data;
    const chatId = conversationId?.replace(/^http:/, '') ?? userId;
    if (!(await core.store.getConversation(`http:${chatId}`))) {
      return reply.code(404).send({ error: `conversation http:${chatId} not found` });
    }
    let actionId = `rate:${value}`;
    if (value === 'up') actionId = FEEDBACK_UP;
    if (value === 'down') actionId = FEEDBACK_DOWN;
    await core.bus.action({ channel: 'http', chatId, sender: { id: userId }, actionId });
    return reply.code(202).send({ status: 'recorded' });
  });
}
