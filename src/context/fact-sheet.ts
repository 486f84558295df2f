/**
 * The fact sheet: the compact part of a rolling summary. It is one line of items,
 * oldest first, `Earlier facts: account_type=savings; Cloverdale; $1,490; March 8th`:
 * - a slot item `key=value` stores one value per key, and a newer value for the same key
 *   replaces the older one (newest wins);
 * - a plain item is a value without a known key, such as a place name the customer wrote.
 * A slot whose value shows its own kind (a date, an amount, a capitalized name) is written
 * without its key to save tokens, so after a round trip through text it is a plain item.
 * A value is stored once: restating it moves its item to the end, so the oldest items are
 * the least recently mentioned ones and are the first to go when the sheet is cut.
 * Two spellings of one value share an item, and a value a slot gives up stays as a plain item.
 * Other summary lines (an LLM's bullets, lines of older summary formats) are kept as notes.
 */

import { extractValues, valuesMatch } from '../text/values.js';

/** Start of the fact line in a summary; it labels the line, so a summary of only facts needs no heading. */
export const FACTS_PREFIX = 'Earlier facts: ';
const ITEM_SEPARATOR = '; ';

/** One item of the fact sheet; `key` is absent on plain values. */
export interface FactItem {
  key?: string;
  /** The value; two spellings of one value are joined by " / " ("March 8th / 2019-03-08"). */
  value: string;
  /**
   * Core of a plain value, not rendered: "4 options" has the core "4", so an item that
   * already states 4 (`count=4`) makes it redundant.
   */
  core?: string;
}

/** A summary split into free-text notes and the fact items, both oldest first. */
export interface FactSheet {
  notes: string[];
  facts: FactItem[];
}

const SPELLING_SEPARATOR = ' / ';
const SLOT_ITEM = /^([\p{L}\p{N}_.]{1,40})=(.+)$/u;

