/** Marker appended to a message cut short to fit the token budget. */
export const TRUNCATION_MARKER = ' […]';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Splits text into grapheme clusters (emoji ZWJ sequences, flags and combining marks stay whole). */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (part) => part.segment);
}

/**
 * Cuts `text` to the longest prefix whose tokens, marker included, fit `maxTokens`.
 * The cut falls only between grapheme clusters, so it never splits a surrogate pair, a
 * ZWJ emoji sequence, a flag or a letter from its combining marks. Returns the text
 * unchanged when it fits, and '' when not even the marker fits.
 */
export function truncateToTokens(
  text: string,
  maxTokens: number,
  countText: (text: string) => number,
  marker = TRUNCATION_MARKER,
): string {
  if (countText(text) <= maxTokens) return text;
  if (countText(marker) > maxTokens) return '';

  const parts = graphemes(text);
  // Binary search on the number of graphemes kept: token counts grow with the prefix.
  let low = 0;
  let high = parts.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (countText(parts.slice(0, middle).join('') + marker) <= maxTokens) low = middle;
    else high = middle - 1;
  }
  return parts.slice(0, low).join('').trimEnd() + marker;
}
