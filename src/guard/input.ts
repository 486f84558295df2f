import type { Attachment } from '../bus/types.js';
import type { InputRejectReason } from './types.js';

/** Options of `checkInput`. */
export interface InputOptions {
  /** Longest accepted text in Unicode code points, after cleaning. Default 4000. */
  maxChars?: number;
  /**
   * Share of control characters above which a text is rejected instead of cleaned.
   * Default 0.1. At most `CONTROL_CHARS_ALWAYS_STRIPPED` of them are always stripped silently.
   */
  controlCharRejectRatio?: number;
}

/** Result of the input checks: the cleaned text, or the reason and reply of a rejection. */
export type InputResult =
  | { ok: true; text: string }
  | { ok: false; reason: InputRejectReason; replyKey: string; replyVars: Record<string, number> };

/** This many control characters are stripped without a rejection, whatever the text length. */
export const CONTROL_CHARS_ALWAYS_STRIPPED = 2;

// C0 except tab, line feed and carriage return; DEL; C1. Vertical tab, form feed and NEL
// are line breaks in copied documents, so they become "\n" instead of disappearing.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/gu;
const LINE_BREAK_CONTROLS = new Set(['\u000B', '\u000C', '\u0085']);

/**
 * Remove control characters from `text`, turn the line-break ones into "\n", apply NFC and
 * trim. Returns the text and how many control characters it had.
 */
export function cleanText(text: string): { text: string; controlChars: number } {
  let controlChars = 0;
  const stripped = text.replace(CONTROL, (char) => {
    controlChars += 1;
    return LINE_BREAK_CONTROLS.has(char) ? '\n' : '';
  });
  return { text: stripped.normalize('NFC').trim(), controlChars };
}

const ATTACHMENT_REASONS: Record<Attachment['kind'], InputRejectReason> = {
  sticker: 'unsupported_sticker',
  voice: 'unsupported_voice',
  audio: 'unsupported_audio',
  image: 'unsupported_image',
  video: 'unsupported_video',
  file: 'unsupported_file',
  location: 'unsupported_location',
  contact: 'unsupported_contact',
  other: 'unsupported_other',
};

/** i18n key of the reply for a rejection reason, such as `guard.input.sticker`. */
export function replyKeyFor(reason: InputRejectReason): string {
  return `guard.input.${reason.replace(/^unsupported_/, '')}`;
}

function reject(reason: InputRejectReason, replyVars: Record<string, number> = {}): InputResult {
  return { ok: false, reason, replyKey: replyKeyFor(reason), replyVars };
}

/**
 * Check one inbound message. Attachments are rejected first, even with a caption, because
 * the agent cannot see them and a reply to the caption alone would mislead. A few stray
 * control characters are stripped, but text made largely of them is rejected as `control_chars`.
 */
export function checkInput(
  message: { text: string; attachments: Attachment[] },
  options: InputOptions = {},
): InputResult {
  const maxChars = options.maxChars ?? 4000;
  const rejectRatio = options.controlCharRejectRatio ?? 0.1;

  const attachment = message.attachments[0];
  if (attachment) return reject(ATTACHMENT_REASONS[attachment.kind] ?? 'unsupported_other');

  const cleaned = cleanText(message.text);
  const length = [...message.text].length;
  const mostlyControl =
    cleaned.controlChars > CONTROL_CHARS_ALWAYS_STRIPPED && cleaned.controlChars > rejectRatio * length;
  if (mostlyControl || (cleaned.controlChars > 0 && cleaned.text === '')) return reject('control_chars');

  if (cleaned.text === '') return reject('empty');
  if ([...cleaned.text].length > maxChars) return reject('too_long', { max: maxChars });
  return { ok: true, text: cleaned.text };
}
