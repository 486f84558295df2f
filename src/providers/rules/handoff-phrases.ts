import { detectHandoffRequest } from '../../handoff/triggers.js';
import { SUPPORTED_LOCALES } from '../../i18n.js';
import type { Faq } from './faq.js';
import { foldText } from './fold.js';

/**
 * Recognizes a request for a person in any shipped locale, whatever the customer's locale,
 * because customers often switch language when they ask for help. The operator's phrases
 * from the FAQ file are checked first, then the built-in patterns of `detectHandoffRequest`.
 */
export class HandoffPhrases {
  private readonly phrases: string[];

  constructor(faq: Faq) {
    this.phrases = SUPPORTED_LOCALES.flatMap((locale) => faq.handoffPhrases[locale].map(foldText));
  }

  matches(text: string): boolean {
    const folded = ` ${foldText(text)} `;
    return this.phrases.some((phrase) => folded.includes(` ${phrase} `)) || detectHandoffRequest(text, 'en');
  }
}
