import { urlHost } from '../text/contacts.js';
import { extractFromNormalized, GROUNDED_KINDS, valuesMatch } from '../text/values.js';
import type { ExtractedValue, ValueKind } from '../text/types.js';
import type { FactIndex } from './facts.js';
import { redactValue } from './redact.js';
import type { Rejection, RejectionCode } from './types.js';

const KIND_LABELS: Record<ValueKind, string> = {
  money: 'amount',
  order_id: 'order number',
  account_id: 'account number',
  date: 'date',
  time: 'time',
  email: 'e-mail address',
  phone: 'phone number',
  url: 'link',
  number: 'number',
};

/** Human label of a value kind, used in rejection messages and correction notes. */
export function kindLabel(kind: ValueKind): string {
  return KIND_LABELS[kind];
}

function hostAllowed(host: string, domains: readonly string[]): boolean {
  return domains.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

const DIGIT_KINDS: readonly ValueKind[] = ['phone', 'order_id', 'account_id'];

function supported(value: ExtractedValue, facts: FactIndex): boolean {
  if (value.kind === 'url' && hostAllowed(urlHost(value.normalized), facts.domains)) return true;
  const sameFamily = value.kind === 'order_id' || value.kind === 'account_id' ? ['order_id', 'account_id'] : [value.kind];
  for (const kind of sameFamily as ValueKind[]) {
    if ((facts.byKind.get(kind) ?? []).some((fact) => valuesMatch(value, fact))) return true;
  }
  if (!DIGIT_KINDS.includes(value.kind)) return false;
  // A bare digit run may be read as a phone in one text and as an id in another
  // ("call 5551234567" versus "customer_id: 5551234567"): equal digits support each other.
  const digits = value.normalized.replace(/\D/g, '');
  if (digits.length < 6) return false;
  return DIGIT_KINDS.some((kind) => (facts.byKind.get(kind) ?? []).some((fact) => fact.normalized.replace(/\D/g, '') === digits));
}

/**
 * Lists answer values that no fact supports. `normalized` and `unfolded` are the answer after
 * `normalizeForAnalysis` with and without look-alike folding; they have the same length, so an
 * e-mail or link whose two spellings differ was written with look-alike letters.
 */
export function findUngrounded(normalized: string, unfolded: string, locale: string, facts: FactIndex): Rejection[] {
  const found: Rejection[] = [];
  for (const value of extractFromNormalized(normalized, locale)) {
    if (!GROUNDED_KINDS.includes(value.kind)) continue;
    const redacted = redactValue(value.kind, value.raw, value.normalized);
    if ((value.kind === 'email' || value.kind === 'url') && unfolded.slice(value.index, value.index + value.raw.length) !== value.raw) {
      found.push({
        code: 'lookalike_characters',
        kind: value.kind,
        value: redacted,
        message: `The ${kindLabel(value.kind)} ${redacted} is spelled with look-alike letters from another script.`,
      });
      continue;
    }
    if (supported(value, facts)) continue;
    found.push({
      code: `hallucinated_${value.kind}` as RejectionCode,
      kind: value.kind,
      value: redacted,
      message: `The ${kindLabel(value.kind)} ${redacted} matches no tool result, knowledge text or customer message.`,
    });
  }
  return found;
}
