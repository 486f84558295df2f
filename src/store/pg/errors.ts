/**
 * `completeInbound` was called for a claim that another worker superseded: the message was
 * claimed again since, so this result is dropped and the newer claim completes the message.
 */
export class StaleClaimError extends Error {
  override readonly name = 'StaleClaimError';
  readonly code = 'stale_claim';

  constructor(
    readonly messageId: number,
    readonly claim: number,
    readonly currentClaim: number,
  ) {
    super(`claim ${claim} of inbound message ${messageId} was superseded by claim ${currentClaim}; result dropped`);
  }
}
