/**
 * Minimal analysis normalizer for the guard. It has the same signature as
 * `normalizeForAnalysis` in `src/text/normalize.ts`, which also folds confusable letters,
 * so the import can be swapped without other changes.
 */

// Zero-width and invisible format characters that hide markers such as "ig\u200Bnore".
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/gu;

/**
 * Return a copy of `text` for analysis only: NFKC, invisible characters removed,
 * lowercased, whitespace runs collapsed to one space and trimmed. Never show it to a customer.
 */
export function normalizeForAnalysis(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').toLowerCase().replace(/\s+/gu, ' ').trim();
}
