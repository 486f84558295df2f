import type { FastifyInstance } from 'fastify';

/** A request failed before it reached a route; carries the HTTP status to answer with. */
export class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
  readonly statusCode = 400;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parse JSON bodies strictly: bytes that are not valid UTF-8 are rejected instead of being
 * replaced with U+FFFD, which would silently change what the customer wrote.
 */
export function registerStrictJson(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      done(new BadRequestError('request body is not valid UTF-8'), undefined);
      return;
    }
    try {
      done(null, text.length === 0 ? undefined : JSON.parse(text));
    } catch {
      done(new BadRequestError('request body is not valid JSON'), undefined);
    }
  });
}
