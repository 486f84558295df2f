/**
 * Evaluation of the validator on recorded dialogues (the Schema-Guided Dialogue record format),
 * used by scripts/eval-validator.ts and its tests. Values are located and mutated with simple
 * parsers of the dataset's own formats (`$1,490`, `7:30 pm`, `March 1st`), independent of the
 * extractor under test.
 */
import type { Facts, ValidationResult } from './types.js';

export interface DialogueTurn {
  role: 'customer' | 'agent';
  text: string;
  grounded_values?: Record<string, unknown>;
  api_call?: { service?: string; method?: string; parameters?: Record<string, unknown> } | null;
}

export interface DialogueRecord {
  id: string;
  turns: DialogueTurn[];
}

type EvalKind = 'money' | 'time' | 'date';

interface KindStats {
  /** Stated values in recorded answers. */
  correctValues: number;
  /** Stated values that the validator flagged in the recorded answer. */
  falselyRejectedValues: number;
  mutations: number;
  detected: number;
  /** Mutations whose new value equals another fact, so accepting them is right. */
  collisions: number;
}

export interface EvalReport {
  dialogues: number;
  turns: number;
  rejectedTurns: number;
  falseRejectionRate: number;
  /** Rejection codes seen on recorded answers, with counts. */
  falseRejectionCodes: Record<string, number>;
  /** Up to 20 recorded answers that were rejected, for inspection. */
  falseRejectionSamples: Array<{ id: string; text: string; codes: string[] }>;
  /** Up to 20 mutated answers that were accepted. */
  missedSamples: Array<{ id: string; kind: EvalKind; text: string }>;
  byKind: Record<EvalKind, KindStats & { recall: number }>;
  totals: KindStats & { recall: number };
}

export type CheckAnswer = (text: string, facts: Facts) => ValidationResult;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONEY_VALUE = /^\$\d{1,3}(?:,\d{3})*(?:\.\d{2})?$|^\$\d+(?:\.\d{2})?$/;
const TIME_VALUE = /^(\d{1,2})(?::(\d{2}))?\s?(am|pm)$/i;
const DATE_VALUE = /^([a-z]+) (\d{1,2})(st|nd|rd|th)$/i;

/** Classifies a grounded value by the dataset's own formats; other values are not mutated. */
function evalKind(key: string, value: string): EvalKind | undefined {
  if (MONEY_VALUE.test(value)) return 'money';
  if (/time/i.test(key) && TIME_VALUE.test(value)) return 'time';
  const date = DATE_VALUE.exec(value);
  if (/date/i.test(key) && date && MONTHS.includes(date[1]!.toLowerCase())) return 'date';
  return undefined;
}

/** Canonical form used only to spot mutations that collide with another fact. */
function canonical(kind: EvalKind, value: string): string | undefined {
  if (kind === 'money') {
    const match = /\$?(\d[\d,]*(?:\.\d{2})?)/.exec(value);
    return match ? Number(match[1]!.replace(/,/g, '')).toFixed(2) : undefined;
  }
  if (kind === 'time') {
    const match = TIME_VALUE.exec(value.trim()) ?? /^(\d{1,2}):(\d{2})$/.exec(value.trim());
    if (!match) return undefined;
    let hour = Number(match[1]) % 12;
    if (match[3] === undefined) hour = Number(match[1]);
    else if (match[3].toLowerCase() === 'pm') hour += 12;
    return `${hour}:${match[2] ?? '00'}`;
  }
  const match = DATE_VALUE.exec(value.trim());
  if (match) return `${MONTHS.indexOf(match[1]!.toLowerCase()) + 1}-${Number(match[2])}`;
  const iso = /^\d{4}-(\d{2})-(\d{2})$/.exec(value.trim());
  return iso ? `${Number(iso[1])}-${Number(iso[2])}` : undefined;
}

function ordinal(day: number): string {
  if (day >= 11 && day <= 13) return `${day}th`;
  return `${day}${['th', 'st', 'nd', 'rd'][day % 10] ?? 'th'}`;
}

