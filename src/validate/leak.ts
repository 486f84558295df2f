import { normalizeForAnalysis } from '../text/normalize.js';
import type { Rejection } from './types.js';

/** Lower-case letters and digits only, so spacing or punctuation inserted into a canary does not hide it. */
function compact(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

function words(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** Detects leaks of the system prompt: its canary string, or a run of its words quoted verbatim. */
export class PromptLeakDetector {
  private readonly canary: string | undefined;
  private readonly shingles = new Set<string>();

  /**
   * @param canary a string embedded in the system prompt only; at least 8 letters or digits
   * @param systemPrompt the prompt itself, to catch verbatim excerpts
   * @param excerptWords how many consecutive prompt words count as an excerpt
   */
  constructor(canary: string | undefined, systemPrompt: string | undefined, private readonly excerptWords: number) {
    const compactCanary = canary ? compact(normalizeForAnalysis(canary)) : '';
    if (canary && compactCanary.length < 8) {
      throw new RangeError(`Invalid validator canary: it has ${compactCanary.length} letters or digits, and at least 8 are required.`);
    }
    this.canary = compactCanary || undefined;
    if (systemPrompt) {
      const promptWords = words(normalizeForAnalysis(systemPrompt));
      for (let i = 0; i + excerptWords <= promptWords.length; i += 1) {
        this.shingles.add(promptWords.slice(i, i + excerptWords).join(' '));
      }
    }
  }

  /** Checks text already passed through `normalizeForAnalysis`. */
  find(normalized: string): Rejection | undefined {
    if (this.canary && compact(normalized).includes(this.canary)) {
      return { code: 'system_prompt_leak', value: '[canary]', message: 'The answer contains the system prompt canary.' };
    }
    if (this.shingles.size === 0) return undefined;
    const answerWords = words(normalized);
    for (let i = 0; i + this.excerptWords <= answerWords.length; i += 1) {
      if (this.shingles.has(answerWords.slice(i, i + this.excerptWords).join(' '))) {
        return {
          code: 'system_prompt_leak',
          value: `[${this.excerptWords} words]`,
          message: `The answer quotes ${this.excerptWords} or more consecutive words of the system prompt.`,
        };
      }
    }
    return undefined;
  }
}
