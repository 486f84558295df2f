/** Public surface of the guard: rate limits, risk, lists and input checks in front of the agent. */
export { createGuard, type Guard, type GuardLimits, type GuardOptions } from './guard.js';
export { guardEnv, guardOptionsFromEnv, type GuardEnv, type GuardEnvOptions } from './config.js';
export { GuardError, type GuardErrorCode } from './errors.js';
export { GuardAdmin } from './lists.js';
export { adaptiveLimit, AdaptiveLimiter, type LimitWindow } from './limiter.js';
export { noticeText, formatWait } from './notice.js';
export { RiskTracker, DEFAULT_RISK_WEIGHTS, type RiskExplanation, type RiskSignal, type RiskWeights } from './risk.js';
export { MemoryGuardStore, type GuardStore, type AuditEntry, type BlockEntry } from './store.js';
export { senderKeyOf, type GuardDecision, type GuardStats, type InputRejectReason, type SenderKey } from './types.js';
