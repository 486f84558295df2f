import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Return the admin token a request presents: the `Authorization: Bearer` header, or else the
 * `token` query parameter that the browser page uses.
 */
export function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.token === 'string' ? query.token : undefined;
}

/**
 * Build a Fastify preHandler that responds with 401 unless the request presents `adminToken`.
 * An empty or missing `adminToken` rejects every request, so the routes stay closed until
 * ADMIN_TOKEN is set. Digests are compared in constant time.
 */
export function requireAdminToken(adminToken: string | undefined) {
  const expected = adminToken ? digest(adminToken) : undefined;
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const token = presentedToken(request);
    if (expected && token && timingSafeEqual(digest(token), expected)) return;
    reply.header('WWW-Authenticate', 'Bearer realm="frontdesk"');
    await reply.code(401).send({ error: 'missing or invalid admin token; send Authorization: Bearer ADMIN_TOKEN' });
  };
}
