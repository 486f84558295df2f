import type { ValueKind } from '../text/types.js';

/** Keeps the last `visible` characters of a value and masks the rest, `48213` -> `*213`. */
export function maskTail(value: string, visible = 4): string {
  const compact = value.replace(/\s+/g, '');
  if (compact.length <= visible) return '*'.repeat(compact.length);
  return `*${compact.slice(-visible)}`;
}

/**
 * Returns a form of a value that is safe to log and to quote back to the model: amounts, dates,
 * times and numbers as written, ids and phone numbers with only their last four characters,
 * e-mail addresses with only the first letter of the local part, links as their host.
 */
export function redactValue(kind: ValueKind, raw: string, normalized: string): string {
  switch (kind) {
    case 'order_id':
    case 'account_id':
    case 'phone':
      return maskTail(normalized);
    case 'email': {
      const [local = '', domain = ''] = normalized.split('@');
      return `${local.slice(0, 1)}***@${domain}`;
    }
    case 'url':
      return normalized.split(/[/?#]/, 1)[0]!;
    default:
      return raw;
  }
}