/** Small deterministic generator so every run mutates the same digits. */
function makeRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Changes one value while keeping its format: one digit of an amount, the hour or minutes of a time, the day of a date. */
function mutate(kind: EvalKind, value: string, random: () => number): string {
  if (kind === 'money') {
    const positions = [...value].flatMap((char, i) => (/\d/.test(char) ? [i] : []));
    const position = positions[Math.floor(random() * positions.length)]!;
    const isLeading = position === positions[0];
    const old = Number(value[position]);
    let next = (old + 1 + Math.floor(random() * 9)) % 10;
    if (isLeading && next === 0) next = old === 1 ? 2 : 1;
    return value.slice(0, position) + String(next) + value.slice(position + 1);
  }
  if (kind === 'time') {
    const match = TIME_VALUE.exec(value)!;
    const [, hourText, minuteText, meridiem] = match;
    const spacing = value.includes(' ') ? ' ' : '';
    if (minuteText !== undefined && random() < 0.5) {
      const minute = (Number(minuteText) + 15) % 60;
      return `${hourText}:${String(minute).padStart(2, '0')}${spacing}${meridiem}`;
    }
    const hour = (Number(hourText) % 12) + 1;
    return `${hour}${minuteText !== undefined ? `:${minuteText}` : ''}${spacing}${meridiem}`;
  }
  const match = DATE_VALUE.exec(value)!;
  const day = Number(match[2]);
  const next = day >= 28 ? day - 1 : day + 1;
  return `${match[1]} ${ordinal(next)}`;
}

function emptyStats(): KindStats {
  return { correctValues: 0, falselyRejectedValues: 0, mutations: 0, detected: 0, collisions: 0 };
}

/** Rewrites "12th of March" as "March 12th" and "7:45 in the morning" as "7:45 am". */
function spokenForm(text: string): string {
  const dayOfMonth = /^(\d{1,2}(?:st|nd|rd|th)) of ([a-z]+)$/i.exec(text);
  if (dayOfMonth) return `${dayOfMonth[2]} ${dayOfMonth[1]}`;
  const daypart = /^(\d{1,2}(?::\d{2})?) in the (morning|afternoon|evening)$/i.exec(text);
  if (daypart) return `${daypart[1]} ${daypart[2]!.toLowerCase() === 'morning' ? 'am' : 'pm'}`;
  return text;
}

/** Canonical values of one kind that the facts state, for collision checks. */
function factCanonicals(kind: EvalKind, facts: Facts): Set<string> {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (typeof node === 'string') {
      const value = canonical(kind, node);
      if (value) found.add(value);
    } else if (node && typeof node === 'object') {
      Object.values(node).forEach(visit);
    }
  };
  facts.toolResults.forEach(visit);
  const patterns: Record<EvalKind, RegExp> = {
    money: /\$?\d[\d,]*(?:\.\d{2})?/g,
    time: /\d{1,2}(?::\d{2})?\s?(?:am|pm)|\d{1,2}(?::\d{2})? in the (?:morning|afternoon|evening)/gi,
    date: /[a-z]+ \d{1,2}(?:st|nd|rd|th)|\d{1,2}(?:st|nd|rd|th) of [a-z]+/gi,
  };
  for (const message of facts.customerMessages) {
    for (const match of message.matchAll(patterns[kind])) {
      const value = canonical(kind, spokenForm(match[0]));
      if (value) found.add(value);
    }
  }
  return found;
}

function rejectedKinds(result: ValidationResult): string[] {
  return result.ok ? [] : result.reasons.map((reason) => reason.code);
}

export interface EvalOptions {
  /**
   * Count tool results of earlier agent turns as facts (default true), as the agent still has
   * them in its context. With false, only the turn's own `grounded_values` and `api_call` count.
   */
  history?: boolean;
}

interface MutationInput {
  key: string;
  rawValue: unknown;
  text: string;
  /** Rejection codes of the recorded answer. */
  codes: string[];
  facts: Facts;
  check: CheckAnswer;
  byKind: Record<EvalKind, KindStats>;
  random: () => number;
}

/**
 * Counts one grounded value that the text states verbatim, then checks that a copy with the
 * value changed is rejected. Returns the mutated text when the validator accepted it.
 */
function checkMutation(input: MutationInput): { kind: EvalKind; text: string } | undefined {
  const { key, rawValue, text, codes, facts, check, random } = input;
  if (typeof rawValue !== 'string') return undefined;
  const kind = evalKind(key, rawValue);
  if (!kind) return undefined;
  const position = text.toLowerCase().indexOf(rawValue.toLowerCase());
  if (position < 0) return undefined;
  const stats = input.byKind[kind];
  stats.correctValues += 1;
  if (codes.includes(`hallucinated_${kind}`)) stats.falselyRejectedValues += 1;

  const mutated = mutate(kind, text.slice(position, position + rawValue.length), random);
  if (factCanonicals(kind, facts).has(canonical(kind, mutated) ?? '')) {
    stats.collisions += 1;
    return undefined;
  }
  stats.mutations += 1;
  const mutatedText = text.slice(0, position) + mutated + text.slice(position + rawValue.length);
  if (rejectedKinds(check(mutatedText, facts)).includes(`hallucinated_${kind}`)) {
    stats.detected += 1;
    return undefined;
  }
  return { kind, text: mutatedText };
}

