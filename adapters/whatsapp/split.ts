/**
 * Splitting of long outbound texts into platform-sized messages.
 * NOTE: a shared `adapters/shared/split.ts` with the same signature is planned; this file
 * keeps the WhatsApp adapters self-contained until the import is switched.
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Split `text` into pieces of at most `maxLength` UTF-16 code units. Cuts prefer a paragraph
 * break, then a line break, then whitespace, and never fall inside a grapheme cluster (an
 * emoji sequence or a letter with combining marks), except when one cluster alone is longer
 * than `maxLength`. Whitespace at a cut is dropped. Returns `[]` for blank text.
 */
export function splitText(text: string, maxLength: number): string[] {
  if (!Number.isInteger(maxLength) || maxLength < 1) {
    throw new RangeError(`maxLength must be a positive integer, got ${maxLength}`);
  }
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > maxLength) {
    const cut = findCut(rest, maxLength);
    const piece = rest.slice(0, cut).trimEnd();
    if (piece.length > 0) chunks.push(piece);
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) chunks.push(rest);
  return chunks;
}

/** Index in `text` where the next piece ends; always in 1..maxLength. */
function findCut(text: string, maxLength: number): number {
  const head = text.slice(0, maxLength + 1);
  // A break is only taken if it leaves the piece at least half full, because otherwise a long
  // paragraph after a short one would produce a run of tiny messages.
  const minimum = Math.floor(maxLength / 2);

  const paragraph = head.lastIndexOf('\n\n', maxLength);
  if (paragraph >= minimum) return paragraph;

  const line = head.lastIndexOf('\n', maxLength);
  if (line >= minimum) return line;

  const space = lastWhitespace(head, maxLength);
  if (space > 0) return space;

  return lastGraphemeBoundary(text, maxLength);
}

function lastWhitespace(head: string, maxLength: number): number {
  for (let i = Math.min(maxLength, head.length - 1); i > 0; i--) {
    if (/\s/.test(head[i] ?? '')) return i;
  }
  return -1;
}

/** Largest grapheme boundary at or below `maxLength`, or the end of the first cluster. */
function lastGraphemeBoundary(text: string, maxLength: number): number {
  // Segment a little past the limit so the cluster that straddles it is seen whole.
  const window = text.slice(0, maxLength + 64);
  let boundary = 0;
  for (const { index, segment } of segmenter.segment(window)) {
    const end = index + segment.length;
    if (end > maxLength) {
      if (boundary > 0) return boundary;
      return cutCodePoints(segment, maxLength);
    }
    boundary = end;
  }
  return boundary;
}

/** A cluster longer than the limit is cut between code points, never inside a surrogate pair. */
function cutCodePoints(segment: string, maxLength: number): number {
  let end = 0;
  for (const codePoint of segment) {
    if (end + codePoint.length > maxLength) break;
    end += codePoint.length;
  }
  return Math.max(end, 1);
}
