import { describe, expect, it } from 'vitest';
import { splitText } from '../../adapters/shared/split.js';

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const graphemesOf = (text: string): string[] => [...graphemeSegmenter.segment(text)].map((s) => s.segment);

/** True when no piece starts or ends with half of a surrogate pair. */
function surrogatesIntact(pieces: string[]): boolean {
  return pieces.every((piece) => !/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(piece));
}

describe('splitText', () => {
  it('returns short text unchanged', () => {
    expect(splitText('Hello there', 4096)).toEqual(['Hello there']);
  });

  it('returns nothing for blank text', () => {
    expect(splitText('  \n ', 4096)).toEqual([]);
  });

  it('rejects a limit below 2', () => {
    expect(() => splitText('abc', 1)).toThrow(RangeError);
  });

  it('prefers paragraph breaks', () => {
    const first = 'a'.repeat(60);
    const second = 'b b b b b b b b b b'.repeat(3);
    const pieces = splitText(`${first}\n\n${second}`, 80);
    expect(pieces[0]).toBe(first);
    expect(pieces.join(' ').replace(/\s+/g, ' ')).toBe(`${first} ${second}`.replace(/\s+/g, ' '));
  });

  it('uses line breaks when no paragraph break fits', () => {
    const text = `${'x'.repeat(50)}\n${'y'.repeat(50)}`;
    expect(splitText(text, 80)).toEqual(['x'.repeat(50), 'y'.repeat(50)]);
  });

  it('splits at word boundaries', () => {
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`);
    const pieces = splitText(words.join(' '), 100);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(100);
      expect(piece).toMatch(/^word\d+( word\d+)*$/);
    }
    expect(pieces.join(' ')).toBe(words.join(' '));
  });

  it('keeps every piece within the limit for long text', () => {
    const text = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(400);
    const pieces = splitText(text, 4096);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(4096);
    expect(pieces.join(' ')).toBe(text.trim());
  });

  it('never cuts a ZWJ emoji sequence', () => {
    const family = '👨‍👩‍👧‍👦';
    const text = family.repeat(30);
    for (const limit of [11, 12, 13, 21, 22, 25, 26]) {
      const pieces = splitText(text, limit);
      expect(pieces.join('')).toBe(text);
      for (const piece of pieces) {
        expect(piece.length).toBeLessThanOrEqual(limit);
        expect(graphemesOf(piece).every((g) => g === family)).toBe(true);
      }
    }
  });

  it('never cuts a surrogate pair or combining mark', () => {
    const text = `${'😀'.repeat(20)}${'e\u0301'.repeat(20)}${'👍🏽'.repeat(10)}`;
    for (let limit = 4; limit <= 9; limit++) {
      const pieces = splitText(text, limit);
      expect(pieces.join('')).toBe(text);
      expect(surrogatesIntact(pieces)).toBe(true);
      for (const piece of pieces) expect(piece.startsWith('\u0301')).toBe(false);
    }
  });

  it('keeps flag pairs together in long runs', () => {
    const flags = ['🇧🇷', '🇵🇹', '🇪🇸'];
    const text = flags.join('').repeat(40);
    for (const limit of [30, 31, 97, 130]) {
      const pieces = splitText(text, limit);
      expect(pieces.join('')).toBe(text);
      for (const piece of pieces) {
        expect(piece.length).toBeLessThanOrEqual(limit);
        expect(graphemesOf(piece).every((g) => flags.includes(g))).toBe(true);
      }
    }
  });

  it('puts an emoji at the limit into the next piece', () => {
    const text = `${'a'.repeat(9)}😀bc`;
    expect(splitText(text, 10)).toEqual(['a'.repeat(9), '😀bc']);
  });

  it('never splits inside an unbreakable span', () => {
    const text = `${'word '.repeat(15)}<b>bold words here</b> <a href="https://example.com/x">link text</a> &amp; more`;
    const pieces = splitText(text, 90, { unbreakable: /<[^>]*>[^<]*<\/[^>]*>|&\w+;/ });
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(90);
      expect(piece.match(/<b>/g)?.length ?? 0).toBe(piece.match(/<\/b>/g)?.length ?? 0);
      expect(piece.match(/<a /g)?.length ?? 0).toBe(piece.match(/<\/a>/g)?.length ?? 0);
      expect(piece).not.toMatch(/&(?!amp;)/);
    }
    expect(pieces.join(' ')).toBe(text);
  });

  it('splits an unbreakable span longer than the limit', () => {
    const text = `**${'x'.repeat(30)}**`;
    const pieces = splitText(text, 10, { unbreakable: /\*\*[^*]+\*\*/ });
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(10);
  });
});
