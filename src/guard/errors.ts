/** Stable codes of guard errors. */
export type GuardErrorCode = 'invalid_window' | 'invalid_limit' | 'invalid_sender';

/** Error for an invalid guard option or admin request; `code` names the rule it broke. */
export class GuardError extends Error {
  override readonly name = 'GuardError';
  readonly code: GuardErrorCode;

  constructor(code: GuardErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
