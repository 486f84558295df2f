import { createHash } from 'node:crypto';

/** Punctuation, symbols and spaces at either end of a question carry no meaning for the cache. */
const EDGE_NOISE = /^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$/gu;

/**
 * Normalize a question for exact-match lookup: NFKC, lowercase, runs of whitespace collapsed
 * to one space, and punctuation trimmed from both ends. Inner punctuation stays, because
 * "order #12" and "order 12" may not mean the same.
 */
export function normalizeQuestion(question: string): string {
  return question.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').replace(EDGE_NOISE, '');
}

/** Scope of a cached answer besides the question: the locale and the knowledge-base version. */
export interface CacheScope {
  locale: string;
  /** Version of the FAQ / knowledge base the answer came from. A new version misses every old entry. */
  kbVersion: string;
}

/**
 * Build the cache key of a question, or undefined when nothing remains after normalization.
 * The question part is hashed so keys stay short and no customer text sits in Redis key names.
 */
export function cacheKey(question: string, scope: CacheScope): string | undefined {
  const normalized = normalizeQuestion(question);
  if (normalized === '') return undefined;
  const digest = createHash('sha256').update(normalized).digest('hex');
  return `${scope.kbVersion}:${scope.locale}:${digest}`;
}
