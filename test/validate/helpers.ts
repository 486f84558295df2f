import type { Candidate, Facts } from '../../src/validate/index.js';

/** A finished English candidate with the given text. */
export function answer(text: string, overrides: Partial<Candidate> = {}): Candidate {
  return { text, finishReason: 'stop', provider: 'openai', locale: 'en', ...overrides };
}

/** Facts with the given parts and empty defaults. */
export function facts(parts: Partial<Facts> = {}): Facts {
  return { toolResults: [], knowledge: [], customerMessages: [], allowlist: [], ...parts };
}
