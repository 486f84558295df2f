/** Stable codes of guard errors. */
export type GuardErrorCode = 'invalid_window' | 'invalid_limit' | 'invalid_sender';

/** A guard option or admin request was invalid; `code` tells which rule it broke. */
export class GuardError extends Error {
  override readonly name = 'GuardError';
  readonly code: GuardErrorCode;

  constructor(code: GuardErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
