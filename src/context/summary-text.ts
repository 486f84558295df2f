import { extractKeyFacts, hasKeyFacts } from './facts.js';
import { truncateToTokens } from './truncate.js';

/** Heading of the summary section in the system prompt. */
export const DEFAULT_SUMMARY_HEADING = 'Earlier in this conversation (summary of older messages):';

/** Appends the summary section to the system prompt; returns the prompt alone without a summary. */
export function composeSystem(system: string, summary: string | undefined, heading = DEFAULT_SUMMARY_HEADING): string {
  if (summary === undefined || summary.trim() === '') return system;
  const section = `${heading}\n${summary.trim()}`;
  return system.trim() === '' ? section : `${system}\n\n${section}`;
}

/**
 * Shortens a bullet-list summary to `maxTokens` and loses as few facts as it can. It drops
 * lines without key facts oldest first, then reduces the oldest lines to the facts no later
 * line repeats, then drops the oldest lines, and finally cuts the text of the last line.
 */
export function fitSummaryToTokens(summary: string, maxTokens: number, countText: (text: string) => number): string {
  const lines = summary.split('\n').filter((line) => line.trim() !== '');
  const fits = (): boolean => countText(lines.join('\n')) <= maxTokens;

  for (let index = 0; index < lines.length && !fits(); ) {
    if (lines.length > 1 && !hasKeyFacts(lines[index] as string)) lines.splice(index, 1);
    else index += 1;
  }
  for (let index = 0; index < lines.length - 1 && !fits(); ) {
    const later = lines.slice(index + 1).join('\n').toLowerCase();
    const facts = extractKeyFacts(lines[index] as string).filter((fact) => !later.includes(fact.toLowerCase()));
    if (facts.length === 0) {
      lines.splice(index, 1);
      continue;
    }
    const reduced = `${FACTS_PREFIX}${facts.join(', ')}`;
    if (reduced !== lines[index]) lines[index] = reduced;
    index += 1;
  }
  while (lines.length > 1 && !fits()) lines.shift();
  if (fits()) return lines.join('\n');
  return truncateToTokens(lines.join('\n'), maxTokens, countText);
}

/** Start of a summary line reduced to its facts. */
export const FACTS_PREFIX = '- facts: ';
