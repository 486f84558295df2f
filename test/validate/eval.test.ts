import { describe, expect, it } from 'vitest';
import { createValidator, type Facts } from '../../src/validate/index.js';
import { evaluateRecords, formatReport, type DialogueRecord } from '../../src/validate/eval.js';

const records: DialogueRecord[] = [
  {
    id: 'bank-1',
    turns: [
      { role: 'customer', text: 'What is my checking balance?' },
      {
        role: 'agent',
        text: 'Your checking balance is $4,309.67.',
        grounded_values: { account_type: 'checking', balance: '$4,309.67' },
        api_call: { service: 'Banks', method: 'CheckBalance', parameters: { account_type: 'checking' } },
      },
      { role: 'customer', text: 'Send 1,490 bucks to my landlord.' },
      { role: 'agent', text: 'Please confirm: transfer $1,490 to your landlord.', grounded_values: { amount: '$1,490' } },
    ],
  },
  {
    id: 'events-1',
    turns: [
      { role: 'customer', text: 'Any concerts next week?' },
      {
        role: 'agent',
        text: 'Buddy Guy plays on March 8th at 7:30 pm.',
        grounded_values: { date: 'March 8th', time: '7:30 pm' },
        api_call: { parameters: { date: '2019-03-08' } },
      },
      { role: 'agent', text: 'The show on March 8th starts at 7:30 pm sharp.', grounded_values: { date: 'March 8th' } },
    ],
  },
];

const validator = createValidator();
const check = (text: string, facts: Facts) => validator({ text, finishReason: 'stop', provider: 'eval', locale: 'en' }, facts);

describe('evaluateRecords', () => {
  it('accepts the recorded answers and rejects every mutation', () => {
    const report = evaluateRecords(records, check);
    expect(report.turns).toBe(4);
    expect(report.rejectedTurns).toBe(0);
    expect(report.byKind.money.mutations).toBe(2);
    expect(report.byKind.money.detected).toBe(2);
    expect(report.byKind.time.detected).toBe(report.byKind.time.mutations);
    expect(report.byKind.date.detected).toBe(report.byKind.date.mutations);
    expect(report.totals.recall).toBe(1);
  });

  it('counts an answer that repeats an earlier value without history as rejected', () => {
    const report = evaluateRecords(records, check, { history: false });
    expect(report.rejectedTurns).toBe(1);
    expect(report.falseRejectionCodes).toEqual({ hallucinated_time: 1 });
  });

  it('counts misses of a validator that accepts everything', () => {
    const report = evaluateRecords(records, () => ({ ok: true }));
    expect(report.totals.detected).toBe(0);
    expect(report.totals.recall).toBe(0);
    expect(formatReport(report)).toContain('total');
  });
});
