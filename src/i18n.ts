import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Locales that ship with frontdesk; every customer-facing text exists in each. */
export const SUPPORTED_LOCALES = ['en', 'pt-BR', 'es'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

const LOCALES_DIR = join(import.meta.dirname, '..', 'locales');

type Catalog = Record<string, string>;

function loadCatalog(locale: Locale): Catalog {
  const dir = join(LOCALES_DIR, locale);
  const catalog: Catalog = {};
  // Each file is one namespace: `guard.json` holds keys read as `guard.<key>`.
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
    const namespace = file.slice(0, -'.json'.length);
    const entries = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, string>;
    for (const [key, value] of Object.entries(entries)) catalog[`${namespace}.${key}`] = value;
  }
  return catalog;
}

const catalogs = new Map<Locale, Catalog>(SUPPORTED_LOCALES.map((l) => [l, loadCatalog(l)]));

/** Map any BCP 47 tag to the closest shipped locale: `pt`, `pt-PT` -> `pt-BR`, `es-MX` -> `es`. */
export function resolveLocale(tag: string | undefined | null): Locale {
  if (!tag) return 'en';
  const lower = tag.toLowerCase();
  if (lower.startsWith('pt')) return 'pt-BR';
  if (lower.startsWith('es')) return 'es';
  return 'en';
}

/**
 * Return the text for `key` in `locale`, with `{name}` placeholders filled from `vars`.
 * Falls back to English, then to the key itself, so a missing text is visible but never fatal.
 */
export function t(locale: string, key: string, vars: Record<string, string | number> = {}): string {
  const resolved = resolveLocale(locale);
  const template = catalogs.get(resolved)?.[key] ?? catalogs.get('en')?.[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

/** Every key of a locale; used by tests to check that all locales carry the same keys. */
export function catalogKeys(locale: Locale): string[] {
  return Object.keys(catalogs.get(locale) ?? {}).sort();
}
