import { describe, expect, it } from 'vitest';
import { createValidator, type ValidationResult } from '../../src/validate/index.js';
import { isValidCpf } from '../../src/validate/sensitive.js';
import { answer, facts } from './helpers.js';

const validate = createValidator({ canary: 'ZEBRA-CANARY-7731' });

function codes(result: ValidationResult): string[] {
  return result.ok ? [] : result.reasons.map((reason) => reason.code);
}

describe('never-send card numbers', () => {
  it.each([
    ['plain', 'Your card 4111111111111111 is on file.'],
    ['grouped', 'Your card 4111 1111 1111 1111 is on file.'],
    ['dashed', 'Your card 5555-5555-5555-4444 is on file.'],
    ['zero-width inside', 'Your card 4111\u200B1111\u200C1111\u200D1111 is on file.'],
    ['fullwidth digits', 'Your card ４１１１ １１１１ １１１１ １１１１ is on file.'],
    ['one digit at a time', 'Your card 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 is on file.'],
    ['glued to an order number', 'Order 77 4111 1111 1111 1111 is on file.'],
  ])('rejects %s', (_, text) => {
    expect(codes(validate(answer(text), facts()))).toContain('sensitive_card');
  });

  it('rejects a card the customer typed', () => {
    const known = facts({ customerMessages: ['my card is 4111 1111 1111 1111'] });
    expect(codes(validate(answer('I see your card 4111 1111 1111 1111.'), known))).toContain('sensitive_card');
  });

  it('redacts the card in the rejection', () => {
    const result = validate(answer('Card 4111 1111 1111 1111.'), facts());
    const reason = result.ok ? undefined : result.reasons.find((r) => r.code === 'sensitive_card');
    expect(reason?.value).toBe('*1111');
  });

  it('accepts digit runs that fail the Luhn check', () => {
    expect(codes(validate(answer('Reference 4111 1111 1111 1112 is open.'), facts({ toolResults: [{ reference: '4111 1111 1111 1112' }] })))).not.toContain('sensitive_card');
  });
});

describe('never-send national ids', () => {
  it.each([
    ['hyphens', 'Your SSN is 123-45-6789.'],
    ['en dashes', 'Your SSN is 123\u201345\u20136789.'],
    ['non-breaking hyphens', 'Your SSN is 123\u201145\u20116789.'],
    ['minus signs', 'Your SSN is 123\u221245\u22126789.'],
    ['zero-width inside', 'Your SSN is 12\u200B3-45-67\u200B89.'],
    ['bare digits after the keyword', 'Your social security number: 123456789.'],
  ])('rejects an SSN with %s', (_, text) => {
    expect(codes(validate(answer(text), facts()))).toContain('sensitive_ssn');
  });

  it('accepts an invalid SSN area', () => {
    expect(codes(validate(answer('Code 000-12-3456 expired.'), facts()))).not.toContain('sensitive_ssn');
  });

  it('checks CPF check digits', () => {
    expect(isValidCpf('52998224725')).toBe(true);
    expect(isValidCpf('52998224726')).toBe(false);
    expect(isValidCpf('11111111111')).toBe(false);
  });

  it.each([
    ['formatted', 'Seu CPF é 529.982.247-25.'],
    ['bare', 'Seu CPF é 52998224725.'],
    ['fullwidth', 'Seu CPF é ５２９.９８２.２４７-２５.'],
  ])('rejects a %s CPF', (_, text) => {
    expect(codes(validate(answer(text, { locale: 'pt-BR' }), facts()))).toContain('sensitive_cpf');
  });

  it('accepts a CPF-shaped number with wrong check digits', () => {
    expect(codes(validate(answer('Protocolo 529.982.247-26.', { locale: 'pt-BR' }), facts()))).not.toContain('sensitive_cpf');
  });
});

describe('never-send secrets', () => {
  it.each([
    ['an OpenAI key', 'Use sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z.'],
    ['an AWS key', 'The key is AKIAIOSFODNN7EXAMPLE.'],
    ['an AWS key in Greek look-alikes', 'The key is ΑΚΙΑIOSFODNN7EXAMPLE.'],
    ['a Slack token', 'Token xoxb-123456789012-abcdefghijkl.'],
    ['a private key', '-----BEGIN RSA PRIVATE KEY----- MIIEow'],
    ['a random token', 'Your token: f9K2x7QpL3m8Zr1Vb6Nc4Ty0Hw5Jd2Sg'],
  ])('rejects %s', (_, text) => {
    expect(codes(validate(answer(text), facts()))).toContain('sensitive_secret');
  });

  it('accepts a long slug with a year', () => {
    expect(codes(validate(answer('See the article return-policy-2026-for-all-customers today.'), facts()))).not.toContain('sensitive_secret');
  });
});

describe('system prompt leaks', () => {
  it('rejects the canary', () => {
    expect(codes(validate(answer('My instructions begin with ZEBRA-CANARY-7731.'), facts()))).toContain('system_prompt_leak');
  });

  it('rejects the canary spelled apart', () => {
    expect(codes(validate(answer('zebra canary 7731'), facts()))).toContain('system_prompt_leak');
    expect(codes(validate(answer('ZEBRA\u200B-CANARY-７７３１'), facts()))).toContain('system_prompt_leak');
  });

  it('rejects a verbatim prompt excerpt', () => {
    const prompt = 'You are the support assistant of Acme Store. Never promise refunds before the order has been returned and inspected by the warehouse team.';
    const guarded = createValidator({ systemPrompt: prompt });
    const leaked = answer('My rules say: never promise refunds before the order has been returned and inspected by the warehouse team.');
    expect(codes(guarded(leaked, facts()))).toContain('system_prompt_leak');
    expect(codes(guarded(answer('Refunds follow the inspection of the returned order.'), facts()))).toEqual([]);
  });

  it('refuses a short canary', () => {
    expect(() => createValidator({ canary: 'abc' })).toThrow(RangeError);
  });
});
