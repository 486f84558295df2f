import { maskTail } from './redact.js';
import type { Rejection } from './types.js';

/**
 * Detectors for values that are never sent, whatever the facts say: a card number or CPF the
 * customer typed is still not echoed back. They run on text already passed through
 * `normalizeForAnalysis`, so zero-width characters, fullwidth digits and Unicode dashes are gone.
 */

/** `123-45-6789`, `123 45 6789`, `123.45.6789`: the same separator twice. */
const SSN_RE = /(?<![\p{N}\p{L}-])(\d{3})([-\s.])(\d{2})\2(\d{4})(?![\p{N}]|[-.]\d)/gu;
/** Nine bare digits count only after "SSN" or "social security". */
const SSN_KEYWORD_RE = /(?:ssn|social security(?: number| no\.?)?)\D{0,12}(\d{9})(?!\d)/giu;

/**
 * `123.456.789-09`, `123456789-09` and eleven bare digits (not after `+`, which marks a phone).
 * NOTE: about 1 in 100 unformatted 11-digit numbers (ids, phones without `+`) has valid check
 * digits and is rejected as a CPF.
 */
const CPF_RE = /(?<![\p{N}+])(\d{3})[.\s]?(\d{3})[.\s]?(\d{3})[-\s]?(\d{2})(?![\p{N}])/gu;

/** Digit runs where single spaces, dots or dashes may sit between any two digits. */
const DIGIT_RUN_RE = /\d(?:[\s.-]?\d){12,}/g;

/** Provider key formats with a fixed prefix. */
const SECRET_PATTERNS: Array<[string, RegExp]> = [
  ['private key', /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/],
  ['OpenAI or Anthropic key', /(?<![\p{L}\p{N}])sk-(?:proj-|ant-|svcacct-)?[A-Za-z0-9_-]{20,}/u],
  ['Stripe key', /(?<![\p{L}\p{N}])[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/u],
  ['AWS access key', /(?<![A-Z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Z0-9])/],
  ['Slack token', /(?<![\p{L}\p{N}])xox[abposr]-[A-Za-z0-9-]{10,}/u],
  ['GitHub token', /(?<![\p{L}\p{N}])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})/u],
  ['Google API key', /(?<![\p{L}\p{N}])AIza[0-9A-Za-z_-]{35}/u],
  ['JSON web token', /(?<![\p{L}\p{N}])eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/u],
];

const TOKEN_RE = /[A-Za-z0-9+/=_-]{32,}/g;

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Card numbers have 13 to 19 digits, a Luhn check digit and an issuer prefix from 2 to 6 (Mastercard 2-series, Amex, Visa, Mastercard, Discover, Elo, Maestro). */
function isCardNumber(digits: string): boolean {
  return digits.length >= 13 && digits.length <= 19 && /^[2-6]/.test(digits) && luhnValid(digits);
}

function cpfCheckDigit(digits: string, length: number): number {
  let sum = 0;
  for (let i = 0; i < length; i += 1) sum += Number(digits[i]) * (length + 1 - i);
  const rest = (sum * 10) % 11;
  return rest === 10 ? 0 : rest;
}

/** A CPF is eleven digits whose last two are check digits; repeated digits (`111.111.111-11`) are invalid. */
export function isValidCpf(digits: string): boolean {
  if (!/^\d{11}$/.test(digits) || /^(\d)\1{10}$/.test(digits)) return false;
  return cpfCheckDigit(digits, 9) === Number(digits[9]) && cpfCheckDigit(digits, 10) === Number(digits[10]);
}

function isValidSsn(area: string, group: string, serial: string): boolean {
  return area !== '000' && area !== '666' && !area.startsWith('9') && group !== '00' && serial !== '0000';
}

/**
 * Finds a card number inside a digit run. Separators mark group boundaries; each span from one
 * boundary to another is tried, so a card glued to other digits ("order 99 4111 1111 ...") is
 * still found when its own groups are separated.
 */
function findCardNumber(run: string): string | undefined {
  const digits = run.replace(/\D/g, '');
  if (isCardNumber(digits)) return digits;
  const boundaries = [0];
  let count = 0;
  for (let i = 0; i < run.length; i += 1) {
    if (/\d/.test(run[i]!)) count += 1;
    else if (boundaries.at(-1) !== count) boundaries.push(count);
  }
  boundaries.push(digits.length);
  for (const start of boundaries) {
    for (const end of boundaries) {
      if (end - start >= 13 && end - start <= 19 && isCardNumber(digits.slice(start, end))) return digits.slice(start, end);
    }
  }
  return undefined;
}

function shannonEntropy(token: string): number {
  const counts = new Map<string, number>();
  for (const char of token) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / token.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/**
 * A long token looks random when its characters are spread out (entropy of at least 3.5 bits
 * per character) and letters and digits alternate often. The second test keeps slugs such as
 * `return-policy-2026-for-all-customers` out, which have few letter-digit changes.
 */
function looksRandom(token: string): boolean {
  let changes = 0;
  for (let i = 1; i < token.length; i += 1) {
    if (/\d/.test(token[i]!) !== /\d/.test(token[i - 1]!)) changes += 1;
  }
  return changes >= 6 && shannonEntropy(token) >= 3.5;
}

/** Lists never-send values in normalized text: SSNs, CPFs, card numbers, keys and other secrets. */
export function findSensitive(text: string): Rejection[] {
  const found: Rejection[] = [];
  for (const match of text.matchAll(SSN_RE)) {
    if (isValidSsn(match[1]!, match[3]!, match[4]!)) found.push(ssn(match[4]!));
  }
  for (const match of text.matchAll(SSN_KEYWORD_RE)) found.push(ssn(match[1]!.slice(-4)));
  for (const match of text.matchAll(CPF_RE)) {
    const digits = match.slice(1, 5).join('');
    if (isValidCpf(digits)) {
      found.push({ code: 'sensitive_cpf', value: `***.***.***-${digits.slice(-2)}`, message: 'The answer contains a CPF number.' });
    }
  }
  for (const match of text.matchAll(DIGIT_RUN_RE)) {
    const card = findCardNumber(match[0]);
    if (card) found.push({ code: 'sensitive_card', value: maskTail(card), message: 'The answer contains a payment card number.' });
  }
  found.push(...findSecrets(text));
  return found;
}

function ssn(lastFour: string): Rejection {
  return { code: 'sensitive_ssn', value: `***-**-${lastFour}`, message: 'The answer contains a US social security number.' };
}

function findSecrets(text: string): Rejection[] {
  const found: Rejection[] = [];
  for (const [label, pattern] of SECRET_PATTERNS) {
    const match = pattern.exec(text);
    if (match) found.push(secret(label, match[0]));
  }
  for (const match of text.matchAll(TOKEN_RE)) {
    if (looksRandom(match[0]) && !found.some((rejection) => rejection.value === secretPreview(match[0]))) {
      found.push(secret('random-looking token', match[0]));
    }
  }
  return found;
}

function secretPreview(token: string): string {
  return `${token.slice(0, 4)}***`;
}

function secret(label: string, token: string): Rejection {
  return { code: 'sensitive_secret', value: secretPreview(token), message: `The answer contains a ${label}.` };
}
