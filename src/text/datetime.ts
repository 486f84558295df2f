import type { ExtractedValue } from './types.js';

/** Month names in English, Portuguese and Spanish, plus the English abbreviations. */
const MONTHS: Record<string, number> = {};
const MONTH_NAMES: string[][] = [
  ['january', 'jan', 'janeiro', 'enero'],
  ['february', 'feb', 'fevereiro', 'febrero'],
  ['march', 'mar', 'março', 'marco', 'marzo'],
  ['april', 'apr', 'abril'],
  ['may', 'maio', 'mayo'],
  ['june', 'jun', 'junho', 'junio'],
  ['july', 'jul', 'julho', 'julio'],
  ['august', 'aug', 'agosto'],
  ['september', 'sep', 'sept', 'setembro', 'septiembre', 'setiembre'],
  ['october', 'oct', 'outubro', 'octubre'],
  ['november', 'nov', 'novembro', 'noviembre'],
  ['december', 'dec', 'dezembro', 'diciembre'],
];
MONTH_NAMES.forEach((names, i) => names.forEach((name) => (MONTHS[name] = i + 1)));

const MONTH = `(${Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|')})\\.?`;
/** `1st`, `2nd`, `3rd`, `4th`, and `1o` (NFKC turns the Portuguese `1º` into `1o`). */
const ORDINAL = '(?:st|nd|rd|th|o)?';
const DAY = `(\\d{1,2})${ORDINAL}(?![\\d:])`;
const YEAR = '(\\d{4})(?!\\d)';
const WEEKDAY =
  '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)';

/** `March 3rd`, `Mar. 3, 2026`, `March the 3rd`. */
const MONTH_FIRST_RE = new RegExp(`(?<![\\p{L}])${MONTH}\\s(?:the\\s)?${DAY}(?:,?\\s${YEAR})?`, 'giu');
/** `3rd of March`, `3 March 2026`, `3 de março de 2026`, `el 3 de marzo`. */
const DAY_FIRST_RE = new RegExp(
  `(?<![\\p{L}\\p{N}.,])${DAY}\\s(?:of\\s|de\\s)?${MONTH}(?![\\p{L}])(?:,?\\s(?:de\\s)?${YEAR})?`,
  'giu',
);
/** `2026-03-04`, `2026/03/04`, also at the start of an ISO timestamp. */
const ISO_RE = /(?<![\d.\/-])(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?![\d/-])/g;
/** `3/4/2026`, `03-04-26`, `3.4.2026`: day and month order follow the locale. */
const NUMERIC_RE = /(?<![\d.,\/-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/-]|[.,]\d)/g;
/** `Tuesday the 5th`, `Friday, 5th`: a weekday with a day of the month but no month. */
const WEEKDAY_DAY_RE = new RegExp(`(?<![\\p{L}])${WEEKDAY},?\\s(?:the\\s)?(\\d{1,2})(?:st|nd|rd|th)(?![\\p{L}\\p{N}])`, 'giu');

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(month: number | undefined, day: number): boolean {
  if (day < 1) return false;
  if (month === undefined) return day <= 31;
  return month >= 1 && month <= 12 && day <= DAYS_IN_MONTH[month - 1]!;
}

/** Formats `YYYY-MM-DD`, with `x` for each unknown part. */
export function formatDate(year: number | undefined, month: number | undefined, day: number): string {
  const yyyy = year === undefined ? 'xxxx' : String(year).padStart(4, '0');
  const mm = month === undefined ? 'xx' : String(month).padStart(2, '0');
  return `${yyyy}-${mm}-${String(day).padStart(2, '0')}`;
}

/** Day-first locales read `03/04/2026` as 3 April; `en` reads it as March 4th. */
function dayFirst(locale: string): boolean {
  return !locale.toLowerCase().startsWith('en') || locale.toLowerCase() === 'en-gb';
}

function numericDate(match: RegExpMatchArray, locale: string | undefined): ExtractedValue | undefined {
  const [raw, first, , second, yearText] = match;
  const a = Number(first);
  const b = Number(second);
  const year = yearText!.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  const readings: string[] = [];
  // A reading is kept only if it is a real date, so `25/12/2026` is Christmas in any locale.
  const monthDay = validDate(a, b) ? formatDate(year, a, b) : undefined;
  const dayMonth = validDate(b, a) ? formatDate(year, b, a) : undefined;
  const preferred = locale === undefined ? [monthDay, dayMonth] : dayFirst(locale) ? [dayMonth] : [monthDay];
  for (const reading of preferred) if (reading) readings.push(reading);
  if (readings.length === 0) for (const reading of [monthDay, dayMonth]) if (reading) readings.push(reading);
  if (readings.length === 0) return undefined;
  const unique = [...new Set(readings)];
  const value: ExtractedValue = { kind: 'date', raw, normalized: unique[0]!, index: match.index! };
  if (unique.length > 1) value.alternatives = unique.slice(1);
  return value;
}

/**
 * Finds calendar dates: month names (en, pt, es) with a day, ISO dates, numeric dates with a
 * year, and a weekday with an ordinal day. Relative dates ("tomorrow", "next Friday") and
 * numeric dates without a year (`3/4`, easily a fraction or a score) are not reported.
 */
