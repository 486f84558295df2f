import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SUPPORTED_LOCALES } from '../../i18n.js';

const perLocale = <T extends z.ZodType>(value: T) =>
  z.object(Object.fromEntries(SUPPORTED_LOCALES.map((locale) => [locale, value])) as Record<
    (typeof SUPPORTED_LOCALES)[number],
    T
  >);

const faqSchema = z.object({
  /** Changes whenever the answers change; cached answers are keyed on it. */
  version: z.string().min(1),
  business: z.object({
    name: z.string(),
    supportEmail: z.string().optional(),
    supportPhone: z.string().optional(),
    domain: z.string().optional(),
  }),
  /** Phrases that mean "let me talk to a person", per locale, matched after accent folding. */
  handoffPhrases: perLocale(z.array(z.string().min(1))),
  entries: z
    .array(
      z.object({
        id: z.string().min(1),
        questions: perLocale(z.array(z.string().min(1)).min(1)),
        answers: perLocale(z.string().min(1)),
      }),
    )
    .min(1),
});

export type Faq = z.infer<typeof faqSchema>;
export type FaqEntry = Faq['entries'][number];

export class FaqFileError extends Error {
  override readonly name = 'FaqFileError';
}

/** Read and check the FAQ file; a malformed file stops start-up with the path and the problem. */
export function loadFaq(path: string): Faq {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new FaqFileError(`FAQ file ${path} could not be read as JSON: ${(error as Error).message}`);
  }
  const parsed = faqSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new FaqFileError(`FAQ file ${path} is invalid at ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
