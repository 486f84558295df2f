/**
 * Signals the agent checks before it replies: an explicit request for a person, and a
 * frustration heuristic over the recent conversation.
 */
import type { TranscriptLine } from './types.js';

/** Lowercase and strip accents so `atención` and `atencion` match the same pattern. */
function normalize(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

// Patterns run on normalized text. All languages are checked for every locale because
// customers often write in a language other than the one their client reports.
type Language = 'en' | 'pt' | 'es';

const HANDOFF_PATTERNS: Record<Language, RegExp[]> = {
  en: [
    /\b(talk|speak|chat)\s+(to|with)\s+(a\s+|an\s+|some\s*one|somebody|someone|real\s+)?(human|person|agent|representative|operator|someone|somebody|people|staff)\b/,
    /\b(real|live|human)\s+(person|agent|human|support)\b/,
    /\b(customer\s+service|support)\s+(rep|representative|agent)\b/,
    /\b(get|want|need)\s+(me\s+)?(a|an)\s+(human|person|agent|operator)\b/,
  ],
  pt: [
    /\batendente\b/,
    /\b(agente|atendimento)\s+humano\b/,
    /\bfalar\s+com\s+(uma\s+|um\s+|alguem|algum\s+)?(pessoa|humano|atendente|ser\s+humano|alguem|funcionario)\b/,
    /\b(pessoa|ser)\s+(de\s+verdade|real|humano)\b/,
  ],
  es: [
    /\bagente\s+humano\b/,
    /\bhablar\s+con\s+(una\s+|un\s+|alguien|algun\s+)?(persona|humano|agente|operador|asesor|representante|alguien)\b/,
    /\bpersona\s+(real|de\s+verdad)\b/,
    /\b(quiero|necesito)\s+(un|una)\s+(operador|asesor|agente|persona)\b/,
  ],
};

/**
 * Return true when the customer requests a person, in English, Portuguese or
 * Spanish ("talk to a human", "quero falar com uma pessoa", "hablar con una persona").
 * `locale` orders the checks; every language is tried.
 */
export function detectHandoffRequest(text: string, locale: string): boolean {
  const normalized = normalize(text);
  const lower = locale.toLowerCase();
  const first: Language = lower.startsWith('pt') ? 'pt' : lower.startsWith('es') ? 'es' : 'en';
  const order: Language[] = [first, ...(['en', 'pt', 'es'] as const).filter((lang) => lang !== first)];
  return order.some((lang) => HANDOFF_PATTERNS[lang].some((pattern) => pattern.test(normalized)));
}

/** Thresholds of the frustration heuristic; exported so tests and docs state the same numbers. */
export const FRUSTRATION = {
  /** Customer messages looked at, newest last. */
  window: 5,
  /** Score at or above which a customer counts as frustrated. */
  threshold: 3,
  /** Negative words needed, across the window, before they score. */
  negativeWords: 2,
  /** Letters a message needs before its case is judged; at least this share must be capitals. */
  capsMinLetters: 8,
  capsShare: 0.8,
  /** A run of this many `?`/`!` characters counts as shouting punctuation. */
  punctuationRun: 3,
} as const;

const NEGATIVE_WORDS = [
  // en
  'useless', 'terrible', 'awful', 'worst', 'ridiculous', 'stupid', 'angry', 'frustrated', 'frustrating',
  'not working', "doesn't work", 'doesnt work', 'waste of time', 'unacceptable', 'horrible',
  // pt-BR
  'inutil', 'pessimo', 'horrivel', 'ridiculo', 'absurdo', 'nao funciona', 'perda de tempo', 'inaceitavel', 'irritado',
  // es
  'pesimo', 'no funciona', 'perdida de tiempo', 'inaceptable', 'harto', 'enojado', 'estupido',
];

const PROFANITY = /\b(fuck\w*|shit\w*|bullshit|wtf|merda|porra|caralho|pqp|mierda|joder|carajo|cabron\w*)\b/;

/** Result of the frustration heuristic: the signals that fired and their total score. */
export interface FrustrationAssessment {
  score: number;
  signals: string[];
}

function countNegativeWords(texts: string[]): number {
  let count = 0;
  for (const text of texts) {
    for (const word of NEGATIVE_WORDS) if (text.includes(word)) count++;
  }
  return count;
}

function isShouting(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, '');
  if (letters.length < FRUSTRATION.capsMinLetters) return false;
  const capitals = letters.replace(/[^\p{Lu}]/gu, '').length;
  return capitals / letters.length >= FRUSTRATION.capsShare;
}

function hasRepeatedQuestion(texts: string[]): boolean {
  const seen = new Set<string>();
  for (const text of texts) {
    const key = text.replace(/[^\p{L}\p{N} ]/gu, '').trim();
    if (key.length < 6) continue;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

/**
 * Score the last `FRUSTRATION.window` customer messages. Profanity scores 3 (enough alone);
 * two or more negative words score 2. Each shouted (mostly capitals) message scores 1,
 * and so does each message with `???` or `!!!`. The same question asked twice scores 2.
 */
export function assessFrustration(history: readonly TranscriptLine[]): FrustrationAssessment {
  const raw = history.filter((line) => line.role === 'customer').slice(-FRUSTRATION.window).map((l) => l.text);
  const texts = raw.map(normalize);
  const signals: string[] = [];
  let score = 0;

  if (texts.some((text) => PROFANITY.test(text))) {
    score += 3;
    signals.push('profanity');
  }
  if (countNegativeWords(texts) >= FRUSTRATION.negativeWords) {
    score += 2;
    signals.push('negative_words');
  }
  const shouted = raw.filter(isShouting).length;
  if (shouted > 0) {
    score += shouted;
    signals.push('all_caps');
  }
  const punctuation = new RegExp(`[?!]{${FRUSTRATION.punctuationRun},}`);
  const exclaimed = raw.filter((text) => punctuation.test(text)).length;
  if (exclaimed > 0) {
    score += exclaimed;
    signals.push('repeated_punctuation');
  }
  if (hasRepeatedQuestion(texts)) {
    score += 2;
    signals.push('repeated_question');
  }
  return { score, signals };
}

/** True when `assessFrustration` reaches `FRUSTRATION.threshold`. */
export function isFrustrated(history: readonly TranscriptLine[]): boolean {
  return assessFrustration(history).score >= FRUSTRATION.threshold;
}
