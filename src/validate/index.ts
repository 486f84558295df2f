/** Response validation: every candidate answer passes `createValidator(...)` before it is sent. */
export { createValidator, type Validate, type ValidatorOptions } from './validator.js';
export { correctionNote } from './correction.js';
export { validateEnv, validatorOptionsFromEnv, type ValidateEnv } from './config.js';
export { redactValue } from './redact.js';
export type { Candidate, Facts, Rejection, RejectionCode, ValidationResult } from './types.js';
