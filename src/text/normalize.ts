/**
 * Text normalization for analysis (never for display): the validator, the value extractor and
 * the rate-limit guard run their patterns on the output of `normalizeForAnalysis`, so that
 * invisible characters, fullwidth forms and look-alike letters cannot hide a value.
 *
 * Dependency-free and allocation-light: ASCII input skips the per-character fold.
 */

/**
 * Format characters (Unicode category Cf) and variation selectors, removed before anything else.
 * Cf covers zero-width space/joiners (U+200B-U+200D), LRM/RLM (U+200E-U+200F), bidi embeddings,
 * overrides and isolates (U+202A-U+202E, U+2066-U+2069), word joiner and invisible operators
 * (U+2060-U+2064), BOM (U+FEFF), soft hyphen (U+00AD) and tag characters (U+E0000-U+E007F).
 */
const INVISIBLE = /[\p{Cf}\u{FE00}-\u{FE0F}\u{E0100}-\u{E01EF}]/gu;

/**
 * Look-alike letters folded to the Latin letter they imitate (Cyrillic and Greek, the scripts
 * used in practice for homograph e-mails and domains). Fullwidth Latin needs no entry because
 * NFKC already maps it. Every entry maps one UTF-16 unit to one, which keeps offsets aligned
 * between the folded and the unfolded output.
 */
const CONFUSABLE_PAIRS =
  // Cyrillic lower case
  'аaвbеeһhіiјjкkӏlмmнhоoрpсcѕsтtуyхxԁdԛqԝwүyɡg' +
  // Cyrillic upper case
  'АAВBЕEНHІIЈJКKМMОOРPСCЅSТTУYХXԜWҮY' +
  // Greek lower and upper case
  'αaβbεeιiκkνvοoρpτtυuχxΑAΒBΕEΖZΗHΙIΚKΜMΝNΟOΡPΤTΥYΧX';

const CONFUSABLES = new Map<string, string>();
for (let i = 0; i < CONFUSABLE_PAIRS.length; i += 2) {
  CONFUSABLES.set(CONFUSABLE_PAIRS[i]!, CONFUSABLE_PAIRS[i + 1]!);
}

/** Dash-like characters that NFKC leaves alone (hyphen, non-breaking hyphen, en/em dash, minus...). */
const DASHES = /[\u2010-\u2015\u2212\u2043\uFE58\uFE63]/g;

const DECIMAL_DIGIT = /\p{Nd}/u;
const NON_ASCII = /[^\x00-\x7F]/;
const WHITESPACE = /\s+/g;

export interface NormalizeOptions {
  /** Fold Cyrillic and Greek look-alike letters to Latin (default true). */
  foldConfusables?: boolean;
}

/**
 * Normalizes text for pattern matching: removes invisible format characters, applies NFKC
 * (fullwidth digits and letters become ASCII), maps every Unicode dash to `-`, maps decimal
 * digits of any script to ASCII, folds look-alike letters, collapses whitespace runs to one
 * space and trims.
 *
 * With `foldConfusables: false` the result has the same length as the folded one, so an offset
 * found in one is valid in the other. Callers use that to tell whether a value was spelled
 * with look-alike letters.
 */
export function normalizeForAnalysis(text: string, options: NormalizeOptions = {}): string {
  const foldConfusables = options.foldConfusables ?? true;
  let out = text.replace(INVISIBLE, '').normalize('NFKC');
  if (NON_ASCII.test(out)) out = foldCharacters(out.replace(DASHES, '-'), foldConfusables);
  return out.replace(WHITESPACE, ' ').trim();
}

function foldCharacters(text: string, foldConfusables: boolean): string {
  let out = '';
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) {
      out += char;
      continue;
    }
    const latin = foldConfusables ? CONFUSABLES.get(char) : undefined;
    if (latin !== undefined) out += latin;
    else if (DECIMAL_DIGIT.test(char)) out += String(digitValue(char));
    else out += char;
  }
  return out;
}

/**
 * Returns the value of a non-ASCII decimal digit. Unicode allocates each script's digits as
 * a contiguous run from zero to nine, so the value is the distance back to the run's start,
 * modulo ten for scripts whose runs sit back to back.
 */
function digitValue(char: string): number {
  const codePoint = char.codePointAt(0)!;
  let distance = 0;
  while (distance < 40 && DECIMAL_DIGIT.test(String.fromCodePoint(codePoint - distance - 1))) distance += 1;
  return distance % 10;
}
