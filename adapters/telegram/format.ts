/**
 * Rendering of core texts for Telegram.
 *
 * The core writes plain text in which the only markup is `**bold**`. Telegram gets it with
 * `parse_mode: 'HTML'`: every `<`, `>` and `&` is escaped and each bold run becomes `<b>`.
 * HTML was chosen over MarkdownV2 because it needs only three escapes, where MarkdownV2
 * reserves eighteen characters that customer-facing prose uses all the time.
 */

import { splitText } from '../shared/split.js';

/** Telegram's limit for one message: 4,096 characters after entity parsing (Bot API docs). */
export const TELEGRAM_MAX_TEXT_LENGTH = 4096;

/** A `**bold**` run on one paragraph; the core's only markup. */
const BOLD_PATTERN = /\*\*(?=\S)([^*\n]+?)\*\*/g;

/** One piece of an outgoing text, ready for sendMessage. */
export interface RenderedChunk {
  /** Text with `parse_mode: 'HTML'`. */
  html: string;
  /** Same text with the markup removed, sent without a parse mode if the HTML is rejected. */
  plain: string;
}

/** Escape the three characters that Telegram's HTML parse mode reserves. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Convert core text to Telegram HTML: escape it, then turn `**bold**` runs into `<b>`. */
export function toTelegramHtml(text: string): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(BOLD_PATTERN)) {
    html += escapeHtml(text.slice(last, match.index));
    html += `<b>${escapeHtml(match[1] ?? '')}</b>`;
    last = match.index + match[0].length;
  }
  return html + escapeHtml(text.slice(last));
}

/** Remove `**` markers, keeping the words they wrapped. */
export function stripMarkup(text: string): string {
  return text.replace(BOLD_PATTERN, '$1');
}

/**
 * Split core text into chunks under `maxLength` and render each one.
 * Splitting happens on the source text with bold runs kept whole, so a `<b>` never spans two
 * messages and no escape sequence is cut. The source is never shorter than what Telegram
 * counts (markers and escapes are not counted), so each rendered chunk fits as well.
 */
export function renderChunks(text: string, maxLength = TELEGRAM_MAX_TEXT_LENGTH): RenderedChunk[] {
  return splitText(text, maxLength, { unbreakable: BOLD_PATTERN }).map((piece) => ({
    html: toTelegramHtml(piece),
    plain: stripMarkup(piece),
  }));
}
