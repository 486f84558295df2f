import { addFact, FACTS_PREFIX, fitFactSheet, parseFactSheet, renderFactSheet, type FactSheet } from './fact-sheet.js';
import { extractKeyFacts, hasKeyFacts } from './facts.js';
import { truncateToTokens } from './truncate.js';

/** Heading of the summary section in the system prompt. */
export const DEFAULT_SUMMARY_HEADING = 'Earlier in this conversation:';

/**
 * Appends the summary section to the system prompt; returns the prompt alone without a
 * summary. A summary that is only the fact line carries its own label and gets no heading.
 */
export function composeSystem(system: string, summary: string | undefined, heading = DEFAULT_SUMMARY_HEADING): string {
  if (summary === undefined || summary.trim() === '') return system;
  const body = summary.trim();
  const factsOnly = body.startsWith(FACTS_PREFIX.trim()) && !body.includes('\n');
  const section = factsOnly ? body : `${heading}\n${body}`;
  return system.trim() === '' ? section : `${system}\n\n${section}`;
}

/**
 * Shortens a summary to `maxTokens` and loses as few facts as it can. It drops note lines
 * without key facts oldest first, then moves the key facts of the remaining notes into the
 * fact line as its oldest items, then drops fact items least recently mentioned first, and
 * finally cuts the text. The result may be empty.
 */
export function fitSummaryToTokens(summary: string, maxTokens: number, countText: (text: string) => number): string {
  if (countText(summary) <= maxTokens) return summary;
  const sheet = parseFactSheet(summary);
  const fits = (): boolean => countText(renderFactSheet(sheet)) <= maxTokens;

  for (let index = 0; index < sheet.notes.length && !fits(); ) {
    if (!hasKeyFacts(sheet.notes[index] as string)) sheet.notes.splice(index, 1);
    else index += 1;
  }
  if (!fits()) reduceNotesToFacts(sheet);
  const text = fitFactSheet(sheet, maxTokens, countText);
  if (countText(text) <= maxTokens) return text;
  return truncateToTokens(text, maxTokens, countText);
}

function reduceNotesToFacts(sheet: FactSheet): void {
  const reduced: FactSheet = { notes: [], facts: [] };
  for (const note of sheet.notes) for (const value of extractKeyFacts(note)) addFact(reduced, { value });
  for (const fact of sheet.facts) addFact(reduced, fact);
  sheet.notes = [];
  sheet.facts = reduced.facts;
}
