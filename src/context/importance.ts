import { hasKeyFacts } from './facts.js';
import type { HistoryMessage } from './types.js';

/**
 * Importance of a history message; trimming drops the lowest score first.
 *
 * | score    | messages                                                            |
 * | -------- | ------------------------------------------------------------------- |
 * | Infinity | pinned: the latest `pinnedMessages` messages (the system prompt is   |
 * |          | always sent and never scored)                                        |
 * | 5        | the customer's open question: the last question not yet answered    |
 * | 4        | tool calls and tool results; messages with amounts, ids, e-mail      |
 * |          | addresses, dates or times                                            |
 * | 2        | everything else                                                     |
 * | 1        | small talk: greetings, thanks, "ok", goodbyes (en, pt, es)          |
 * | 0        | already covered by the rolling summary (unless pinned)               |
 */
export const IMPORTANCE = {
  pinned: Number.POSITIVE_INFINITY,
  openQuestion: 5,
  high: 4,
  normal: 2,
  smallTalk: 1,
  summarized: 0,
} as const;

/** Words that make up small talk; a message made only of these (and no facts) scores low. */
const SMALL_TALK_WORDS = new Set(
  (
    'hi hello hey hiya yo ok okay k kk sure cool great nice good fine perfect awesome got it ' +
    'thanks thank thx ty you very much so a lot for your the help all that is that\'s have day ' +
    'morning afternoon evening night bye goodbye see later cheers welcome np no problem ' +
    'oi olá ola bom boa dia tarde noite obrigado obrigada obg valeu tchau até logo beleza blz ' +
    'certo tá ta tudo bem muito show legal pela ajuda ' +
    'hola buenos buenas días dias tardes noches gracias muchas adiós adios vale de acuerdo ' +
    'perfecto chao hasta luego genial bueno por tu su'
  ).split(' '),
);
const MAX_SMALL_TALK_WORDS = 8;

/** True for greetings, thanks, acknowledgements and goodbyes that carry no request. */
export function isSmallTalk(text: string): boolean {
  if (text.includes('?') || hasKeyFacts(text)) return false;
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}']+/u)
    .filter((word) => word.length > 0);
  if (words.length === 0 || words.length > MAX_SMALL_TALK_WORDS) return false;
  return words.every((word) => SMALL_TALK_WORDS.has(word));
}

const QUESTION_START = new RegExp(
  '^(?:what|when|where|which|who|why|how|can|could|would|will|is|are|do|does|did|should|' +
    'o que|quando|onde|qual|quais|quem|por que|como|pode|posso|' +
    'qué|cuándo|dónde|cuál|quién|cómo|puedo|puede)(?![\\p{L}])',
  'iu',
);

/** True when a message is a question: it has a question mark or starts with a question word. */
export function isQuestion(text: string): boolean {
  return text.includes('?') || QUESTION_START.test(text.trim());
}

/**
 * Finds the customer's open question: the last user question after which no assistant
 * message gave a plain answer. An assistant reply that is itself a question (a clarifying
 * question) or only a tool call does not close it.
 */
export function findOpenQuestionId(history: readonly HistoryMessage[]): number | undefined {
  for (let index = history.length - 1; index >= 0; index -= 1) {
    const message = history[index] as HistoryMessage;
    if (message.role === 'assistant' && message.content.trim() !== '' && !isQuestion(message.content)) {
      return undefined;
    }
    if (message.role === 'user' && isQuestion(message.content)) return message.id;
  }
  return undefined;
}

export interface ScoreOptions {
  /** How many of the latest messages are pinned. */
  pinnedMessages: number;
  /** Messages with an id up to this one are already in the rolling summary. */
  summaryCoversUpTo?: number;
}

/** Scores every message of `history` (oldest first) by the table above; keyed by id. */
export function scoreMessages(history: readonly HistoryMessage[], options: ScoreOptions): Map<number, number> {
  const scores = new Map<number, number>();
  const openQuestionId = findOpenQuestionId(history);
  const firstPinned = Math.max(0, history.length - options.pinnedMessages);
  const coversUpTo = options.summaryCoversUpTo ?? Number.NEGATIVE_INFINITY;

  history.forEach((message, index) => {
    scores.set(message.id, scoreOne(message, index >= firstPinned, message.id === openQuestionId, coversUpTo));
  });
  return scores;
}

function scoreOne(message: HistoryMessage, pinned: boolean, openQuestion: boolean, coversUpTo: number): number {
  if (pinned) return IMPORTANCE.pinned;
  if (message.id <= coversUpTo) return IMPORTANCE.summarized;
  if (openQuestion) return IMPORTANCE.openQuestion;
  if (message.role === 'tool' || (message.toolCalls?.length ?? 0) > 0) return IMPORTANCE.high;
  if (hasKeyFacts(message.content)) return IMPORTANCE.high;
  if (isSmallTalk(message.content)) return IMPORTANCE.smallTalk;
  return IMPORTANCE.normal;
}
