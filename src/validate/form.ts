import { detectAll } from 'tinyld';
import type { Candidate, Rejection } from './types.js';

/** Languages the form check judges; other locales are not checked. */
const CHECKED_LANGUAGES = ['en', 'pt', 'es'] as const;
const LANGUAGE_NAMES: Record<string, string> = { en: 'English', pt: 'Portuguese', es: 'Spanish' };

/** Language code (`en`, `pt`, `es`) of a BCP 47 locale, or undefined when it is not checked. */
export function languageOf(locale: string): string | undefined {
  const language = locale.toLowerCase().split(/[-_]/, 1)[0]!;
  return (CHECKED_LANGUAGES as readonly string[]).includes(language) ? language : undefined;
}

/** Returns the English name of a checked language code, `pt` -> `Portuguese`. */
export function languageName(language: string): string {
  return LANGUAGE_NAMES[language] ?? language;
}

/** Parts of an answer that carry no language: links, e-mails, placeholders, numbers, symbols. */
const NON_LANGUAGE = /https?:\/\/\S+|\S+@\S+|<[^>]*>|[\p{N}\p{S}\p{P}]+/gu;

export interface LanguageCheckOptions {
  /** Letters needed before the language is judged; shorter answers always pass. */
  minLetters: number;
}

/**
 * Rejects an answer written in another of the checked languages. The detector (tinyld) is
 * restricted to en, pt and es, and an answer is rejected only when the expected language scores
 * below a quarter of the winner, because pt and es share many short words.
 */
export function checkLanguage(text: string, locale: string, options: LanguageCheckOptions): Rejection | undefined {
  const expected = languageOf(locale);
  if (!expected) return undefined;
  const prose = text.replace(NON_LANGUAGE, ' ').replace(/\s+/g, ' ').trim();
  const letters = prose.replace(/[^\p{L}]/gu, '').length;
  if (letters < options.minLetters) return undefined;
  const scores = detectAll(prose, { only: [...CHECKED_LANGUAGES] });
  const top = scores[0];
  if (!top || top.lang === expected) return undefined;
  const expectedScore = scores.find((score) => score.lang === expected)?.accuracy ?? 0;
  if (expectedScore * 4 > top.accuracy) return undefined;
  return {
    code: 'wrong_language',
    value: top.lang,
    message: `The answer is in ${languageName(top.lang)} but the customer's locale is ${locale}.`,
  };
}

/** Rejects an empty answer and one the provider cut off at its token limit. */
export function checkForm(candidate: Candidate, normalized: string): Rejection[] {
  const found: Rejection[] = [];
  if (normalized.length === 0) found.push({ code: 'empty', message: 'The answer is empty.' });
  if (candidate.finishReason === 'length') {
    found.push({ code: 'truncated', message: 'The answer was cut off at the output token limit.' });
  }
  return found;
}
