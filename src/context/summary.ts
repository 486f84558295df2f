import { extractMessageFacts } from './fact-extract.js';
import { addFact, parseFactSheet, renderFactSheet } from './fact-sheet.js';
import { extractKeyFacts } from './facts.js';
import { fitSummaryToTokens } from './summary-text.js';
import type { HistoryMessage } from './types.js';

/** Writes text from a prompt; a cheap chat model in production. */
export type SummaryLlm = (prompt: string) => Promise<string>;

export interface SummarizeOptions {
  /** Writes an abstractive summary; without it the summary is extractive. */
  llm?: SummaryLlm;
  /** Cap on summary tokens; notes go first, then the least recently mentioned facts. 600 by default. */
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
  const sheet = parseFactSheet(written);
  for (const value of missing) addFact(sheet, { value });
  const text = renderFactSheet(sheet);
  return finishSummary(text, messages, options, true);
}

/**
 * Folds `messages` into the fact sheet of the previous summary (see fact-sheet.ts): values
 * from tool calls, tool results and message text, deduplicated, newest value per slot.
 * Lines of the previous summary that are not the fact line are kept as notes. No LLM.
 */
export function summarizeExtractive(
  messages: readonly HistoryMessage[],
  previousSummary: string | undefined,
  options: SummarizeOptions = {},
): SummaryResult {
  const sheet = parseFactSheet(previousSummary);
  let previous: HistoryMessage | undefined;
  for (const message of messages) {
    for (const fact of extractMessageFacts(message, previous)) addFact(sheet, fact);
    if (message.role !== 'tool' && message.content.trim() !== '') previous = message;
  }
  return finishSummary(renderFactSheet(sheet), messages, options, false);
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
