import { parseAmount } from './money.js';
import type { ExtractedValue, ValueKind } from './types.js';

const ID_KEYWORDS =
  'order|pedido|orden|account|acct|conta|cuenta|invoice|fatura|factura|ticket|chamado|protocolo|protocol|' +
  'reference|referência|referencia|ref|tracking|rastreio|rastreamento|confirmation|confirmação|confirmación|' +
  'booking|reserva|reservation|case|caso';
const ID_LABELS = 'number|no\\.?|num\\.?|n\\.?o|id|code|código|codigo|número|numero';

/** `order 12345`, `pedido nº 48213`, `account number: 00123-4`, `reservation code is X7KQ2`. */
const KEYWORD_ID_RE = new RegExp(
  `(?<![\\p{L}])(?:${ID_KEYWORDS})(?:\\s(?:${ID_LABELS}))?(?:\\s(?:is|é|es))?\\s?[:#]?\\s?#?` +
    `([\\p{L}\\p{N}][\\p{L}\\p{N}-]{2,}[\\p{L}\\p{N}])`,
  'giu',
);
/** `#A1234`, `#10023`. */
const HASH_ID_RE = /(?<![\p{L}\p{N}&])#([\p{L}\p{N}][\p{L}\p{N}-]{1,}[\p{L}\p{N}])/gu;
/** `ORD-10023`, `INV-2026-0042`, `A1234`, `1Z999AA1012`: upper case codes with at least two digits. */
const CODE_ID_RE = /(?<![\p{L}\p{N}-])(?=[A-Z0-9-]*\d[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9](?:[A-Z0-9-]{3,}[A-Z0-9])(?![\p{L}\p{N}-])/gu;
/** Unformatted digit runs of six or more digits. */
const DIGIT_RUN_RE = /(?<![\p{L}\p{N}.,-])\d{6,}(?![\p{L}\p{N}]|[.,-]\d)/gu;
/** Any other number: `3`, `4.5`, `1,490`. */
const NUMBER_RE = /(?<![\p{L}\p{N}.,])\d+(?:[.,]\d+)*(?![\p{N}])/gu;

const ACCOUNT_CONTEXT = /(?:account|acct|conta|cuenta|iban|agência|agencia)[^.!?;\n\d]{0,24}$/i;
const PHONE_CONTEXT = /(?:phone|call|tel|telefone|teléfono|telefono|celular|cell|mobile|whatsapp|fax)[^.!?;\n\d]{0,16}$/i;

/** Canonical id: upper case letters and digits only, so `ord-10023` and `ORD10023` compare equal. */
export function normalizeId(raw: string): string {
  return raw.replace(/[^\p{L}\p{N}]/gu, '').toUpperCase();
}

function idKind(text: string, index: number): ValueKind {
  const before = text.slice(Math.max(0, index - 40), index);
  if (PHONE_CONTEXT.test(before)) return 'phone';
  return ACCOUNT_CONTEXT.test(before) ? 'account_id' : 'order_id';
}

function idValue(text: string, raw: string, index: number): ExtractedValue {
  const kind = idKind(text, index);
  const normalized = kind === 'phone' ? raw.replace(/\D/g, '') : normalizeId(raw);
  return { kind, raw, normalized, index };
}

/**
 * Finds order and account ids: values named by a keyword ("order 12345"), `#` references,
 * upper-case codes with digits and digit runs of six or more. A digit run after "call" or
 * "phone" is reported as a phone number, one after "account" or "conta" as an account id.
 */
export function scanIds(text: string): ExtractedValue[] {
  const found: ExtractedValue[] = [];
  for (const match of text.matchAll(KEYWORD_ID_RE)) {
    const raw = match[1]!;
    // A keyword id needs a digit: "order status" is not an id, "order 48213" is.
    if (!/\d/.test(raw)) continue;
    const index = match.index + match[0].length - raw.length;
    found.push(idValue(text, raw, index));
  }
  for (const match of text.matchAll(HASH_ID_RE)) {
    if (/\d/.test(match[1]!)) found.push(idValue(text, match[0], match.index));
  }
  for (const match of text.matchAll(CODE_ID_RE)) found.push(idValue(text, match[0], match.index));
  for (const match of text.matchAll(DIGIT_RUN_RE)) found.push(idValue(text, match[0], match.index));
  return found;
}

/** Finds the numbers no other scanner claimed; `normalized` is a plain decimal (`1,490` -> `1490`). */
export function scanNumbers(text: string): ExtractedValue[] {
  const found: ExtractedValue[] = [];
  for (const match of text.matchAll(NUMBER_RE)) {
    const raw = match[0];
    // Runs like 1.2.3 (versions) keep their digits as written instead of a parsed amount.
    const parsable = /^\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?$|^\d+(?:[.,]\d{1,2})?$/.test(raw);
    const normalized = parsable ? trimDecimal(parseAmount(raw)) : raw;
    found.push({ kind: 'number', raw, normalized, index: match.index });
  }
  return found;
}

function trimDecimal(cents: bigint): string {
  const whole = cents / 100n;
  const fraction = cents % 100n;
  if (fraction === 0n) return String(whole);
  return `${whole}.${String(fraction).padStart(2, '0').replace(/0$/, '')}`;
}
