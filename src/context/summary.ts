import { extractKeyFacts } from './facts.js';
import { isQuestion, isSmallTalk } from './importance.js';
import { fitSummaryToTokens } from './summary-text.js';
import { truncateToTokens } from './truncate.js';
import type { HistoryMessage } from './types.js';

/** Writes text from a prompt; a cheap chat model in production. */
export type SummaryLlm = (prompt: string) => Promise<string>;

export interface SummarizeOptions {
  /** Writes an abstractive summary; without it the summary is extractive. */
  llm?: SummaryLlm;
  /** Cap on summary tokens; older lines without facts go first. 600 by default. */
  maxTokens?: number;
  /** Token counter of the target model; a 4-characters-per-token estimate by default. */
  countText?: (text: string) => number;
}

export interface SummaryResult {
  /** New rolling summary: previous summary plus the given messages. */
  text: string;
  /** Ids of the messages this call folded into the summary. */
  coveredIds: number[];
  /** Highest covered id; store it as the conversation's `summaryCoversUpTo`. */
  coversUpTo: number | undefined;
  /** Whether the LLM wrote the new part. */
  abstractive: boolean;
}

const DEFAULT_MAX_SUMMARY_TOKENS = 600;
/** Maximum characters of message text per summary line; facts lost in the cut are re-appended. */
const MAX_LINE_CHARS = 240;

const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

/**
 * Folds `messages` into the rolling summary. With `options.llm` it requests a concise fact
 * list, re-appends any key fact the LLM left out, and falls back to the extractive form
 * when the LLM fails or returns nothing. The result is capped at `maxTokens`.
 */
export async function summarize(
  messages: readonly HistoryMessage[],
  previousSummary: string | undefined,
  options: SummarizeOptions = {},
): Promise<SummaryResult> {
  if (!options.llm || messages.length === 0) return summarizeExtractive(messages, previousSummary, options);

  let written: string;
  try {
    written = (await options.llm(buildSummaryPrompt(messages, previousSummary))).trim();
  } catch {
    return summarizeExtractive(messages, previousSummary, options);
  }
  if (written === '') return summarizeExtractive(messages, previousSummary, options);

  const lowered = written.toLowerCase();
  const missing = messages
    .flatMap((message) => extractKeyFacts(message.content))
    .filter((fact, index, all) => all.indexOf(fact) === index && !lowered.includes(fact.toLowerCase()));
  const text = missing.length > 0 ? `${written}\n- facts: ${missing.join(', ')}` : written;
  return finishSummary(text, messages, options, true);
}

/** Builds the summary as bullet lines taken from the messages themselves; no LLM. */
export function summarizeExtractive(
  messages: readonly HistoryMessage[],
  previousSummary: string | undefined,
  options: SummarizeOptions = {},
): SummaryResult {
  const lines = (previousSummary ?? '').split('\n').filter((line) => line.trim() !== '');
  for (const message of messages) {
    const line = summaryLine(message);
    if (line !== undefined && !lines.includes(line)) lines.push(line);
  }
  return finishSummary(lines.join('\n'), messages, options, false);
}

function finishSummary(
  text: string,
  messages: readonly HistoryMessage[],
  options: SummarizeOptions,
  abstractive: boolean,
): SummaryResult {
  const countText = options.countText ?? estimateTokens;
  const capped = fitSummaryToTokens(text, options.maxTokens ?? DEFAULT_MAX_SUMMARY_TOKENS, countText);
  const coveredIds = messages.map((message) => message.id).sort((a, b) => a - b);
  return { text: capped, coveredIds, coversUpTo: coveredIds.at(-1), abstractive };
}

/** Builds one bullet for a message, or undefined for small talk and fact-free assistant questions. */
function summaryLine(message: HistoryMessage): string | undefined {
  const text = message.content.replace(/\s+/gu, ' ').trim();
  if (message.role === 'tool') return `- tool ${message.name ?? ''} returned: ${compact(text)}`;
  if (message.role === 'assistant' && message.toolCalls?.length) {
    const calls = message.toolCalls.map((call) => `${call.name} ${JSON.stringify(call.arguments)}`).join('; ');
    return `- assistant called ${calls}${text ? ` and said: ${compact(text)}` : ''}`;
  }
  if (text === '' || isSmallTalk(text)) return undefined;
  const facts = extractKeyFacts(text);
  if (message.role === 'assistant') {
    if (facts.length === 0 && isQuestion(text)) return undefined;
    return `- assistant: ${compact(text)}`;
  }
  return `- customer ${isQuestion(text) ? 'asked' : 'said'}: ${compact(text)}`;
}

/** Cuts a long text at a grapheme boundary and re-appends the facts the cut removed. */
function compact(text: string): string {
  if (text.length <= MAX_LINE_CHARS) return text;
  const cut = truncateToTokens(text, MAX_LINE_CHARS, (part) => part.length);
  const lost = extractKeyFacts(text).filter((fact) => !cut.includes(fact));
  return lost.length > 0 ? `${cut} (facts: ${lost.join(', ')})` : cut;
}

/** Prompt for the summary model; model-facing, so plain English. */
export function buildSummaryPrompt(messages: readonly HistoryMessage[], previousSummary: string | undefined): string {
  const transcript = messages
    .map((message) => {
      let speaker = 'assistant';
      if (message.role === 'user') speaker = 'customer';
      if (message.role === 'tool') speaker = `tool ${message.name ?? ''}`;
      const calls = message.toolCalls?.map((call) => ` [calls ${call.name} ${JSON.stringify(call.arguments)}]`).join('') ?? '';
      return `${speaker}: ${message.content}${calls}`;
    })
    .join('\n');
  return [
    'Update the running summary of a customer-support conversation.',
    'Write a short bullet list ("- " per line) of facts only: order, account and invoice ids, amounts,',
    'e-mail addresses, dates, what the customer wants, what was done, and any question still open.',
    'Copy every id, amount, e-mail and date exactly. Leave out greetings and thanks. At most 12 bullets.',
    '',
    'Current summary:',
    previousSummary?.trim() || '(none)',
    '',
    'New messages:',
    transcript,
  ].join('\n');
}
