import { describe, expect, it } from 'vitest';
import { createValidator, type ValidationResult } from '../../src/validate/index.js';
import { answer, facts } from './helpers.js';

const validate = createValidator({ checkLanguage: false });

function codes(result: ValidationResult): string[] {
  return result.ok ? [] : result.reasons.map((reason) => reason.code);
}

const order = facts({
  toolResults: [
    { order_id: 'ORD-10023', total: 47.15, status: 'shipped', delivery_date: '2026-03-04', window: '18:30' },
    JSON.stringify({ account: { number: '12345678', balance: '4309.67' } }),
    { refund_cents: 1299 },
  ],
  knowledge: ['Our support line +1 (555) 123-4567 is open until 6 pm.'],
  customerMessages: ['Where is my order? I paid R$ 20,00 extra on 3/2/2026.'],
  allowlist: ['help@acme.com', 'acme.com', '+55 11 4000-1234'],
});

describe('grounding accepts supported values', () => {
  it.each([
    ['an amount from a number field', 'Your order total was $47.15.'],
    ['the same amount in reais notation', 'O total foi R$ 47,15.'],
    ['an amount from a string field', 'Your balance is $4,309.67.'],
    ['an amount in cents', 'You will get $12.99 back.'],
    ['an amount the customer wrote', 'I see the extra $20 you paid.'],
    ['the order id', 'Order ORD-10023 has shipped.'],
    ['the order id as digits', 'Order #10023 has shipped.'],
    ['the account number', 'Account 12345678 is active.'],
    ['the date in words', 'It arrives on March 4th.'],
    ['the date in ISO form', 'It arrives on 2026-03-04.'],
    ['the time in 12-hour form', 'Delivery window starts at 6:30 pm.'],
    ['a phone number from the knowledge base', 'Call 555-123-4567 until 6 pm.'],
    ['an allowlisted e-mail', 'Write to help@acme.com.'],
    ['an allowlisted domain', 'See https://www.acme.com/returns and status.acme.com/orders.'],
    ['an allowlisted phone', 'Ligue para (11) 4000-1234.'],
  ])('%s', (_, text) => {
    expect(validate(answer(text), order)).toEqual({ ok: true });
  });

  it('reads the customer date in the customer locale', () => {
    expect(validate(answer('O pagamento de 3/2/2026 foi recebido.', { locale: 'pt-BR' }), order)).toEqual({ ok: true });
  });
});

describe('grounding rejects unsupported values', () => {
  it.each([
    ['an amount off by a cent', 'Your order total was $47.16.', 'hallucinated_money'],
    ['an invented amount in words', 'We refunded 50 dollars.', 'hallucinated_money'],
    ['another order id', 'Order ORD-10024 has shipped.', 'hallucinated_order_id'],
    ['another account', 'Account 12345679 is active.', 'hallucinated_account_id'],
    ['another date', 'It arrives on March 5th.', 'hallucinated_date'],
    ['another time', 'Delivery window starts at 7:30 pm.', 'hallucinated_time'],
    ['an invented phone', 'Call 555-999-0000.', 'hallucinated_phone'],
    ['an invented e-mail', 'Write to refunds@acme-help.com.', 'hallucinated_email'],
    ['an e-mail at an allowlisted domain', 'Write to ceo@acme.com.', 'hallucinated_email'],
    ['a foreign link', 'See https://acme.com.evil.io/login.', 'hallucinated_url'],
  ])('%s', (_, text, code) => {
    expect(codes(validate(answer(text), order))).toEqual([code]);
  });

  it('rejects an allowlisted e-mail in Cyrillic look-alikes', () => {
    const result = validate(answer('Write to hеlp@acmе.com.'), order);
    expect(codes(result)).toEqual(['lookalike_characters']);
  });

  it('rejects a hallucinated amount hidden with zero-width characters', () => {
    expect(codes(validate(answer('Total: $4\u200B7.99'), order))).toEqual(['hallucinated_money']);
  });

  it('redacts ids in the rejection', () => {
    const result = validate(answer('Account 98765432 is active.'), order);
    expect(result.ok ? [] : result.reasons.map((reason) => reason.value)).toEqual(['*5432']);
  });

  it('lists every unsupported value', () => {
    expect(codes(validate(answer('Order ORD-99999 costs $10 and arrives March 9th.'), order))).toEqual([
      'hallucinated_order_id',
      'hallucinated_money',
      'hallucinated_date',
    ]);
  });

  it('ignores plain numbers', () => {
    expect(validate(answer('You have 3 items in 2 boxes.'), facts())).toEqual({ ok: true });
  });

  it('merges the allowlist from options', () => {
    const operator = createValidator({ allowlist: ['support@frontdesk.example'], checkLanguage: false });
    expect(operator(answer('Mail support@frontdesk.example'), facts())).toEqual({ ok: true });
  });
});
