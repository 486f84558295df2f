import type { Candidate, Facts } from '../../src/validate/index.js';

/** Builds a finished English candidate with the given text. */
export function answer(text: string, overrides: Partial<Candidate> = {}): Candidate {
  return { text, finishReason: 'stop', provider: 'openai', locale: 'en', ...overrides };
}

/** Builds facts from the given parts, with empty lists for the rest. */
export function facts(parts: Partial<Facts> = {}): Facts {
  return { toolResults: [], knowledge: [], customerMessages: [], allowlist: [], ...parts };
}
