import type { ExtractedValue } from './types.js';

// NOTE: thousands grouped with spaces (`1 234,56 €`) and amounts spelled in words
// ("forty-seven dollars") are not recognized, so they are not checked as money.
/**
 * Amount pattern: either digit groups of three after a leading group of one to three digits
 * (`1,234`, `1.234.567`) or a plain digit run, each optionally followed by one or two decimals.
 * Which separator is the decimal one is settled by `parseAmount`, not by the locale.
 */
const AMOUNT = String.raw`\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const AMOUNT_END = String.raw`(?!\d|[.,]\d)`;

const MULTIPLIERS: Record<string, bigint> = {
  k: 1_000n,
  thousand: 1_000n,
  mil: 1_000n,
  million: 1_000_000n,
  millions: 1_000_000n,
  'milhão': 1_000_000n,
  'milhões': 1_000_000n,
  'millón': 1_000_000n,
  millones: 1_000_000n,
  billion: 1_000_000_000n,
  bn: 1_000_000_000n,
};
const MULTIPLIER = Object.keys(MULTIPLIERS).join('|');

/** Currency symbols, longest first so `R$` wins over `$`; `undefined` means the symbol is ambiguous. */
const SYMBOLS: Array<[string, string | undefined]> = [
  ['R$', 'BRL'],
  ['US$', 'USD'],
  ['U$S', 'USD'],
  ['MX$', 'MXN'],
  ['C$', 'CAD'],
  ['A$', 'AUD'],
  ['$', undefined],
  ['€', 'EUR'],
  ['£', 'GBP'],
  ['¥', 'JPY'],
  ['₹', 'INR'],
];
const CODES = ['USD', 'EUR', 'BRL', 'GBP', 'MXN', 'ARS', 'CAD', 'AUD', 'CLP', 'COP', 'PEN', 'UYU', 'JPY', 'INR'];

/** Currency words after an amount; `cents` words divide by one hundred. */
const WORDS: Record<string, string | undefined> = {
  dollar: 'USD',
  dollars: 'USD',
  bucks: 'USD',
  'dólar': undefined,
  'dólares': undefined,
  dolares: undefined,
  euro: 'EUR',
  euros: 'EUR',
  reais: 'BRL',
  pesos: undefined,
  pounds: 'GBP',
};
const CENT_WORDS = ['cent', 'cents', 'centavo', 'centavos', 'céntimo', 'céntimos'];

const escape = (text: string): string => text.replace(/[$.*+?^()|[\]{}\\]/g, '\\$&');
const SYMBOL_PATTERN = SYMBOLS.map(([symbol]) => escape(symbol)).join('|');
const CODE_PATTERN = CODES.join('|');
const WORD_PATTERN = Object.keys(WORDS).join('|');

/** `$1,234.56`, `R$ 47,15`, `USD 47.15`, `€12`, `$2.5 million`. */
const PREFIX_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(${SYMBOL_PATTERN}|${CODE_PATTERN})\s?-?(${AMOUNT})${AMOUNT_END}(?:\s?(${MULTIPLIER})(?![\p{L}]))?`,
  'giu',
);

/** `47 dollars`, `12 €`, `47,15 BRL`, `5 mil reais`, `47 dollars and 15 cents`, `99 cents`. */
const SUFFIX_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}$€£.,])(${AMOUNT})${AMOUNT_END}\s?(?:(${MULTIPLIER})\s)?` +
    String.raw`(${SYMBOL_PATTERN}|${CODE_PATTERN}|${WORD_PATTERN}|${CENT_WORDS.join('|')})(?![\p{L}\p{N}])` +
    String.raw`(?:\s(?:and|e|y)\s(\d{1,2})\s(?:${CENT_WORDS.join('|')})(?![\p{L}]))?`,
  'giu',
);

/** A currency symbol or code followed by digits and separators that form no valid amount (`$2,443.48.68`). */
const MALFORMED_RE = new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${SYMBOL_PATTERN}|${CODE_PATTERN})\s?\d[\d.,]*\d`, 'giu');

/**
 * Parses an amount written with `,` or `.` separators into integer cents. When the last
 * separator is followed by three digits it groups thousands (`1,490` and `1.490` are 1490),
 * otherwise it marks decimals (`47,15`, `47.5`). Every earlier separator groups thousands.
 */
export function parseAmount(raw: string): bigint {
  const lastSeparator = Math.max(raw.lastIndexOf('.'), raw.lastIndexOf(','));
  const tail = lastSeparator >= 0 ? raw.slice(lastSeparator + 1) : '';
  const hasDecimals = lastSeparator >= 0 && tail.length <= 2;
  const integerPart = (hasDecimals ? raw.slice(0, lastSeparator) : raw).replace(/[.,]/g, '');
  const fraction = hasDecimals ? tail.padEnd(2, '0') : '00';
  return BigInt(integerPart || '0') * 100n + BigInt(fraction);
}

/** Formats integer cents as the canonical money string, `123450n` -> `"1234.50"`. */
export function formatCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const absolute = cents < 0n ? -cents : cents;
  return `${sign}${absolute / 100n}.${String(absolute % 100n).padStart(2, '0')}`;
}

function scaled(cents: bigint, multiplier: string | undefined): bigint {
  if (!multiplier) return cents;
  return cents * (MULTIPLIERS[multiplier.toLowerCase()] ?? 1n);
}

function currencyOfSymbol(token: string): string | undefined {
  const upper = token.toUpperCase();
  if (CODES.includes(upper)) return upper;
  return SYMBOLS.find(([symbol]) => symbol === upper)?.[1];
}

/** Finds money amounts written with a currency symbol, ISO code or currency word. */
export function scanMoney(text: string): ExtractedValue[] {
  const found: ExtractedValue[] = [];
  for (const match of text.matchAll(PREFIX_RE)) {
    const [raw, token, amount, multiplier] = match;
    const cents = scaled(parseAmount(amount!), multiplier);
    const currency = currencyOfSymbol(token!);
    found.push({ kind: 'money', raw, normalized: formatCents(cents), index: match.index, ...(currency ? { currency } : {}) });
  }
  for (const match of text.matchAll(SUFFIX_RE)) {
    const [raw, amount, multiplier, token, extraCents] = match;
    const unit = token!.toLowerCase();
    let cents = scaled(parseAmount(amount!), multiplier);
    // "99 cents" is 0.99; a fractional cent count ("2.5 cents") is rounded down to whole cents.
    if (CENT_WORDS.includes(unit)) cents = cents / 100n;
    if (extraCents) cents += BigInt(extraCents);
    const currency = unit in WORDS ? WORDS[unit] : currencyOfSymbol(token!);
    found.push({ kind: 'money', raw, normalized: formatCents(cents), index: match.index, ...(currency ? { currency } : {}) });
  }
  // A garbled amount is still an amount the customer would read; it gets a form that matches no fact.
  for (const match of text.matchAll(MALFORMED_RE)) {
    if (found.some((value) => value.index === match.index)) continue;
    found.push({ kind: 'money', raw: match[0], normalized: `invalid:${match[0]}`, index: match.index });
  }
  return found;
}
