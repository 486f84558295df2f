import { describe, expect, it } from 'vitest';
import { extractMessageFacts, questionSubject, textFacts } from '../../src/context/fact-extract.js';
import { addFact, FACTS_PREFIX, fitFactSheet, parseFactSheet, renderFactSheet } from '../../src/context/fact-sheet.js';
import { createContextManager } from '../../src/context/manager.js';
import { summarizeExtractive } from '../../src/context/summary.js';
import { composeSystem } from '../../src/context/summary-text.js';
import { createTokenCounter } from '../../src/context/tokens.js';
import { longConversation, makeHistory } from './helpers.js';

const counter = createTokenCounter('gpt-4o-mini', 'openai');

/** Items of the fact line as written, without the label. */
function items(summary: string): string[] {
  const line = summary.split('\n').find((entry) => entry.startsWith(FACTS_PREFIX)) ?? '';
  return line.slice(FACTS_PREFIX.length).split('; ').filter((item) => item !== '');
}

describe('fact extraction', () => {
  it('keeps values from customer text', () => {
    const values = textFacts('What is the weather in Cloverdale on March 8th at 7:30 pm? I want to book 2 tickets for $45.50 at The Terrace Room Restaurant.').map((fact) => fact.value);
    expect(values).toEqual(['Cloverdale', 'March 8th', '7:30 pm', '2 tickets', '$45.50', 'The Terrace Room Restaurant']);
  });

  it('skips capitalized sentence openers', () => {
    expect(textFacts('Sure. How about Lungomare? Okay, thanks. Can I pay later?').map((fact) => fact.value)).toEqual(['Lungomare']);
  });

  it('keeps the account type of "<word> account"', () => {
    expect(textFacts('Move it from my savings account to the checking account.').map((fact) => fact.value)).toEqual(['savings', 'checking']);
  });

  it('turns a short reply into the answer to the question', () => {
    const [question, reply] = makeHistory([
      { role: 'assistant', content: 'Which account do you want me to look at?' },
      { role: 'user', content: 'My savings.' },
    ]);
    expect(extractMessageFacts(reply!, question)).toEqual([{ key: 'account', value: 'savings' }]);
  });

  it('ignores a short reply to a yes-no question', () => {
    const [question, reply] = makeHistory([
      { role: 'assistant', content: 'Do you want to make a transfer?' },
      { role: 'user', content: 'Not right now.' },
    ]);
    expect(extractMessageFacts(reply!, question)).toEqual([]);
  });

  it('names the subject of a question', () => {
    expect(questionSubject('Which account should I check?')).toBe('account');
    expect(questionSubject('How many tickets do you need?')).toBe('tickets');
    expect(questionSubject('How much would you like to transfer?')).toBe('amount');
    expect(questionSubject('Where would you like to send the money?')).toBe('where');
    expect(questionSubject('What is your name?')).toBeUndefined();
  });

  it('reads tool calls and JSON results as slots', () => {
    const [call, result] = makeHistory([
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'CheckBalance', arguments: { account_type: 'savings' } }] },
      { role: 'tool', toolCallId: 'c1', name: 'CheckBalance', content: '{"account_balance":"$4,309.67","open":true}' },
    ]);
    expect(extractMessageFacts(call!, undefined)).toEqual([{ value: 'CheckBalance' }, { key: 'account_type', value: 'savings' }]);
    expect(extractMessageFacts(result!, call)).toEqual([
      { key: 'account_balance', value: '$4,309.67' },
      { key: 'open', value: 'true' },
    ]);
  });
});

describe('fact sheet', () => {
  it('stores a restated value once', () => {
    const sheet = parseFactSheet(undefined);
    addFact(sheet, { value: 'Oakland' });
    addFact(sheet, { value: 'March 8th' });
    addFact(sheet, { value: 'oakland' });
    expect(sheet.facts.map((fact) => fact.value)).toEqual(['March 8th', 'Oakland']);
  });

  it('drops a value that a longer one contains', () => {
    const sheet = parseFactSheet(undefined);
    addFact(sheet, { value: 'San Francisco' });
    addFact(sheet, { value: 'Amsterdam Hostel San Francisco' });
    addFact(sheet, { value: 'San Francisco' });
    expect(sheet.facts.map((fact) => fact.value)).toEqual(['Amsterdam Hostel San Francisco']);
  });

  it('gives the slot to the newest value', () => {
    const sheet = parseFactSheet(undefined);
    addFact(sheet, { key: 'account_type', value: 'checking' });
    addFact(sheet, { key: 'transfer_amount', value: '1490' });
    addFact(sheet, { key: 'account_type', value: 'savings' });
    expect(renderFactSheet(sheet)).toBe(`${FACTS_PREFIX}checking; transfer_amount=1490; account_type=savings`);
  });

  it('keeps two spellings of one value', () => {
    const sheet = parseFactSheet(undefined);
    addFact(sheet, { key: 'date', value: '2019-03-08' });
    addFact(sheet, { key: 'date', value: 'March 8th' });
    addFact(sheet, { key: 'seats', value: '4.40' });
    addFact(sheet, { key: 'seats', value: '4.4' });
    expect(sheet.facts).toEqual([
      { key: 'date', value: 'March 8th / 2019-03-08' },
      { key: 'seats', value: '4.4' },
    ]);
  });

  it('skips a number that a slot states', () => {
    const sheet = parseFactSheet(undefined);
    addFact(sheet, { key: 'count', value: '4' });
    addFact(sheet, { value: '4 options', core: '4' });
    expect(sheet.facts).toEqual([{ key: 'count', value: '4' }]);
  });

  it('round-trips text and keeps notes', () => {
    const text = `- customer said: my name is Ana\n${FACTS_PREFIX}account_type=savings; Cloverdale; $1,490`;
    const sheet = parseFactSheet(text);
    expect(sheet.notes).toEqual(['- customer said: my name is Ana']);
    expect(sheet.facts).toEqual([{ key: 'account_type', value: 'savings' }, { value: 'Cloverdale' }, { value: '$1,490' }]);
    expect(renderFactSheet(sheet)).toBe(text);
  });

  it('cuts notes, then the oldest facts', () => {
    const sheet = parseFactSheet(`- a long note about the delivery\n${FACTS_PREFIX}${Array.from({ length: 30 }, (_, index) => `item${index}=${index}`).join('; ')}`);
    const text = fitFactSheet(sheet, 40, counter.countText);
    expect(counter.countText(text)).toBeLessThanOrEqual(40);
    expect(text).not.toContain('delivery');
    expect(text).toContain('item29=29');
    expect(text).not.toContain('item0=0');
  });

  it('writes a facts-only summary without heading', () => {
    expect(composeSystem('S', `${FACTS_PREFIX}Oakland`)).toBe(`S\n\n${FACTS_PREFIX}Oakland`);
    expect(composeSystem('S', `- note\n${FACTS_PREFIX}Oakland`)).toBe(`S\n\nEarlier in this conversation:\n- note\n${FACTS_PREFIX}Oakland`);
  });
});

