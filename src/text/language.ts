import { detectAll } from 'tinyld';

/**
 * The most likely of en, pt and es for a short text, best first, at most two. Short texts
 * are ambiguous between pt and es, so callers treat the result as candidates, not a verdict.
 */
export function likelyLanguages(text: string): string[] {
  return detectAll(text, { only: ['en', 'pt', 'es'] })
    .slice(0, 2)
    .map((score) => score.lang);
}
