import type { ExtractedValue } from './types.js';

const EMAIL_RE = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(?![\p{L}\p{N}])/gu;

const URL_WITH_SCHEME_RE = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+/gi;
/**
 * Bare domains (`shop.example.com/help`), limited to common top-level domains so that
 * abbreviations and file names such as `e.g.` or `index.js` are not taken for links.
 */
const BARE_DOMAIN_RE =
  /(?<![@\p{L}\p{N}._/-])(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+(?:com|net|org|io|co|br|es|mx|ar|cl|pe|uk|us|app|dev|ai|info|biz|shop|store|online|site)(?![\p{L}\p{N}-])(?:[/?#][^\s<>"'`]*)?/giu;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}'"]+$/;

/** `+55 11 98765-4321`, `+1 (555) 123-4567`. */
const INTERNATIONAL_PHONE_RE = /(?<![\p{N}\p{L}])\+\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,5}(?![\p{N}])/gu;
/** `(555) 123-4567`, `(11) 98765-4321`. */
const AREA_CODE_PHONE_RE = /(?<![\p{N}])\(\d{2,3}\)\s?\d{4,5}[\s.-]?\d{4}(?![\p{N}])/gu;
/** `555-123-4567`, `1-800-555-0199`, `555.123.4567`, `555 123 4567`, `11 98765-4321`. */
const GROUPED_PHONE_RE =
  /(?<![\p{N}.,-])(?:1[\s.-])?\d{3}([\s.-])\d{3}\1\d{4}(?![\p{N}]|[.,-]\d)|(?<![\p{N}.,-])\d{2}\s\d{4,5}-\d{4}(?![\p{N}]|[.,-]\d)/gu;

/** Lower-case host of a normalized URL (the part before the first `/`, `?` or `#`). */
export function urlHost(normalizedUrl: string): string {
  return normalizedUrl.split(/[/?#]/, 1)[0]!;
}

/** Canonical URL: scheme, `www.` and a trailing slash removed, host lower-cased. */
export function normalizeUrl(raw: string): string {
  const withoutScheme = raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^www\./i, '');
  const cut = withoutScheme.search(/[/?#]/);
  const host = (cut < 0 ? withoutScheme : withoutScheme.slice(0, cut)).toLowerCase().replace(/\.$/, '');
  const rest = cut < 0 ? '' : withoutScheme.slice(cut).replace(/\/+$/, '');
  return host + rest;
}

/** Finds e-mail addresses. */
export function scanEmails(text: string): ExtractedValue[] {
  return [...text.matchAll(EMAIL_RE)].map((match) => ({
    kind: 'email' as const,
    raw: match[0],
    normalized: match[0].toLowerCase(),
    index: match.index,
  }));
}

/** Finds links with a scheme, `www.` links and bare domains on common top-level domains. */
export function scanUrls(text: string): ExtractedValue[] {
  const found: ExtractedValue[] = [];
  for (const pattern of [URL_WITH_SCHEME_RE, BARE_DOMAIN_RE]) {
    for (const match of text.matchAll(pattern)) {
      const raw = match[0].replace(TRAILING_PUNCTUATION, '');
      if (raw.length < 4) continue;
      found.push({ kind: 'url', raw, normalized: normalizeUrl(raw), index: match.index });
    }
  }
  return found;
}

/** Finds formatted phone numbers with 8 to 15 digits. Unformatted digit runs are left to the id scanner. */
export function scanPhones(text: string): ExtractedValue[] {
  const found: ExtractedValue[] = [];
  for (const pattern of [INTERNATIONAL_PHONE_RE, AREA_CODE_PHONE_RE, GROUPED_PHONE_RE]) {
    for (const match of text.matchAll(pattern)) {
      const digits = match[0].replace(/\D/g, '');
      if (digits.length < 8 || digits.length > 15) continue;
      found.push({ kind: 'phone', raw: match[0].trim(), normalized: digits, index: match.index });
    }
  }
  return found;
}
