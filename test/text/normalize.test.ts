import { describe, expect, it } from 'vitest';
import { normalizeForAnalysis } from '../../src/text/normalize.js';

describe('normalizeForAnalysis', () => {
  it('removes zero-width and bidi characters', () => {
    expect(normalizeForAnalysis('41\u200B11\u200C 11\u200D11\u2060 \uFEFF1111\u202E')).toBe('4111 1111 1111');
  });

  it('removes soft hyphens and tag characters', () => {
    expect(normalizeForAnalysis('pass\u00ADword\u{E0041}')).toBe('password');
  });

  it('maps fullwidth digits and letters to ASCII', () => {
    expect(normalizeForAnalysis('４１１１ ＡＢＣ')).toBe('4111 ABC');
  });

  it('maps Unicode dashes to hyphen-minus', () => {
    expect(normalizeForAnalysis('123\u201345\u20106789 \u2212 5')).toBe('123-45-6789 - 5');
  });

  it('maps digits of other scripts', () => {
    expect(normalizeForAnalysis('٣٤٥ and ४२')).toBe('345 and 42');
  });

  it('folds Cyrillic and Greek look-alikes', () => {
    expect(normalizeForAnalysis('ѕuрроrt@ехаmрlе.соm')).toBe('support@example.com');
    expect(normalizeForAnalysis('ΑΚΙΑ')).toBe('AKIA');
  });

  it('keeps look-alikes when folding is off, with equal length', () => {
    const text = 'Mail ѕuрроrt@shop.com\u200B now';
    const folded = normalizeForAnalysis(text);
    const unfolded = normalizeForAnalysis(text, { foldConfusables: false });
    expect(unfolded).toContain('ѕuрроrt');
    expect(unfolded.length).toBe(folded.length);
  });

  it('collapses whitespace and trims', () => {
    expect(normalizeForAnalysis('  a\u00A0\u00A0b\n\t c  ')).toBe('a b c');
  });

  it('leaves accented Latin letters alone', () => {
    expect(normalizeForAnalysis('Olá, você está em São Paulo')).toBe('Olá, você está em São Paulo');
  });
});
