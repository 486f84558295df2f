import { formatCents, parseAmount } from '../text/money.js';
import { normalizeId } from '../text/ids.js';
import { normalizeUrl, urlHost } from '../text/contacts.js';
import { extractValues } from '../text/values.js';
import type { ExtractedValue, ValueKind } from '../text/types.js';
import type { Facts } from './types.js';

/** Values the facts support, grouped by kind, plus the operator's allowlisted domains. */
export interface FactIndex {
  byKind: Map<ValueKind, ExtractedValue[]>;
  domains: string[];
}

/**
 * Field names whose numeric values are money. Tool results often carry bare numbers
 * (`"transfer_amount": "1490"`, `{ "balance": 4309.67 }`) with the currency implied by the field.
 */
const MONEY_KEY = /amount|balance|price|fare|total|cost|fee|rent|refund|charge|paid|due|subtotal|tax|tip|salary|payment|credit|debit|limit|value/i;
const CENTS_KEY = /cents?$/i;
const ID_KEY = /(?:^|_|-|\b)(?:id|number|no|ref|reference|code)$|order|account|invoice|ticket|tracking|protocol|booking|reservation|confirmation/i;
const PHONE_KEY = /phone|tel|mobile|whatsapp|fax/i;
const NUMERIC = /^-?\d+(?:[.,]\d+)*$/;

/** Builds the index of fact values: from tool results (text and field names), knowledge, customer messages and the allowlist. */
export function indexFacts(facts: Facts, locale: string | undefined, staticAllowlist: readonly string[] = []): FactIndex {
  const index: FactIndex = { byKind: new Map(), domains: [] };
  const add = (value: ExtractedValue) => {
    const list = index.byKind.get(value.kind);
    if (list) list.push(value);
    else index.byKind.set(value.kind, [value]);
  };
  for (const result of facts.toolResults) walk(result, undefined, locale, add, 0);
  for (const text of [...facts.knowledge, ...facts.customerMessages]) extractValues(text, locale).forEach(add);
  for (const entry of [...staticAllowlist, ...facts.allowlist]) addAllowlistEntry(entry, index, add);
  return index;
}

function addAllowlistEntry(entry: string, index: FactIndex, add: (value: ExtractedValue) => void): void {
  const trimmed = entry.trim();
  if (!trimmed) return;
  if (trimmed.includes('@')) {
    add({ kind: 'email', raw: trimmed, normalized: trimmed.toLowerCase(), index: 0 });
  } else if (/^\+?[\d\s().-]{8,}$/.test(trimmed)) {
    add({ kind: 'phone', raw: trimmed, normalized: trimmed.replace(/\D/g, ''), index: 0 });
  } else {
    index.domains.push(urlHost(normalizeUrl(trimmed)));
  }
}

/** Maximum nesting followed in a tool result; deeper parts are ignored. */
const MAX_DEPTH = 12;

function walk(node: unknown, key: string | undefined, locale: string | undefined, add: (value: ExtractedValue) => void, depth: number): void {
  if (depth > MAX_DEPTH || node === null || node === undefined) return;
  if (typeof node === 'string') {
    const parsed = depth === 0 ? parseJson(node) : undefined;
    if (parsed !== undefined) return walk(parsed, key, locale, add, depth + 1);
    extractValues(node, locale).forEach(add);
    keyedValue(key, node)?.forEach(add);
    return;
  }
  if (typeof node === 'number' || typeof node === 'bigint') {
    keyedValue(key, String(node))?.forEach(add);
    return;
  }
  if (Array.isArray(node)) {
    for (const item of node) walk(item, key, locale, add, depth + 1);
    return;
  }
  if (typeof node === 'object') {
    for (const [childKey, child] of Object.entries(node)) walk(child, childKey, locale, add, depth + 1);
  }
}

/** Tool results reach the agent as JSON text; a top-level string that parses as an object or array is read as one. */
function parseJson(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads a bare field value by its field name: `balance: 4309.67` is money, `order_id: 10023` an id. */
function keyedValue(key: string | undefined, text: string): ExtractedValue[] | undefined {
  if (!key) return undefined;
  const value = text.trim();
  if (PHONE_KEY.test(key)) {
    const digits = value.replace(/\D/g, '');
    return digits.length >= 8 ? [{ kind: 'phone', raw: value, normalized: digits, index: 0 }] : undefined;
  }
  const values: ExtractedValue[] = [];
  if (MONEY_KEY.test(key) && NUMERIC.test(value)) {
    // Numbers from JSON use `.` for decimals; more than two decimals are cut to whole cents.
    const cents = CENTS_KEY.test(key) ? BigInt(value.replace(/^-/, '').replace(/[.,]\d*$/, '')) : moneyCents(value);
    values.push({ kind: 'money', raw: value, normalized: formatCents(cents), index: 0 });
  }
  if (ID_KEY.test(key) && /^[\p{L}\p{N}][\p{L}\p{N}\s#-]*$/u.test(value) && /\d/.test(value)) {
    const kind = /account/i.test(key) ? 'account_id' : 'order_id';
    values.push({ kind, raw: value, normalized: normalizeId(value), index: 0 });
  }
  return values;
}

/** Cents of a field value; the sign is dropped because answers state a refund of -5 as "$5". */
function moneyCents(value: string): bigint {
  const unsigned = value.replace(/^-/, '');
  const match = /^(\d+)\.(\d+)$/.exec(unsigned);
  return match ? BigInt(match[1]!) * 100n + BigInt(match[2]!.slice(0, 2).padEnd(2, '0')) : parseAmount(unsigned);
}