export function scanDates(text: string, locale: string | undefined): ExtractedValue[] {
  const found: ExtractedValue[] = [];
  const push = (raw: string, index: number, year: number | undefined, month: number | undefined, day: number) => {
    if (validDate(month, day)) found.push({ kind: 'date', raw, normalized: formatDate(year, month, day), index });
  };
  for (const match of text.matchAll(ISO_RE)) {
    push(match[0], match.index, Number(match[1]), Number(match[2]), Number(match[3]));
  }
  for (const match of text.matchAll(NUMERIC_RE)) {
    const value = numericDate(match, locale);
    if (value) found.push(value);
  }
  for (const match of text.matchAll(MONTH_FIRST_RE)) {
    // Lower-case "may 2" is more often the verb than the month.
    if (match[1] === 'may') continue;
    const year = match[3] ? Number(match[3]) : undefined;
    push(match[0], match.index, year, MONTHS[match[1]!.toLowerCase()], Number(match[2]));
  }
  for (const match of text.matchAll(DAY_FIRST_RE)) {
    const year = match[3] ? Number(match[3]) : undefined;
    push(match[0], match.index, year, MONTHS[match[2]!.toLowerCase()], Number(match[1]));
  }
  for (const match of text.matchAll(WEEKDAY_DAY_RE)) {
    push(match[0], match.index, undefined, undefined, Number(match[1]));
  }
  return found;
}

const MERIDIEM = '(a\\.?\\s?m\\.?|p\\.?\\s?m\\.?)(?![\\p{L}])';
/** Words that put a bare hour in the morning (am) or the afternoon and evening (pm). */
const DAYPART_RE =
  '(in the morning|da manhã|de la mañana|in the afternoon|in the evening|at night|da tarde|da noite|de la tarde|de la noche)';
const MORNING = new Set(['in the morning', 'da manhã', 'de la mañana']);

/** `6:30 pm`, `11.30 a.m.`, `7pm`, `7 in the evening`. */
const TWELVE_HOUR_RE = new RegExp(`(?<![\\p{N}:.])(\\d{1,2})(?:[:.](\\d{2}))?\\s?${MERIDIEM}`, 'giu');
const DAYPART_HOUR_RE = new RegExp(
  `(?<![\\p{N}:.,$])(\\d{1,2})(?::(\\d{2}))?\\s(?:o'clock\\s)?${DAYPART_RE}(?![\\p{L}])`,
  'giu',
);
/** `18:30`, `6:30`, `18:30:00`. */
const COLON_RE = /(?<![\d:.,])(\d{1,2}):(\d{2})(?::\d{2})?(?![\d:])/g;
/** `18h30`, `9h05`; a bare `18h` only after "às", "as", "a las" or "at", because `4h` is also a duration. */
const H_RE = /(?<![\p{N}:.])(\d{1,2})h(\d{2})(?![\p{L}\p{N}])|(?<=(?:^|\s)(?:às|as|a las|a la|at) )(\d{1,2})h(?![\p{L}\p{N}])/giu;
const NAMED_RE = /(?<![\p{L}])(noon|midday|midnight|meio-dia|meia-noite|mediodía|medianoche)(?![\p{L}])/giu;

function clock(hour: number, minute: number): string {
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** Converts a 12-hour reading; hour 0 is accepted with am (`0:16 am`), as some systems print it. */
function twelveHour(hour: number, minute: number, pm: boolean): string | undefined {
  if (hour > 12 || minute > 59) return undefined;
  const base = hour === 12 ? 0 : hour;
  return clock(pm ? base + 12 : base, minute);
}

/**
 * Finds clock times. A 12-hour time without am/pm (`6:30`) is reported as written with the
 * other half of the day in `alternatives`.
 */
export function scanTimes(text: string): ExtractedValue[] {
  const found: ExtractedValue[] = [];
  for (const match of text.matchAll(TWELVE_HOUR_RE)) {
    const normalized = twelveHour(Number(match[1]), Number(match[2] ?? 0), match[3]!.toLowerCase().startsWith('p'));
    if (normalized) found.push({ kind: 'time', raw: match[0], normalized, index: match.index });
  }
  for (const match of text.matchAll(DAYPART_HOUR_RE)) {
    const pm = !MORNING.has(match[3]!.toLowerCase());
    const normalized = twelveHour(Number(match[1]), Number(match[2] ?? 0), pm);
    if (normalized) found.push({ kind: 'time', raw: match[0], normalized, index: match.index });
  }
  for (const match of text.matchAll(COLON_RE)) {
    const value = twentyFourHour(match[0], match.index, Number(match[1]), Number(match[2]));
    if (value) found.push(value);
  }
  for (const match of text.matchAll(H_RE)) {
    const hour = Number(match[1] ?? match[3]);
    const value = twentyFourHour(match[0], match.index, hour, Number(match[2] ?? 0));
    if (value) found.push(value);
  }
  for (const match of text.matchAll(NAMED_RE)) {
    const name = match[1]!.toLowerCase();
    const midnight = name === 'midnight' || name === 'meia-noite' || name === 'medianoche';
    found.push({ kind: 'time', raw: match[0], normalized: midnight ? '00:00' : '12:00', index: match.index });
  }
  return found;
}

function twentyFourHour(raw: string, index: number, hour: number, minute: number): ExtractedValue | undefined {
  if (hour > 23 || minute > 59) return undefined;
  const value: ExtractedValue = { kind: 'time', raw, normalized: clock(hour, minute), index };
  if (hour >= 1 && hour <= 11) value.alternatives = [clock(hour + 12, minute)];
  if (hour === 12) value.alternatives = [clock(0, minute)];
  return value;
}
