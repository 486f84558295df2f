import type { Logger } from 'pino';
import { silentLogger } from '../log.js';
import { normalizeForAnalysis } from '../text/normalize.js';
import { indexFacts } from './facts.js';
import { checkForm, checkLanguage } from './form.js';
import { findUngrounded } from './grounding.js';
import { PromptLeakDetector } from './leak.js';
import { findSensitive } from './sensitive.js';
import type { Candidate, Facts, Rejection, ValidationResult } from './types.js';

export interface ValidatorOptions {
  /** String embedded in the system prompt; an answer that contains it is rejected. */
  canary?: string;
  /** The system prompt, to reject answers that quote `promptExcerptWords` of its words in a row. */
  systemPrompt?: string;
  /** Consecutive system-prompt words that count as a leak (default 12). */
  promptExcerptWords?: number;
  /** Operator phone numbers, domains and e-mail addresses allowed in every answer, on top of `facts.allowlist`. */
  allowlist?: string[];
  /** Judge the answer's language against the customer's locale (default true). */
  checkLanguage?: boolean;
  /** Letters an answer needs before its language is judged (default 40). */
  languageMinLetters?: number;
  logger?: Logger;
}

export type Validate = (candidate: Candidate, facts: Facts) => ValidationResult;

/**
 * Creates the check every candidate answer passes before it is sent. It rejects:
 * - form problems: an empty answer, one cut off at the token limit (`finishReason: 'length'`),
 *   one in another language than the customer's locale (en, pt and es; long answers only);
 * - never-send values, whatever the facts say: SSNs, CPFs, payment card numbers, API keys and
 *   other secrets, and the system prompt (canary or verbatim excerpt);
 * - ungrounded values: an amount, id, date, time, e-mail, phone number or link that matches
 *   nothing in the tool results, knowledge texts, customer messages or allowlist.
 *
 * All checks run on `normalizeForAnalysis` output, so invisible characters, fullwidth digits
 * and look-alike letters do not hide a value.
 *
 * @throws RangeError when `canary` has fewer than 8 letters or digits
 */
export function createValidator(options: ValidatorOptions = {}): Validate {
  const logger = options.logger ?? silentLogger;
  const leaks = new PromptLeakDetector(options.canary, options.systemPrompt, options.promptExcerptWords ?? 12);
  const staticAllowlist = options.allowlist ?? [];
  const languageMinLetters = options.languageMinLetters ?? 40;

  return (candidate, facts) => {
    const normalized = normalizeForAnalysis(candidate.text);
    const reasons: Rejection[] = checkForm(candidate, normalized);
    if (normalized.length > 0) {
      reasons.push(...findSensitive(normalized));
      const leak = leaks.find(normalized);
      if (leak) reasons.push(leak);
      const unfolded = normalizeForAnalysis(candidate.text, { foldConfusables: false });
      const index = indexFacts(facts, candidate.locale, staticAllowlist);
      reasons.push(...findUngrounded(normalized, unfolded, candidate.locale, index));
      if (options.checkLanguage ?? true) {
        const language = checkLanguage(normalized, candidate.locale, { minLetters: languageMinLetters });
        if (language) reasons.push(language);
      }
    }
    if (reasons.length === 0) return { ok: true };
    logger.debug({ provider: candidate.provider, codes: reasons.map((reason) => reason.code) }, 'answer rejected by validator');
    return { ok: false, reasons };
  };
}
