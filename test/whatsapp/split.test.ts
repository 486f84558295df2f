import { describe, expect, it } from 'vitest';
import { splitText } from '../../adapters/whatsapp/split.js';

describe('splitText', () => {
  it('keeps short text whole', () => {
    expect(splitText('Hello there', 50)).toEqual(['Hello there']);
  });

  it('returns nothing for blank text', () => {
    expect(splitText('  \n ', 50)).toEqual([]);
  });

  it('prefers paragraph breaks', () => {
    const first = 'a'.repeat(30);
    const second = 'b'.repeat(30);
    expect(splitText(`${first}\n\n${second}`, 40)).toEqual([first, second]);
  });

  it('falls back to line breaks, then words', () => {
    expect(splitText(`${'x'.repeat(25)}\n${'y'.repeat(25)}`, 30)).toEqual(['x'.repeat(25), 'y'.repeat(25)]);
    expect(splitText('one two three four five six', 10)).toEqual(['one two', 'three four', 'five six']);
  });

  it('never cuts inside an emoji sequence', () => {
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';
    const text = family.repeat(6);
    const chunks = splitText(text, 25);
    expect(chunks.join('')).toBe(text);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(25);
      expect(chunk.length % family.length).toBe(0);
    }
  });

  it('keeps every piece within the limit', () => {
    const text = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
    const chunks = splitText(text, 100);
    expect(chunks.every((chunk) => chunk.length <= 100)).toBe(true);
    expect(chunks.join(' ')).toBe(text);
  });

  it('rejects a non-positive limit', () => {
    expect(() => splitText('abc', 0)).toThrow(RangeError);
  });
});
