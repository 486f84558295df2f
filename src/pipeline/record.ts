import type { FallbackLevel, OutcomeKind, RateLimitOutcome, RequestRecord, ValidatorOutcome } from '../monitor/record.js';
import type { RequestLogEntry } from '../store/types.js';

const OUTCOMES = new Set<string>(['answer', 'notice', 'handoff', 'relay', 'busy']);

/**
 * Build the monitoring record of a request-log entry. Only failures that reached the customer
 * count as errors there: an apology for an error, or every provider failing. Provider errors
 * that a fallback absorbed stay in the request log's `error_type` column.
 */
export function toRecord(entry: RequestLogEntry): RequestRecord {
  const customerFailed = entry.outcome === 'error' || entry.errorType === 'all_providers_failed';
  return {
    messageId: String(entry.messageId),
    conversationId: entry.conversationId,
    channel: entry.channel,
    customerId: entry.customerId,
    receivedAt: entry.receivedAt,
    endToEndMs: entry.endToEndMs,
    queueWaitMs: entry.queueWaitMs,
    providerMs: entry.providerMs ?? 0,
    provider: entry.provider ?? 'none',
    model: entry.model ?? 'none',
    fallbackLevel: (entry.fallbackLevel ?? 2) as FallbackLevel,
    tokensIn: entry.tokensIn ?? 0,
    tokensOut: entry.tokensOut ?? 0,
    costUsd: entry.costUsd ?? 0,
    cacheHit: entry.cacheHit ?? false,
    validatorOutcome: (entry.validatorOutcome ?? 'skipped') as ValidatorOutcome,
    validatorReasons: entry.validatorReasons ?? [],
    rateLimitOutcome: (entry.rateLimitOutcome ?? 'allowed') as RateLimitOutcome,
    // Limited and blocked messages are notices from monitoring's point of view.
    outcome: (OUTCOMES.has(entry.outcome) ? entry.outcome : 'notice') as OutcomeKind,
    errorType: customerFailed ? (entry.errorType ?? entry.outcome) : undefined,
  };
}
