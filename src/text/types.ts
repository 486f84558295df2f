/** Kinds of value that `extractValues` recognizes. */
export type ValueKind =
  | 'money'
  | 'order_id'
  | 'account_id'
  | 'date'
  | 'time'
  | 'email'
  | 'phone'
  | 'url'
  | 'number';

/**
 * A value found in text. `raw` and `index` refer to the normalized text (see
 * `normalizeForAnalysis`), not to the string the caller passed in.
 *
 * `normalized` is canonical per kind, so two spellings of the same value compare equal:
 * - money: amount with exactly two decimals, `"1234.50"` (currency is kept apart in `currency`)
 * - date: `YYYY-MM-DD` with `x` for parts the text left out, `"xxxx-03-03"` for "March 3rd"
 * - time: 24-hour `HH:MM`
 * - order_id / account_id: upper case letters and digits only, `"ORD10023"`
 * - phone: digits only; e-mail: lower case; url: lower-case host plus path, without scheme,
 *   `www.` or trailing slash
 * - number: plain decimal with `.` as separator, `"1490"`, `"4.5"`
 */
export interface ExtractedValue {
  kind: ValueKind;
  raw: string;
  normalized: string;
  /** Offset of `raw` in the normalized text. */
  index: number;
  /**
   * Other readings of an ambiguous value: `6:30` without am/pm may be `18:30`, and `03/04/2026`
   * without a locale may be March 4th or April 3rd. `valuesMatch` accepts any reading.
   */
  alternatives?: string[];
  /** ISO 4217 code where the text names the currency (`R$` -> BRL); absent for a bare `$`. */
  currency?: string;
}

/** A scanner reports candidates; `extractValues` drops those that overlap an earlier kind. */
export type Scanner = (text: string, locale: string | undefined) => ExtractedValue[];
