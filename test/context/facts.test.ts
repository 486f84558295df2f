import { describe, expect, it } from 'vitest';
import { extractKeyFacts, hasKeyFacts } from '../../src/context/facts.js';
import { findOpenQuestionId, isSmallTalk, scoreMessages, IMPORTANCE } from '../../src/context/importance.js';
import { makeHistory } from './helpers.js';

describe('key facts', () => {
  it('finds amounts, ids, e-mails, dates and times', () => {
    const facts = extractKeyFacts('Refund $25.90 for order #48213 to ana@example.com by March 3rd at 7:30 pm, ref ORD-123456, 2025-01-31');
    expect(facts).toEqual(['$25.90', '#48213', 'ana@example.com', 'March 3rd', '7:30 pm', 'ORD-123456', '2025-01-31']);
  });

  it('reads Portuguese and Spanish values', () => {
    expect(extractKeyFacts('paguei R$ 1.250,00 em 5 de março')).toEqual(['R$ 1.250,00', '5 de março']);
    expect(extractKeyFacts('son 300 pesos para el viernes')).toEqual(['300 pesos', 'viernes']);
  });

  it('finds nothing in plain text', () => {
    expect(hasKeyFacts('I would like to talk about my delivery')).toBe(false);
  });
});

describe('importance', () => {
  it('marks small talk in three languages', () => {
    for (const text of ['hi', 'ok', 'thanks!', 'bye', 'Obrigado pela ajuda', 'muchas gracias', 'Great, thank you!']) {
      expect(isSmallTalk(text), text).toBe(true);
    }
    for (const text of ['My savings.', 'thanks, is it $20?', 'ok order #48213']) {
      expect(isSmallTalk(text), text).toBe(false);
    }
  });

  it('scores by the documented table', () => {
    const history = makeHistory([
      { role: 'user', content: 'hello' },
      { role: 'user', content: 'My order #48213 is late' },
      { role: 'assistant', content: 'Let me check.' },
      { role: 'user', content: 'What about the refund?' },
      { role: 'assistant', content: 'Which refund do you mean?' },
      { role: 'user', content: 'ok' },
    ]);
    const scores = scoreMessages(history, { pinnedMessages: 1, summaryCoversUpTo: 1 });
    expect(scores.get(1)).toBe(IMPORTANCE.summarized);
    expect(scores.get(2)).toBe(IMPORTANCE.high);
    expect(scores.get(3)).toBe(IMPORTANCE.normal);
    expect(scores.get(4)).toBe(IMPORTANCE.openQuestion);
    expect(scores.get(6)).toBe(IMPORTANCE.pinned);
  });

  it('closes a question with a plain answer', () => {
    const history = makeHistory([
      { role: 'user', content: 'Where is my parcel?' },
      { role: 'assistant', content: 'It arrives tomorrow.' },
      { role: 'user', content: 'great' },
    ]);
    expect(findOpenQuestionId(history)).toBeUndefined();
  });
});