/** Runs the evaluation over dialogue records with `check` as the validator. */
export function evaluateRecords(records: readonly DialogueRecord[], check: CheckAnswer, options: EvalOptions = {}): EvalReport {
  const history = options.history ?? true;
  const byKind: Record<EvalKind, KindStats> = { money: emptyStats(), time: emptyStats(), date: emptyStats() };
  const report = { dialogues: records.length, turns: 0, rejectedTurns: 0, falseRejectionCodes: {} as Record<string, number> };
  const falseRejectionSamples: EvalReport['falseRejectionSamples'] = [];
  const missedSamples: EvalReport['missedSamples'] = [];
  const random = makeRandom(20_260_304);

  for (const record of records) {
    const customerMessages: string[] = [];
    const earlierResults: unknown[] = [];
    for (const turn of record.turns) {
      if (turn.role === 'customer') {
        customerMessages.push(turn.text);
        continue;
      }
      const turnResults: unknown[] = [turn.grounded_values, turn.api_call].filter((result) => result);
      const toolResults = history ? [...earlierResults, ...turnResults] : turnResults;
      earlierResults.push(...turnResults);
      if (!turn.grounded_values) continue;
      const facts: Facts = { toolResults, knowledge: [], customerMessages: [...customerMessages], allowlist: [] };

      report.turns += 1;
      const original = check(turn.text, facts);
      const codes = rejectedKinds(original);
      if (codes.length > 0) {
        report.rejectedTurns += 1;
        for (const code of codes) report.falseRejectionCodes[code] = (report.falseRejectionCodes[code] ?? 0) + 1;
        if (falseRejectionSamples.length < 20) falseRejectionSamples.push({ id: record.id, text: turn.text, codes });
      }

      for (const [key, rawValue] of Object.entries(turn.grounded_values)) {
        const missed = checkMutation({ key, rawValue, text: turn.text, codes, facts, check, byKind, random });
        if (missed && missedSamples.length < 20) missedSamples.push({ id: record.id, ...missed });
      }
    }
  }

  const withRecall = (stats: KindStats) => ({ ...stats, recall: stats.mutations === 0 ? 1 : stats.detected / stats.mutations });
  const totals = emptyStats();
  for (const stats of Object.values(byKind)) {
    for (const field of Object.keys(totals) as Array<keyof KindStats>) totals[field] += stats[field];
  }
  return {
    ...report,
    falseRejectionRate: report.turns === 0 ? 0 : report.rejectedTurns / report.turns,
    falseRejectionSamples,
    missedSamples,
    byKind: { money: withRecall(byKind.money), time: withRecall(byKind.time), date: withRecall(byKind.date) },
    totals: withRecall(totals),
  };
}

const percent = (value: number) => `${(value * 100).toFixed(2)}%`;

/** Formats the report as a plain-text table. */
export function formatReport(report: EvalReport): string {
  const header = ['kind', 'stated', 'falsely flagged', 'mutations', 'detected', 'recall', 'collisions'];
  const rows = (Object.entries(report.byKind) as Array<[string, EvalReport['totals']]>).concat([['total', report.totals]]);
  const lines = [header, ...rows.map(([kind, s]) => [kind, s.correctValues, s.falselyRejectedValues, s.mutations, s.detected, percent(s.recall), s.collisions].map(String))];
  const widths = header.map((_, column) => Math.max(...lines.map((line) => line[column]!.length)));
  const table = lines.map((line) => line.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')).join('\n');
  const codes = Object.entries(report.falseRejectionCodes).map(([code, count]) => `${code}=${count}`).join(', ') || 'none';
  return [
    table,
    '',
    `dialogues: ${report.dialogues}, agent turns checked: ${report.turns}`,
    `recorded answers rejected: ${report.rejectedTurns} (${percent(report.falseRejectionRate)}); codes: ${codes}`,
  ].join('\n');
}