/** Comparison form of a value: lower case, collapsed spaces, no thousands separators. */
export function valueKey(value: string): string {
  return value
    .toLowerCase()
    .replace(/(\d),(?=\d{3}\b)/gu, '$1')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Splits summary text into notes and fact items; every line that is not a fact line is a note. */
export function parseFactSheet(summary: string | undefined): FactSheet {
  const sheet: FactSheet = { notes: [], facts: [] };
  for (const raw of (summary ?? '').split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (!line.startsWith(FACTS_PREFIX.trim())) {
      sheet.notes.push(line);
      continue;
    }
    const body = line.slice(FACTS_PREFIX.trim().length).trim();
    for (const part of body.split(ITEM_SEPARATOR.trim())) {
      const item = part.trim();
      if (item === '') continue;
      const slot = SLOT_ITEM.exec(item);
      sheet.facts.push(slot ? { key: slot[1] as string, value: (slot[2] as string).trim() } : { value: item });
    }
  }
  return sheet;
}

/** Writes the sheet back as summary text: notes first, then the fact line. */
export function renderFactSheet(sheet: FactSheet): string {
  const lines = [...sheet.notes];
  if (sheet.facts.length > 0) lines.push(`${FACTS_PREFIX}${sheet.facts.map(renderItem).join(ITEM_SEPARATOR)}`);
  return lines.join('\n');
}

function renderItem(item: FactItem): string {
  // The key costs two or three tokens and adds little to a date, an amount or a name.
  if (item.key === undefined || selfDescribing(item.value)) return item.value;
  return `${item.key}=${item.value}`;
}

/** Removes the characters that would break the line format from a value or key. */
function clean(text: string): string {
  return text.replace(/[;\n\r]+/gu, ',').replace(/\s+/gu, ' ').trim();
}

/** True when `inner` occurs in `outer` as whole words ("Oakland" in "Oakland Zoo"). */
function containsWords(outer: string, inner: string): boolean {
  const at = outer.indexOf(inner);
  if (at < 0) return false;
  const before = outer[at - 1];
  const after = outer[at + inner.length];
  const isWordChar = (char: string | undefined) => char !== undefined && /[\p{L}\p{N}]/u.test(char);
  return !isWordChar(before) && !isWordChar(after);
}

/**
 * Adds an item as the newest one. A slot replaces the item with the same key and any item
 * with the same value. A plain value that an item already states, alone or inside a longer
 * value, only moves that item to the end.
 */
export function addFact(sheet: FactSheet, item: FactItem): void {
  const value = clean(item.value);
  if (value === '') return;
  const key = item.key === undefined ? undefined : clean(item.key).replace(/[\s=]+/gu, '_');
  const target = valueKey(value);

  if (key === undefined) {
    const core = item.core === undefined ? undefined : valueKey(item.core);
    const holder = sheet.facts.findIndex(
      (fact) => containsWords(valueKey(fact.value), target) || (core !== undefined && spellings(fact.value).some((form) => valueKey(form) === core)),
    );
    if (holder >= 0) {
      sheet.facts.push(...sheet.facts.splice(holder, 1));
      return;
    }
    // A longer plain value makes shorter plain values inside it redundant.
    sheet.facts = sheet.facts.filter((fact) => fact.key !== undefined || !containsWords(target, valueKey(fact.value)));
    sheet.facts.push({ value });
    return;
  }
  let stored = value;
  const slot = sheet.facts.find((fact) => fact.key === key);
  if (slot && valueKey(slot.value) !== target) {
    const same = sameValue(slot.value, value);
    if (same === 'spelling') {
      // Keep both spellings, because a tool may take "2019-03-08" where the message wrote "March 8th".
      stored = [value, ...spellings(slot.value).filter((form) => valueKey(form) !== target)].slice(0, 2).join(SPELLING_SEPARATOR);
    } else if (same === 'different') {
      // Newest wins the slot; the replaced value stays as an older plain item until the cap drops it.
      delete slot.key;
    }
  }
  const storedKey = valueKey(stored);
  sheet.facts = sheet.facts.filter(
    (fact) =>
      fact.key !== key &&
      valueKey(fact.value) !== target &&
      valueKey(fact.value) !== storedKey &&
      !(fact.key === undefined && containsWords(storedKey, valueKey(fact.value))),
  );
  sheet.facts.push({ key, value: stored });
}

function spellings(value: string): string[] {
  return value.split(SPELLING_SEPARATOR);
}

/**
 * Compares a slot's stored value with a new one. The result is `spelling` when both state one
 * value in different forms by `valuesMatch` ("March 8th" and "2019-03-08", "7 pm" and "19:00").
 * It is `number` for the same number ("4.4" and "4.40"), which needs only the newest form.
 */
function sameValue(older: string, newer: string): 'spelling' | 'number' | 'different' {
  const [left] = extractValues(spellings(older)[0] as string);
  const [right] = extractValues(newer);
  if (!left || !right) return 'different';
  const numeric = (kind: string) => kind === 'money' || kind === 'number';
  if (numeric(left.kind) && numeric(right.kind)) return Number(left.normalized) === Number(right.normalized) ? 'number' : 'different';
  return valuesMatch(left, right) ? 'spelling' : 'different';
}

/**
 * Cuts the sheet to `maxTokens`: notes go first, oldest first, then the oldest fact items.
 * Returns the rendered text, which may be empty.
 */
export function fitFactSheet(sheet: FactSheet, maxTokens: number, countText: (text: string) => number): string {
  let text = renderFactSheet(sheet);
  if (countText(text) <= maxTokens) return text;
  const notes = [...sheet.notes];
  let facts = [...sheet.facts];
  while (notes.length > 0 && countText(text) > maxTokens) {
    notes.shift();
    text = renderFactSheet({ notes, facts });
  }
  // Drop in proportion to the excess first, then one at a time, so long sheets cost few counts.
  while (facts.length > 0) {
    const tokens = countText(text);
    if (tokens <= maxTokens) break;
    const share = (tokens - maxTokens) / tokens;
    const drop = Math.max(1, Math.floor(facts.length * share * 0.8));
    facts = facts.slice(drop);
    text = renderFactSheet({ notes, facts });
  }
  return text;
}

/**
 * True for a value whose kind shows without its key: a date, time, amount, e-mail address,
 * phone number, URL or id, or a capitalized name. Numbers, lower-case words and
 * True/False keep their key, because "2" or "savings" alone carries no meaning.
 */
function selfDescribing(value: string): boolean {
  const found = extractValues(value);
  const first = found[0];
  if (found.length === 1 && first !== undefined && first.kind !== 'number' && first.raw.length >= value.length - 2) return true;
  return /^\p{Lu}[\p{L}'’&.-]+(?: \S+)*$/u.test(value) && !/^(?:true|false|none|null)$/iu.test(value);
}