describe('extractive summary', () => {
  const history = makeHistory([
    { role: 'user', content: "What's my balance?" },
    { role: 'assistant', content: 'Which account do you want me to look at?' },
    { role: 'user', content: 'My savings.' },
    { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'CheckBalance', arguments: { account_type: 'savings' } }] },
    { role: 'tool', toolCallId: 'c1', name: 'CheckBalance', content: '{"account_type":"savings","account_balance":"$4,309.67"}' },
    { role: 'assistant', content: 'Your savings account balance is $4,309.67.' },
    { role: 'user', content: 'Cool. What is the weather in Cloverdale?' },
    { role: 'assistant', content: '', toolCalls: [{ id: 'c2', name: 'GetWeather', arguments: { city: 'Cloverdale' } }] },
    { role: 'tool', toolCallId: 'c2', name: 'GetWeather', content: '{"temperature":"88"}' },
  ]);

  it('keeps every value once', () => {
    const summary = summarizeExtractive(history, undefined);
    expect(items(summary.text)).toEqual(['CheckBalance', 'account_type=savings', '$4,309.67', 'GetWeather', 'Cloverdale', 'temperature=88']);
    expect(summary.coversUpTo).toBe(9);
  });

  it('costs fewer tokens than the messages', () => {
    const summary = summarizeExtractive(history, undefined);
    const messageTokens = history.reduce((sum, message) => sum + counter.countText(message.content), 0);
    expect(counter.countText(summary.text) * 2).toBeLessThan(messageTokens);
  });

  it('updates a slot from a later fold', () => {
    const first = summarizeExtractive(history, undefined);
    const later = makeHistory([
      { role: 'assistant', content: '', toolCalls: [{ id: 'c3', name: 'CheckBalance', arguments: { account_type: 'checking' } }] },
      { role: 'tool', toolCallId: 'c3', name: 'CheckBalance', content: '{"account_type":"checking","account_balance":"$120.00"}' },
    ]);
    const next = summarizeExtractive(later, first.text);
    expect(items(next.text)).toContain('account_type=checking');
    expect(items(next.text)).not.toContain('account_type=savings');
    expect(items(next.text)).toContain('savings');
  });

  it('stays within its cap and keeps the newest facts', () => {
    const summary = summarizeExtractive(longConversation(80), undefined, { maxTokens: 40, countText: counter.countText });
    expect(counter.countText(summary.text)).toBeLessThanOrEqual(40);
    expect(summary.text).toContain('#40077');
    expect(summary.text).not.toContain('#40002');
  });
});

describe('summarized messages', () => {
  const target = { system: 'You are a support assistant.', model: 'gpt-4o-mini', provider: 'openai' as const };

  it('are not resent by default', async () => {
    const prepared = await createContextManager({ maxTokens: 300 }).prepare({ id: 'w1' }, longConversation(40), target);
    expect(prepared.messages).toHaveLength(4);
    expect(prepared.tokens).toBeLessThanOrEqual(300);
    expect(prepared.newSummary?.coversUpTo).toBe(36);
    expect(prepared.system).toContain('#40032');
  });

  it('fill the budget on request', async () => {
    const prepared = await createContextManager({ maxTokens: 300, resendSummarized: true }).prepare({ id: 'w2' }, longConversation(40), target);
    expect(prepared.messages.length).toBeGreaterThan(4);
    expect(prepared.tokens).toBeLessThanOrEqual(300);
  });

  it('ignore a broken tool message', async () => {
    const history = makeHistory([
      { role: 'user', content: 'Where is order #48213?' },
      { role: 'tool', toolCallId: 'lost', name: 'lookup_order', content: '{}' },
      { role: 'assistant', content: 'It ships today.' },
      { role: 'user', content: 'Thanks.' },
      { role: 'assistant', content: 'Anything else?' },
      { role: 'user', content: 'No.' },
    ]);
    const prepared = await createContextManager({ maxTokens: 300 }).prepare({ id: 'w4' }, history, target);
    expect(prepared.droppedIds).toEqual([2]);
    expect(prepared.summaryUsed).toBe(false);
    expect(prepared.messages).toHaveLength(5);
  });

  it('fit a short history without a summary', async () => {
    const prepared = await createContextManager({ maxTokens: 300 }).prepare({ id: 'w3' }, longConversation(6), target);
    expect(prepared.messages).toHaveLength(6);
    expect(prepared.summaryUsed).toBe(false);
  });
});
