import { describe, expect, it } from 'vitest';
import { cacheKey, normalizeQuestion } from '../../src/cache/key.js';

describe('normalizeQuestion', () => {
  it.each([
    ['  What are your   opening HOURS?? ', 'what are your opening hours'],
    ['¿Cuál es el horario?', 'cuál es el horario'],
    ['ｗｈａｔ　ｉｓ ＶＡＴ？', 'what is vat'],
    ['Order #12, please.', 'order #12, please'],
    ['line\none\ttwo', 'line one two'],
    ['?!...', ''],
  ])('normalizes %j', (input, expected) => {
    expect(normalizeQuestion(input)).toBe(expected);
  });
});

describe('cacheKey', () => {
  const scope = { locale: 'en', kbVersion: 'v1' };

  it('matches questions that normalize alike', () => {
    expect(cacheKey('Opening hours?', scope)).toBe(cacheKey('  opening   hours ', scope));
  });

  it('separates locales and versions', () => {
    const key = cacheKey('opening hours', scope);
    expect(cacheKey('opening hours', { ...scope, locale: 'es' })).not.toBe(key);
    expect(cacheKey('opening hours', { ...scope, kbVersion: 'v2' })).not.toBe(key);
  });

  it('keeps question text out of the key', () => {
    expect(cacheKey('opening hours', scope)).not.toContain('opening');
    expect(cacheKey('...', scope)).toBeUndefined();
  });
});
