import type { ValueKind } from '../text/types.js';

/** A candidate answer from a provider, checked before it is sent. */
export interface Candidate {
  text: string;
  /** The provider's finish reason; `length` means the answer was cut off. */
  finishReason: string;
  provider: string;
  /** The customer's locale (BCP 47); the answer must be in its language. */
  locale: string;
}

/** What the answer may rely on. */
export interface Facts {
  /** Tool results as returned by the tools: objects, arrays or JSON strings. */
  toolResults: unknown[];
  /** FAQ and knowledge-base texts given to the model for this answer. */
  knowledge: string[];
  /** Messages the customer wrote in this conversation, before this answer. */
  customerMessages: string[];
  /** The operator's own phone numbers, domains and e-mail addresses, always allowed. */
  allowlist: string[];
}

/** Stable rejection codes; the agent chooses retry or fallback from these, never from messages. */
export type RejectionCode =
  | 'empty'
  | 'truncated'
  | 'wrong_language'
  | `hallucinated_${Exclude<ValueKind, 'number'>}`
  | 'lookalike_characters'
  | 'sensitive_ssn'
  | 'sensitive_cpf'
  | 'sensitive_card'
  | 'sensitive_secret'
  | 'system_prompt_leak';

/** One reason to reject a candidate. `value` is redacted so the rejection can be logged. */
export interface Rejection {
  code: RejectionCode;
  kind?: ValueKind;
  value?: string;
  message: string;
}

export type ValidationResult = { ok: true } | { ok: false; reasons: Rejection[] };
