import { describe, expect, it } from 'vitest';
import { correctionNote, createValidator, type ValidationResult } from '../../src/validate/index.js';
import { answer, facts } from './helpers.js';

const validate = createValidator();

function codes(result: ValidationResult): string[] {
  return result.ok ? [] : result.reasons.map((reason) => reason.code);
}

const ENGLISH = 'Your order has shipped and should arrive in a few days. Let me know if there is anything else I can do.';
const PORTUGUESE = 'Seu pedido foi enviado e deve chegar em poucos dias. Avise se houver mais alguma coisa que eu possa fazer por você.';
const SPANISH = 'Su pedido fue enviado y debería llegar en pocos días. Avíseme si hay algo más que pueda hacer por usted.';

describe('form checks', () => {
  it('rejects an empty answer', () => {
    expect(codes(validate(answer(''), facts()))).toEqual(['empty']);
    expect(codes(validate(answer(' \u200B\n '), facts()))).toEqual(['empty']);
  });

  it('rejects a truncated answer', () => {
    expect(codes(validate(answer('Your order has', { finishReason: 'length' }), facts()))).toEqual(['truncated']);
  });

  it.each([
    ['en', ENGLISH],
    ['pt-BR', PORTUGUESE],
    ['es', SPANISH],
  ])('accepts the locale language %s', (locale, text) => {
    expect(validate(answer(text, { locale }), facts())).toEqual({ ok: true });
  });

  it.each([
    ['Portuguese for en', 'en', PORTUGUESE],
    ['English for pt-BR', 'pt-BR', ENGLISH],
    ['Spanish for pt-BR', 'pt-BR', SPANISH],
    ['Portuguese for es', 'es', PORTUGUESE],
  ])('rejects %s', (_, locale, text) => {
    expect(codes(validate(answer(text, { locale }), facts()))).toEqual(['wrong_language']);
  });

  it('does not judge short answers', () => {
    expect(validate(answer('Obrigado!', { locale: 'en' }), facts())).toEqual({ ok: true });
  });

  it('does not judge other locales', () => {
    expect(validate(answer(PORTUGUESE, { locale: 'fr' }), facts())).toEqual({ ok: true });
  });

  it('can switch the language check off', () => {
    const lenient = createValidator({ checkLanguage: false });
    expect(lenient(answer(PORTUGUESE, { locale: 'en' }), facts())).toEqual({ ok: true });
  });
});

describe('correctionNote', () => {
  it('names the unsupported values', () => {
    const result = validate(answer('Your refund of $52.10 is due on March 9th.'), facts());
    const note = correctionNote(result.ok ? [] : result.reasons, 'en');
    expect(note).toContain('the amount $52.10 and the date March 9th');
    expect(note).toContain('not supported by the data');
    expect(note).toContain('values from the tool results');
  });

  it('never repeats a sensitive value', () => {
    const result = validate(answer('Card 4111 1111 1111 1111 is saved.'), facts());
    const note = correctionNote(result.ok ? [] : result.reasons, 'en');
    expect(note).toContain('a payment card number');
    expect(note).not.toContain('4111');
  });

  it('asks for the locale language', () => {
    const note = correctionNote([{ code: 'wrong_language', value: 'en', message: '' }], 'pt-BR');
    expect(note).toContain('answer in Portuguese');
  });

  it('covers truncation and leaks', () => {
    const note = correctionNote(
      [
        { code: 'truncated', message: '' },
        { code: 'system_prompt_leak', message: '' },
      ],
      'en',
    );
    expect(note).toContain('cut off');
    expect(note).toContain('instructions');
  });
});
