import { describe, expect, it } from 'vitest';
import { assessFrustration, detectHandoffRequest, isFrustrated } from '../../src/handoff/triggers.js';
import type { TranscriptLine } from '../../src/handoff/types.js';

const customer = (...texts: string[]): TranscriptLine[] => texts.map((text) => ({ role: 'customer', text }));

describe('detectHandoffRequest', () => {
  it.each([
    ['I want to talk to a human', 'en'],
    ['can I speak with a real person please', 'en'],
    ['get me a live agent', 'en'],
    ['quero falar com uma pessoa', 'pt-BR'],
    ['preciso de um atendente', 'pt-BR'],
    ['Quero um agente humano', 'pt-BR'],
    ['¿Puedo hablar con una persona?', 'es'],
    ['necesito un agente humano', 'es'],
    ['quiero hablar con alguien', 'es'],
    ['quero falar com uma pessoa', 'en'],
  ])('detects "%s" (%s)', (text, locale) => {
    expect(detectHandoffRequest(text, locale)).toBe(true);
  });

  it.each([
    ['what is my balance?', 'en'],
    ['the human body has 206 bones', 'en'],
    ['qual o status do meu pedido', 'pt-BR'],
    ['¿cuánto cuesta el envío?', 'es'],
  ])('ignores "%s"', (text, locale) => {
    expect(detectHandoffRequest(text, locale)).toBe(false);
  });
});

describe('isFrustrated', () => {
  it('is calm for ordinary questions', () => {
    expect(isFrustrated(customer('Hi', 'Where is my order 123?', 'Thanks!'))).toBe(false);
  });

  it('flags profanity alone', () => {
    expect(assessFrustration(customer('this is shit')).signals).toContain('profanity');
    expect(isFrustrated(customer('this is shit'))).toBe(true);
  });

  it('flags negative words with shouting', () => {
    expect(isFrustrated(customer('this is useless', 'WHY IS THIS NOT WORKING'))).toBe(true);
  });

  it('flags the same question asked again with ???', () => {
    const history = customer('where is my refund', 'where is my refund???');
    expect(assessFrustration(history).signals).toEqual(['repeated_punctuation', 'repeated_question']);
    expect(isFrustrated(history)).toBe(true);
  });

  it('ignores bot lines and old messages', () => {
    const history: TranscriptLine[] = [
      { role: 'customer', text: 'THIS IS TERRIBLE AND USELESS!!!' },
      { role: 'bot', text: 'shit happens' },
      ...customer('ok', 'thanks', 'fine', 'got it', 'bye'),
    ];
    expect(isFrustrated(history)).toBe(false);
  });

  it('reads Portuguese and Spanish', () => {
    expect(isFrustrated(customer('que serviço péssimo', 'isso não funciona!!!'))).toBe(true);
    expect(isFrustrated(customer('esto no funciona', 'es pésimo!!!'))).toBe(true);
  });

  it('needs more than two negative words', () => {
    expect(assessFrustration(customer('my card is not working', 'the app is not working')).score).toBe(2);
    expect(isFrustrated(customer('my card is not working', 'the app is not working'))).toBe(false);
  });
});
