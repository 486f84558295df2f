import { describe, expect, it } from 'vitest';
import { catalogKeys, SUPPORTED_LOCALES, t } from '../../src/i18n.js';
import { loadFaq } from '../../src/providers/rules/faq.js';
import { RulesProvider } from '../../src/providers/rules/rules-provider.js';

const rules = new RulesProvider(loadFaq('data/faq.json'));

async function ask(text: string, locale = 'en') {
  return rules.generate({ system: '', messages: [{ role: 'user', content: text }], locale, maxOutputTokens: 100 });
}

describe('rules engine', () => {
  it.each([
    ['how much is shipping?', 'en', 'shipping'],
    ['How long does delivery take', 'en', 'business days'],
    ['quanto custa o frete?', 'pt-BR', 'frete'],
    ['Qual o prazo de entrega?', 'pt-BR', 'dias úteis'],
    ['¿Cuánto cuesta el envío?', 'es', 'envío'],
    ['como devuelvo un producto', 'es', 'devolver'],
  ])('answers %j in %s from the FAQ', async (question, locale, fragment) => {
    const result = await ask(question, locale);
    expect(result.handoff).toBeUndefined();
    expect(result.text.toLowerCase()).toContain(fragment);
  });

  it('answers in the language the customer wrote in', async () => {
    const result = await ask('quanto custa o frete?', 'en');
    expect(result.handoff).toBeUndefined();
    expect(result.text).toContain('frete');
  });

  it('tolerates a typo', async () => {
    const result = await ask('how much is shiping', 'en');
    expect(result.handoff).toBeUndefined();
    expect(result.text).toContain('$4.99');
  });

  it.each([
    ['I want to talk to a human', 'en'],
    ['quero falar com um atendente', 'pt-BR'],
    ['necesito un agente humano ya', 'es'],
    ['Atendente, por favor!', 'en'],
  ])('treats %j as a request for a person', async (text, locale) => {
    const result = await ask(text, locale);
    expect(result.handoff?.reason).toBe('customer_requested');
  });

  it('hands over honestly when nothing matches', async () => {
    const result = await ask('what is the airspeed velocity of an unladen swallow', 'en');
    expect(result.handoff?.reason).toBe('no_answer');
    expect(result.text).toBe(t('en', 'core.rules_unknown'));
  });

  it.each(['What is my balance?', 'How much do I owe?'])('does not answer %j from a question word', async (text) => {
    const result = await ask(text, 'en');
    expect(result.handoff?.reason).toBe('no_answer');
  });

  it('does not answer a long question from one shared word', async () => {
    const result = await ask('my neighbour says the weather in Lisbon is nice, should I book a train there', 'en');
    expect(result.handoff?.reason).toBe('no_answer');
  });
});

describe('locale catalogs', () => {
  it('carry the same keys in every locale', () => {
    const english = catalogKeys('en');
    expect(english.length).toBeGreaterThan(0);
    for (const locale of SUPPORTED_LOCALES) expect(catalogKeys(locale)).toEqual(english);
  });

  it('fill placeholders and fall back to English', () => {
    expect(t('pt', 'core.handoff_waiting', { minutes: 7 })).toContain('7 minutos');
    expect(t('de-DE', 'core.busy')).toBe(t('en', 'core.busy'));
  });
});
