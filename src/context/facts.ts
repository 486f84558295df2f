/**
 * Small detector of the values a support conversation must not forget: money amounts,
 * order / account / invoice ids, e-mail addresses, dates and times (en, pt, es).
 * Importance scoring and the reduction of summary notes use it. The fact sheet of the
 * extractive summary (fact-extract.ts) reads values with `extractValues` from src/text instead.
 * NOTE: swapping this detector for `extractValues` would change importance scores; not measured.
 */

const MONTHS =
  'jan(?:uary|eiro)?|feb(?:ruary)?|fev(?:ereiro)?|mar(?:ch|ço|co|zo)?|apr(?:il)?|abr(?:il)?|' +
  'may(?:o)?|mai(?:o)?|june?|jun(?:ho|io)?|july?|jul(?:ho|io)?|aug(?:ust)?|ago(?:sto)?|' +
  'sep(?:t(?:ember)?)?|set(?:embro)?|sept?iembre|oct(?:ober|ubre)?|out(?:ubro)?|' +
  'nov(?:ember|embro|iembre)?|dec(?:ember)?|dez(?:embro)?|dic(?:iembre)?|enero|febrero';
const WEEKDAYS =
  'monday|tuesday|wednesday|thursday|friday|saturday|sunday|' +
  'segunda(?:-feira)?|terça(?:-feira)?|quarta(?:-feira)?|quinta(?:-feira)?|sexta(?:-feira)?|sábado|domingo|' +
  'lunes|martes|miércoles|jueves|viernes';
const CURRENCY_WORDS = 'usd|eur|brl|gbp|mxn|dollars?|bucks|euros?|reais|real|pesos?|libras?';

/** Each pattern finds one kind of fact; all are global and case-insensitive. */
const PATTERNS: readonly RegExp[] = [
  // e-mail addresses
  /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/giu,
  // amounts with a symbol: $1,490 | R$ 25,90 | €3.50 | US$ 10
  /(?:R\$|US\$|[$€£¥])\s?\d[\d.,]*\d|(?:R\$|US\$|[$€£¥])\s?\d/giu,
  // amounts with a currency word or code: 1,490 bucks | 25 reais | 10 USD
  new RegExp(`\\b\\d[\\d.,]*\\s?(?:${CURRENCY_WORDS})\\b`, 'giu'),
  // ids: #1234, ORD-12345, AB12345, account 12345678 (four or more digits)
  /#\d{3,}\b|\b[\p{L}]{0,6}-?\d{4,}(?:-[\p{L}\p{N}]+)*\b/giu,
  // ISO and numeric dates: 2024-03-05, 05/03/2024, 3/5
  /\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?\b/gu,
  // month-name dates: March 3rd, 3 de março, 5 de marzo, march 2024
  new RegExp(
    `\\b(?:(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:de\\s+|of\\s+)?(?:${MONTHS})\\b(?:\\s+(?:de\\s+)?\\d{4})?)`,
    'giu',
  ),
  // the 5th, day 12
  /\bthe\s+\d{1,2}(?:st|nd|rd|th)\b/giu,
  // weekdays, possibly with "next"
  new RegExp(`\\b(?:next\\s+|this\\s+|próxim[oa]\\s+)?(?:${WEEKDAYS})\\b`, 'giu'),
  // times: 7:30 pm, 19:30, 7 pm, 10h
  /\b\d{1,2}:\d{2}(?:\s?[ap]\.?m\.?)?|\b\d{1,2}\s?[ap]\.?m\b\.?|\b\d{1,2}h\d{0,2}\b/giu,
];

/**
 * Extracts the key facts of a text in order of appearance, without duplicates.
 * @example extractKeyFacts('Refund $25.90 for order #48213 by Friday') // ['$25.90', '#48213', 'Friday']
 */
export function extractKeyFacts(text: string): string[] {
  const found: Array<{ index: number; value: string }> = [];
  for (const pattern of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const value = match[0].trim().replace(/[.,]+$/u, '');
      if (value.length > 0) found.push({ index: match.index ?? 0, value });
    }
  }
  found.sort((a, b) => a.index - b.index);

  const seen = new Set<string>();
  const facts: string[] = [];
  for (const { value } of found) {
    const key = value.toLowerCase();
    // A shorter match inside a longer one ("3" inside "March 3rd") adds nothing.
    if (seen.has(key) || facts.some((fact) => fact.toLowerCase().includes(key))) continue;
    seen.add(key);
    facts.push(value);
  }
  return facts;
}

/** True when the text carries at least one key fact. */
export function hasKeyFacts(text: string): boolean {
  if (text.length > FACT_FLAGS_MAX_TEXT) return extractKeyFacts(text).length > 0;
  let found = factFlags.get(text);
  if (found === undefined) {
    found = extractKeyFacts(text).length > 0;
    if (factFlags.size >= FACT_FLAGS_LIMIT) factFlags.delete(factFlags.keys().next().value!);
    factFlags.set(text, found);
  }
  return found;
}

/**
 * Results of `hasKeyFacts` by text, oldest first. Importance scoring checks every message
 * of the history again on each new message, and twice for small talk.
 */
const factFlags = new Map<string, boolean>();
const FACT_FLAGS_LIMIT = 2_000;
/** Longer texts are scanned each time rather than kept in memory. */
const FACT_FLAGS_MAX_TEXT = 4_000;
