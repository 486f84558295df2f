/**
 * Splitting of long outgoing texts into pieces that fit a platform's message length limit.
 * Shared by the chat adapters, so it contains no platform-specific rules.
 */

/** Options for {@link splitText}. */
export interface SplitOptions {
  /**
   * Spans that must stay whole, such as a `**bold**` run or an HTML tag. Every match of this
   * pattern (the `g` flag is added when missing) is kept in one piece, unless the match alone
   * is longer than `maxLength`, in which case it is split like ordinary text.
   */
  unbreakable?: RegExp;
}

/** Break kinds, from most to least preferred. */
const BREAK_PATTERNS: RegExp[] = [/\n[ \t]*\n\s*/g, /\n\s*/g, /\s+/g];

/** A piece must fill at least this share of `maxLength` before a weaker break kind is tried. */
const MIN_FILL = 0.5;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Split `text` into pieces of at most `maxLength` UTF-16 code units.
 *
 * Cuts go at the last paragraph break that fits, else at a line break, else at whitespace,
 * else between two graphemes. A cut never falls inside a surrogate pair, a grapheme cluster
 * (emoji with ZWJ or skin tone, letters with combining marks) or an `unbreakable` span.
 * The whitespace at a cut is dropped; all other characters are kept in order.
 * Returns an empty array for an empty or whitespace-only text.
 */
export function splitText(text: string, maxLength: number, options: SplitOptions = {}): string[] {
  if (!Number.isInteger(maxLength) || maxLength < 2) {
    throw new RangeError(`maxLength must be an integer of at least 2, got ${maxLength}`);
  }
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.length <= maxLength) return [trimmed];

  const guard = new CutGuard(trimmed, maxLength, options.unbreakable);
  const pieces: string[] = [];
  let start = 0;
  while (trimmed.length - start > maxLength) {
    const cut = findCut(trimmed, start, maxLength, guard);
    const piece = trimmed.slice(start, cut.end).trimEnd();
    if (piece !== '') pieces.push(piece);
    start = cut.next;
  }
  const rest = trimmed.slice(start);
  if (rest !== '') pieces.push(rest);
  return pieces;
}

interface Cut {
  /** End of the current piece (exclusive). */
  end: number;
  /** Start of the next piece, after any whitespace at the cut. */
  next: number;
}

function findCut(text: string, start: number, maxLength: number, guard: CutGuard): Cut {
  const limit = start + maxLength;
  const minEnd = start + Math.floor(maxLength * MIN_FILL);

  // First pass wants well-filled pieces; the second takes any break so a short first
  // paragraph followed by one huge line still splits at the paragraph.
  for (const minimum of [minEnd, start + 1]) {
    for (const pattern of BREAK_PATTERNS) {
      const cut = lastBreak(text, start, limit, minimum, pattern, guard);
      if (cut) return cut;
    }
  }

  const end = guard.lastSafeBoundary(start + 1, limit);
  return { end, next: end };
}

/** Find the last match of `pattern` that begins inside (minimum, limit] at a safe position. */
function lastBreak(
  text: string,
  start: number,
  limit: number,
  minimum: number,
  pattern: RegExp,
  guard: CutGuard,
): Cut | undefined {
  const window = text.slice(start, limit + 1);
  const ends = Array.from(window.matchAll(pattern), (match) => start + match.index);
  // Walk back from the last break so that usually only one position is checked.
  for (let i = ends.length - 1; i >= 0; i--) {
    const end = ends[i]!;
    if (end < minimum) break;
    if (end > limit || end === start || !guard.isSafe(end)) continue;
    return { end, next: end + skipWhitespace(text, end) };
  }
  return undefined;
}

function skipWhitespace(text: string, from: number): number {
  let position = from;
  while (position < text.length && /\s/.test(text.charAt(position))) position++;
  return position - from;
}

/** Code units looked at on each side of a position to decide if it is a grapheme boundary. */
const GRAPHEME_CONTEXT = 64;

/** Decides where a cut may fall: on grapheme boundaries and outside unbreakable spans. */
class CutGuard {
  private readonly blocked: Uint8Array;

  constructor(
    private readonly text: string,
    maxLength: number,
    unbreakable?: RegExp,
  ) {
    this.blocked = new Uint8Array(text.length + 1);
    if (!unbreakable) return;
    const flags = unbreakable.flags.includes('g') ? unbreakable.flags : `${unbreakable.flags}g`;
    for (const match of text.matchAll(new RegExp(unbreakable.source, flags))) {
      const length = match[0].length;
      if (length === 0 || length > maxLength) continue;
      // Positions strictly inside the span are blocked; its edges stay valid cuts.
      this.blocked.fill(1, match.index + 1, match.index + length);
    }
  }

  isSafe(position: number): boolean {
    return this.blocked[position] !== 1 && this.isGraphemeBoundary(position);
  }

  /**
   * Segment only a small window around `position`. Segmenting the whole text once would be
   * simpler, but Intl.Segmenter iteration on Node 20 took about 0.5 s for 22,000 characters.
   */
  isGraphemeBoundary(position: number): boolean {
    const text = this.text;
    if (position <= 0 || position >= text.length) return true;
    let start = Math.max(0, position - GRAPHEME_CONTEXT);
    if (isLowSurrogate(text.charCodeAt(start))) start -= 1;
    // Flags are pairs of regional indicators, so the window must start at an even count of them.
    while (start >= 2 && isRegionalIndicator(text, start - 2)) start -= 2;
    const end = Math.min(text.length, position + GRAPHEME_CONTEXT);
    for (const segment of graphemes.segment(text.slice(start, end))) {
      const index = start + segment.index;
      if (index === position) return true;
      if (index > position) return false;
    }
    return false;
  }

  /** Last safe cut in [from, to]; falls back to grapheme then code point boundaries. */
  lastSafeBoundary(from: number, to: number): number {
    for (let position = to; position >= from; position--) {
      if (this.isSafe(position)) return position;
    }
    for (let position = to; position >= from; position--) {
      if (this.isGraphemeBoundary(position)) return position;
    }
    // A single grapheme longer than the limit (a long run of combining marks): cut between
    // code points so at least no surrogate pair is broken.
    return isLowSurrogate(this.text.charCodeAt(to)) ? to - 1 : to;
  }
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** True when a regional indicator symbol (U+1F1E6 to U+1F1FF) starts at `index`. */
function isRegionalIndicator(text: string, index: number): boolean {
  const code = text.codePointAt(index) ?? 0;
  return code >= 0x1f1e6 && code <= 0x1f1ff;
}
