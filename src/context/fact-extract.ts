import { extractValues } from '../text/values.js';
import type { FactItem } from './fact-sheet.js';
import { isQuestion, isSmallTalk } from './importance.js';
import type { HistoryMessage } from './types.js';

/**
 * Finds the facts of one message for the fact sheet, oldest first. Tool call arguments and
 * JSON tool results give slots named by their keys. Free text gives the values of
 * `extractValues` (amounts, ids, dates, times, e-mail addresses, numbers with their noun),
 * relative days, proper names (runs of capitalized words) and "<word> account" types.
 * A customer's short reply to an assistant question becomes the value of that question.
 */
export function extractMessageFacts(message: HistoryMessage, previous: HistoryMessage | undefined): FactItem[] {
  if (message.role === 'tool') return toolResultFacts(message);
  const facts: FactItem[] = [];
  for (const call of message.toolCalls ?? []) {
    facts.push({ value: call.name });
    facts.push(...objectFacts(call.arguments));
  }
  const text = message.content.replace(/\s+/gu, ' ').trim();
  if (text === '' || isSmallTalk(text)) return facts;
  if (message.role === 'user') {
    const answer = shortAnswer(text, previous);
    if (answer) facts.push(answer);
  }
  facts.push(...textFacts(text));
  return facts;
}

function toolResultFacts(message: HistoryMessage): FactItem[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.content);
  } catch {
    return textFacts(message.content.replace(/\s+/gu, ' ').trim());
  }
  return objectFacts(parsed);
}

