/**
 * Value extraction shared by the response validator and the context manager.
 *
 * `extractValues(text, locale)` finds money amounts, order and account ids, dates, times,
 * e-mail addresses, phone numbers, URLs and other numbers in free text and gives each a
 * canonical `normalized` form, so that `$47.15`, `47.15 dollars`, `USD 47.15` and
 * `R$ 47,15` all normalize to `"47.15"`. Compare two values with `valuesMatch`, which also
 * honours partial dates and ambiguous readings.
 *
 * The text is first passed through `normalizeForAnalysis`, so `raw` and `index` refer to the
 * normalized text. Each character belongs to at most one value: scanners run in the order of
 * `SCANNERS`, and a later match that overlaps an earlier one is dropped (a phone number is
 * not also reported as a number, `$1,490` is not also an id).
 */
import { scanEmails, scanPhones, scanUrls } from './contacts.js';
import { scanDates, scanTimes } from './datetime.js';
import { scanIds, scanNumbers } from './ids.js';
import { scanMoney } from './money.js';
import { normalizeForAnalysis } from './normalize.js';
import type { ExtractedValue, Scanner, ValueKind } from './types.js';

export type { ExtractedValue, ValueKind } from './types.js';
export { formatCents, parseAmount } from './money.js';
export { normalizeUrl, urlHost } from './contacts.js';
export { normalizeId } from './ids.js';

/** Scanners in priority order: earlier kinds claim their characters first. */
const SCANNERS: Scanner[] = [
  scanEmails,
  scanUrls,
  scanMoney,
  scanDates,
  scanTimes,
  scanPhones,
  scanIds,
  scanNumbers,
];

/** Kinds that a sent answer may state only when a fact supports them; `number` is not one. */
export const GROUNDED_KINDS: readonly ValueKind[] = [
  'money',
  'order_id',
  'account_id',
  'date',
  'time',
  'email',
  'phone',
  'url',
];

/**
 * Extracts values from text, in order of position.
 *
 * @param text any text; it is normalized first (see the module comment)
 * @param locale BCP 47 tag; decides the day and month order of numeric dates
 *   (`en` reads `3/4/2026` as March 4th, `pt-BR` and `es` as 3 April). Without a locale both
 *   readings are kept, one of them in `alternatives`.
 * @example
 * extractValues('Your balance is R$ 1.234,56 as of 3 de março.', 'pt-BR')
 * // [{ kind: 'money', normalized: '1234.56', currency: 'BRL', ... },
 * //  { kind: 'date', normalized: 'xxxx-03-03', ... }]
 */
export function extractValues(text: string, locale?: string): ExtractedValue[] {
  if (text.length > MEMO_MAX_TEXT) return extractFromNormalized(normalizeForAnalysis(text), locale);
  const key = `${locale ?? ''}\u0000${text}`;
  let values = memo.get(key);
  if (values) {
    // Re-inserting keeps the Map's order an LRU order: the oldest key is the least recently used.
    memo.delete(key);
  } else {
    values = extractFromNormalized(normalizeForAnalysis(text), locale);
    if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value!);
  }
  memo.set(key, values);
  // Each call gets its own array because callers may sort it. The value objects are shared, so callers must not modify them.
  return values.slice();
}

/**
 * Results of `extractValues` by locale and text. The agent, the validator and the context
 * manager scan the same message texts, and the validator scans every FAQ answer on each message.
 */
const memo = new Map<string, ExtractedValue[]>();
const MEMO_LIMIT = 2_000;
/** Longer texts are scanned each time rather than kept in memory. */
const MEMO_MAX_TEXT = 4_000;

/** Same as `extractValues` for text already passed through `normalizeForAnalysis`. */
export function extractFromNormalized(normalized: string, locale?: string): ExtractedValue[] {
  const claimed: Array<[number, number]> = [];
  const overlaps = (start: number, end: number) => claimed.some(([s, e]) => start < e && s < end);
  const accepted: ExtractedValue[] = [];
  for (const scan of SCANNERS) {
    // Within one scanner, longer matches win ("6:30 pm" over the "6:30" inside it).
    const candidates = scan(normalized, locale).sort((a, b) => a.index - b.index || b.raw.length - a.raw.length);
    const fresh: Array<[number, number]> = [];
    for (const value of candidates) {
      const end = value.index + value.raw.length;
      if (overlaps(value.index, end) || fresh.some(([s, e]) => value.index < e && s < end)) continue;
      fresh.push([value.index, end]);
      accepted.push(value);
    }
    claimed.push(...fresh);
  }
  return accepted.sort((a, b) => a.index - b.index);
}

/** Kinds that stand for the same thing: an order id may be quoted where the facts call it an account id. */
function family(kind: ValueKind): string {
  return kind === 'account_id' ? 'order_id' : kind;
}

function readings(value: ExtractedValue): string[] {
  return value.alternatives ? [value.normalized, ...value.alternatives] : [value.normalized];
}

function datesMatch(a: string, b: string): boolean {
  const left = a.split('-');
  const right = b.split('-');
  // A part written with x is unknown in that text and matches anything ("March 3rd" matches 2026-03-03).
  return left.every((part, i) => part.includes('x') || right[i]!.includes('x') || part === right[i]);
}

function phonesMatch(a: string, b: string): boolean {
  if (a === b) return true;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  // A number quoted without its country or trunk prefix is the same line when 8+ digits agree.
  return shorter.length >= 8 && longer.endsWith(shorter);
}

function idsMatch(a: string, b: string): boolean {
  if (a === b) return true;
  // `#10023` refers to `ORD-10023`: a digits-only id matches an id whose digits are the same.
  const digitsA = a.replace(/\D/g, '');
  const digitsB = b.replace(/\D/g, '');
  const oneIsDigits = digitsA === a || digitsB === b;
  return oneIsDigits && digitsA.length >= 3 && digitsA === digitsB;
}

/**
 * Tells whether two extracted values denote the same thing: same kind (order and account ids
 * count as one kind) and equal normalized forms, where any reading in `alternatives` counts,
 * an unknown date part matches any value, phone numbers match on their last 8+ digits and a
 * digits-only id matches a prefixed id with the same digits.
 */
export function valuesMatch(a: ExtractedValue, b: ExtractedValue): boolean {
  if (family(a.kind) !== family(b.kind)) return false;
  for (const left of readings(a)) {
    for (const right of readings(b)) {
      if (normalizedMatch(a.kind, left, right)) return true;
    }
  }
  return false;
}

function normalizedMatch(kind: ValueKind, a: string, b: string): boolean {
  switch (kind) {
    case 'date':
      return datesMatch(a, b);
    case 'phone':
      return phonesMatch(a, b);
    case 'order_id':
    case 'account_id':
      return idsMatch(a, b);
    default:
      return a === b;
  }
}
