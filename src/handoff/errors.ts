export type HandoffErrorCode = 'not_found' | 'already_resolved' | 'claimed_by_other';

/** A handoff operation could not be applied; `code` is stable for callers to branch on. */
export class HandoffError extends Error {
  override readonly name = 'HandoffError';
  readonly code: HandoffErrorCode;
  readonly handoffId: string;

  constructor(code: HandoffErrorCode, handoffId: string, message: string) {
    super(message);
    this.code = code;
    this.handoffId = handoffId;
  }
}