/** Slots from a flat object; nested objects are flattened one level as `key.child`. */
function objectFacts(data: unknown, prefix = ''): FactItem[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const value = scalarText(data);
    return value === undefined ? [] : [{ value }];
  }
  const facts: FactItem[] = [];
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const name = `${prefix}${key}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && prefix === '') {
      facts.push(...objectFacts(value, `${name}.`));
      continue;
    }
    const text = scalarText(value);
    if (text !== undefined) facts.push({ key: name, value: text });
  }
  return facts;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map(scalarText).filter((part): part is string => part !== undefined);
    return parts.length > 0 ? parts.join(', ') : undefined;
  }
  return value === undefined || value === null ? undefined : JSON.stringify(value);
}

/** Words that carry no value in a reply: articles, pronouns, fillers and polite words. */
const FILLER_WORDS = new Set(
  (
    'a an the my our your his her their its this that these those it i me we you he she they to for from in at on of ' +
    'by with and or but so please pls yes yeah yep no nope ok okay sure just maybe probably let lets let\'s make it\'s ' +
    'that\'s i\'d i\'m i\'ll want would like need prefer go with use one be is are was do does can could will ' +
    'thanks thank great good fine sounds perfect cool right correct actually um uh hmm then also too instead account ' +
    'not quite yet now all that\'s nothing else more check there here send transfer book get buy reserve pay ' +
    'leave go find search show tell give ' +
    'um o a os as meu minha um uma de do da no na em para por sim não nao el la los las mi mis un una del en por sí si'
  ).split(' '),
);
const MAX_REPLY_WORDS = 6;
const MAX_ANSWER_WORDS = 3;

/**
 * Returns a customer's reply of at most three content words to an assistant question as the
 * value of that question ("Which account?" then "My savings." gives `account=savings`).
 */
function shortAnswer(text: string, previous: HistoryMessage | undefined): FactItem | undefined {
  if (previous?.role !== 'assistant' || !asksForValue(previous.content) || isQuestion(text)) return undefined;
  const words = text.split(/\s+/u).map((word) => word.replace(/^[^\p{L}\p{N}<$€£#]+|[^\p{L}\p{N}>%]+$/gu, ''));
  if (words.length > MAX_REPLY_WORDS) return undefined;
  const content = words.filter((word) => word !== '' && !FILLER_WORDS.has(word.toLowerCase()));
  if (content.length === 0 || content.length > MAX_ANSWER_WORDS) return undefined;
  const first = words.indexOf(content[0] as string);
  const last = words.lastIndexOf(content.at(-1) as string);
  const value = words.slice(first, last + 1).join(' ');
  const key = questionSubject(previous.content);
  return key === undefined ? { value } : { key, value };
}

/** True for a question that asks for a value: a wh-question or a choice ("checking or savings?"). */
function asksForValue(question: string): boolean {
  if (!isQuestion(question)) return false;
  return /\b(?:which|what|when|where|who|how many|how much)\b|\bor\b/iu.test(question);
}

const AUXILIARIES = new Set('is are was were do does did would will should can could may might shall the a an of'.split(' '));

/** The noun a question asks for: "Which account ..." gives `account`, "How many tickets" gives `tickets`. */
export function questionSubject(question: string): string | undefined {
  const text = question.toLowerCase();
  const many = /\bhow many ([\p{L}]+)/u.exec(text);
  if (many) return many[1];
  if (/\bhow much\b/u.test(text)) return 'amount';
  const which = /\b(?:which|what)(?: kind of| type of| sort of)? ([\p{L}]+)/u.exec(text);
  if (which && !AUXILIARIES.has(which[1] as string) && !/^(?:i|you|we|they|it)$/u.test(which[1] as string)) return which[1];
  const wh = /\b(when|where|who)\b/u.exec(text);
  return wh ? wh[1] : undefined;
}

/** Sentence starters that are capitalized only because they open a sentence. */
const SENTENCE_START = /(?:^|[.!?]\s+|["“(]\s*)$/u;
/** A capitalized word or a number; dots only inside ("D.C"), so a run stops at a full stop. */
const NAME_WORD = "(?:[\\p{Lu}][\\p{L}\\p{N}'’&-]*(?:\\.[\\p{L}]+)*|\\d+[\\p{L}]*)";
const NAME_JOIN = '(?:of|the|de|del|da|do|la|le|and|by|&)';
const NAME_RUN = new RegExp(`[\\p{Lu}][\\p{L}\\p{N}'’&-]*(?:\\.[\\p{L}]+)*(?:\\s(?:${NAME_JOIN}\\s)*${NAME_WORD})*`, 'gu');
const JOIN_WORD = new RegExp(`^${NAME_JOIN}$`, 'iu');
const RELATIVE_DAY = /\b(?:(?:next|this|coming)\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\b(?:today|tomorrow|tonight|day after tomorrow)\b/giu;
const ACCOUNT_TYPE = /\b([\p{L}]+) account\b/giu;
const NOT_ACCOUNT_TYPE = new Set('my your the a an this that which what bank our their his her new other same one'.split(' '));
const STOP_AFTER_NUMBER = new Set('a an the and or to at in on of for by from is are was it with am pm'.split(' '));

/** Values found in free text, in order of position. */
export function textFacts(text: string): FactItem[] {
  const found: Array<{ index: number; item: FactItem }> = [];
  for (const value of extractValues(text)) {
    const raw = value.raw.replace(/[.,;:!?]+$/u, '');
    const item = value.kind === 'number' ? numberFact(text, raw, value.index) : { value: raw };
    if (item) found.push({ index: value.index, item });
  }
  for (const match of text.matchAll(RELATIVE_DAY)) found.push({ index: match.index, item: { value: match[0] } });
  for (const match of text.matchAll(ACCOUNT_TYPE)) {
    const type = match[1] as string;
    // A plain value, not a slot: one message may name two accounts ("from savings to checking").
    if (!NOT_ACCOUNT_TYPE.has(type.toLowerCase())) found.push({ index: match.index, item: { value: type } });
  }
  for (const match of text.matchAll(NAME_RUN)) {
    const name = properName(text, match[0], match.index);
    if (name) found.push({ index: match.index, item: { value: name } });
  }
  const seen = new Set<string>();
  return found
    .sort((a, b) => a.index - b.index)
    .map((entry) => entry.item)
    .filter((item) => {
      // A date is also a run of capitalized words ("March 8th"); keep it once.
      const key = item.value.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/**
 * A number with its noun: "3 business days" keeps "3 business", "a table for 2" keeps
 * "table for 2", "the 13th" keeps "13th". A number without a noun carries no meaning and is skipped.
 */
function numberFact(text: string, raw: string, index: number): FactItem | undefined {
  const rest = text.slice(index + raw.length);
  const ordinal = /^(?:st|nd|rd|th)\b/iu.exec(rest);
  if (ordinal) return { value: `${raw}${ordinal[0]}` };
  const after = /^\s+([\p{L}][\p{L}'-]*)/u.exec(rest);
  if (after && !STOP_AFTER_NUMBER.has((after[1] as string).toLowerCase())) return { value: `${raw} ${after[1]}`, core: raw };
  const before = /([\p{L}][\p{L}'-]*\s+(?:for|of))\s+$/iu.exec(text.slice(Math.max(0, index - 30), index));
  return before ? { value: `${before[1]} ${raw}`, core: raw } : undefined;
}

/**
 * Keeps a run of capitalized words as a name. A single word that opens a sentence is
 * skipped, because grammar, not the word, capitalizes it; so is the pronoun "I".
 */
function properName(text: string, run: string, index: number): string | undefined {
  // "<ADDRESS>" is a placeholder tag, not a name.
  if (text[index - 1] === '<') return undefined;
  const words = run.replace(/['’]+$/u, '').split(' ');
  const opensSentence = SENTENCE_START.test(text.slice(0, index));
  const pronoun = /^i(?:['’](?:m|d|ll|ve))?$/iu;
  if (words.length > 0 && pronoun.test(words[0] as string)) return undefined;
  // "Can I", "Basketball and I'm": a trailing pronoun and the joins before it are no part of a name.
  while (words.length > 0 && (pronoun.test(words.at(-1) as string) || JOIN_WORD.test(words.at(-1) as string))) words.pop();
  if (words.length === 0) return undefined;
  // "Booking 3": a sentence opener followed only by numbers.
  if (opensSentence && words.slice(1).every((word) => /^\d/u.test(word))) return undefined;
  if (words.length === 1 && (opensSentence || words[0] === 'I' || /^\d/u.test(words[0] as string))) return undefined;
  return words.join(' ');
}
