import type { RequestRecord } from '../../src/monitor/record.js';

let sequence = 0;

/** A plain answered message from the primary provider; override what a test needs. */
export function makeRecord(overrides: Partial<RequestRecord> = {}): RequestRecord {
  sequence += 1;
  return {
    messageId: `http:m${sequence}`,
    conversationId: 'http:c1',
    channel: 'http',
    customerId: 'u1',
    receivedAt: Date.UTC(2026, 0, 1),
    endToEndMs: 800,
    queueWaitMs: 20,
    providerMs: 700,
    provider: 'openai',
    model: 'gpt-4o-mini',
    fallbackLevel: 0,
    tokensIn: 1000,
    tokensOut: 200,
    costUsd: 0.00027,
    cacheHit: false,
    validatorOutcome: 'passed',
    validatorReasons: [],
    rateLimitOutcome: 'allowed',
    outcome: 'answer',
    ...overrides,
  };
}
