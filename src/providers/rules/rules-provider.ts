import { resolveLocale, SUPPORTED_LOCALES, t } from '../../i18n.js';
import { likelyLanguages } from '../../text/language.js';
import type { GenerateRequest, GenerateResult, Provider } from '../types.js';
import type { Faq } from './faq.js';
import { HandoffPhrases } from './handoff-phrases.js';
import { FaqMatcher } from './matcher.js';

/**
 * The provider that needs no API key: answers from the FAQ file, recognizes a request for a
 * person, and otherwise says honestly that it does not know and hands over.
 */
export class RulesProvider implements Provider {
  readonly name = 'rules';
  readonly kind = 'rules' as const;
  readonly model: string;
  readonly matcher: FaqMatcher;
  private readonly handoffPhrases: HandoffPhrases;

  constructor(readonly faq: Faq) {
    this.model = `faq@${faq.version}`;
    this.matcher = new FaqMatcher(faq);
    this.handoffPhrases = new HandoffPhrases(faq);
  }

  /** True when `text` asks for a person. */
  wantsPerson(text: string): boolean {
    return this.handoffPhrases.matches(text);
  }

  /** Every FAQ answer in the locale of `tag`; the validator accepts what they state. */
  knowledge(tag: string): string[] {
    return this.matcher.answers(resolveLocale(tag));
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const locale = resolveLocale(request.locale);
    const lastUser = [...request.messages].reverse().find((turn) => turn.role === 'user');
    const question = lastUser?.content ?? '';
    const base = { toolCalls: [], usage: { inputTokens: 0, outputTokens: 0 }, provider: this.name, model: this.model };

    if (this.handoffPhrases.matches(question)) {
      return { ...base, text: '', finishReason: 'stop', handoff: { reason: 'customer_requested' } };
    }
    // Customers often write in another language than their app reports, so when nothing
    // matches in their locale, the locale the text is most likely written in is searched too
    // and the answer follows the match. Only the top language is tried: short replies such
    // as "that is fine" fuzzy-match questions of every locale.
    const top = likelyLanguages(question)[0];
    const other = SUPPORTED_LOCALES.find((candidate) => candidate !== locale && resolveLocale(top) === candidate && top !== undefined);
    for (const candidate of other ? [locale, other] : [locale]) {
      const match = this.matcher.match(question, candidate);
      if (match) return { ...base, text: match.entry.answers[candidate], finishReason: 'stop' };
    }
    return {
      ...base,
      text: t(locale, 'core.rules_unknown'),
      finishReason: 'stop',
      handoff: { reason: 'no_answer' },
    };
  }
}
