import MiniSearch from 'minisearch';
import { SUPPORTED_LOCALES, type Locale } from '../../i18n.js';
import type { Faq, FaqEntry } from './faq.js';
import { foldText } from './fold.js';

/** Words that carry no meaning for matching; kept short on purpose so questions stay distinct. */
const STOP_WORDS = new Set(
  [
    'a an the i me my you your we our is are am be do does did can could would will to of in on at for it this that and or with please what how where when why which who',
    'o a os as um uma eu meu minha voce de do da dos das em no na para por e que com se ja qual quais como onde quando',
    'el la los las un una yo mi tu de del en al para por y que con se me lo cual cuales como donde cuando',
  ]
    .join(' ')
    .split(' '),
);

function tokenize(text: string): string[] {
  return foldText(text)
    .split(' ')
    .filter((word) => word.length > 0 && !STOP_WORDS.has(word));
}

export interface FaqMatch {
  entry: FaqEntry;
  score: number;
  /** Share of the query's meaningful words found in the matched question, 0..1. */
  coverage: number;
}

interface QuestionDoc {
  id: string;
  entryIndex: number;
  text: string;
}

/**
 * BM25 search over the FAQ questions with fuzzy and prefix matching (MiniSearch), one index
 * per locale. A hit counts only when it covers enough of what the customer wrote, so a
 * long question that shares one word with an FAQ entry is not answered with it.
 */
export class FaqMatcher {
  private readonly indexes = new Map<Locale, MiniSearch<QuestionDoc>>();

  constructor(
    private readonly faq: Faq,
    private readonly minCoverage = 0.6,
  ) {
    for (const locale of SUPPORTED_LOCALES) {
      const index = new MiniSearch<QuestionDoc>({
        fields: ['text'],
        storeFields: ['entryIndex'],
        tokenize,
        searchOptions: { fuzzy: 0.2, prefix: true, tokenize, combineWith: 'OR' },
      });
      faq.entries.forEach((entry, entryIndex) => {
        entry.questions[locale].forEach((text, i) => index.add({ id: `${entry.id}#${i}`, entryIndex, text }));
      });
      this.indexes.set(locale, index);
    }
  }

  /** Best FAQ entry for `query` in `locale`, or undefined when none is close enough. */
  match(query: string, locale: Locale): FaqMatch | undefined {
    const words = tokenize(query);
    if (words.length === 0) return undefined;
    const results = this.indexes.get(locale)!.search(query);
    const best = results[0];
    if (!best) return undefined;
    const matchedWords = new Set(Object.values(best.match).length > 0 ? best.queryTerms : []);
    const coverage = matchedWords.size / words.length;
    if (coverage < this.minCoverage) return undefined;
    return { entry: this.faq.entries[best.entryIndex as number]!, score: best.score, coverage };
  }

  /** Every FAQ answer in a locale; these are facts the validator accepts. */
  answers(locale: Locale): string[] {
    return this.faq.entries.map((entry) => entry.answers[locale]);
  }
}
