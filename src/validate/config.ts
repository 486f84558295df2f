import { z } from 'zod';

/**
 * Environment variables of the response validator, to be merged into the application's config
 * schema. `validatorOptionsFromEnv` turns the parsed result into `ValidatorOptions` fields.
 */
export const validateEnv = z.object({
  /** Canary string embedded in the system prompt; an answer that contains it is never sent. */
  VALIDATE_CANARY: z.string().min(8).optional(),
  /** Comma-separated operator phone numbers, domains and e-mail addresses that answers may always state. */
  VALIDATE_ALLOWLIST: z.string().default(''),
  /** Letters an answer needs before its language is checked (shorter answers are not judged). */
  VALIDATE_LANGUAGE_MIN_LETTERS: z.coerce.number().int().min(1).default(40),
});

export type ValidateEnv = z.infer<typeof validateEnv>;

/** Maps the parsed environment to validator options. */
export function validatorOptionsFromEnv(env: ValidateEnv): { canary?: string; allowlist: string[]; languageMinLetters: number } {
  return {
    ...(env.VALIDATE_CANARY ? { canary: env.VALIDATE_CANARY } : {}),
    allowlist: env.VALIDATE_ALLOWLIST.split(',').map((entry) => entry.trim()).filter(Boolean),
    languageMinLetters: env.VALIDATE_LANGUAGE_MIN_LETTERS,
  };
}
