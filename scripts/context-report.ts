/**
 * Measures the context module on recorded conversations: prompt size against the full
 * history, and whether values that a later turn refers to are still in the prompt.
 *
 * Usage: npm run report:context -- [FILE.jsonl] [--budget 250[,200,...]] [--model gpt-4o-mini]
 *        [--provider openai|anthropic] [--pinned 4] [--out report.json]
 *
 * `--budget` takes one budget or a comma-separated list; with a list the report ends with
 * one table row per budget. Each budget also reports how many conversations it trimmed at
 * all, because a budget above the longest history (756 tokens in the SGD sample) trims
 * nothing and measures nothing.
 *
 * For every customer turn the prompt is built from the history up to that turn, with the
 * budget as operator cap and extractive summaries carried from turn to turn as the store
 * would keep them. An agent turn with a backend call becomes an assistant tool call, a
 * tool result (its grounded values as JSON) and the assistant text.
 *
 * A value is a `grounded_values` entry or an `api_call` parameter of the conversation
 * (booleans, intent names and anonymisation placeholders such as <NAME> left out). A turn
 * mentions a value when the value occurs in its text as a whole word (case-insensitive,
 * thousands separators ignored) or in its grounded values or call parameters. At the
 * prompt for customer turn t, a value is needed when a turn before t mentions it and a
 * turn after t mentions it again. It is present when it occurs in the prompt's system
 * text (summary included) or in its messages.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createContextManager, type ConversationMemory } from '../src/context/manager.js';
import { createTokenCounter } from '../src/context/tokens.js';
import type { ContextProvider, HistoryMessage } from '../src/context/types.js';
import { toChatTurn } from '../src/context/units.js';

interface SgdTurn {
  role: 'customer' | 'agent';
  text: string;
  grounded_values?: Record<string, string>;
  api_call?: { service: string; method: string; parameters: Record<string, string> };
}
interface SgdRecord {
  id: string;
  turns: SgdTurn[];
}

const SYSTEM_PROMPT = 'You are the support assistant of a bank and booking service. Answer briefly and only from facts you were given.';
const LONG_CONVERSATION_TURNS = 10;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    budget: { type: 'string', default: '250' },
    model: { type: 'string', default: 'gpt-4o-mini' },
    provider: { type: 'string', default: 'openai' },
    pinned: { type: 'string', default: '4' },
    out: { type: 'string' },
  },
});
// The shared data folder sits next to the main checkout, or two levels up from a worktree.
const defaultFiles = [path.join(repoRoot, '..', 'shared', 'data', 'conversations.jsonl'), path.join(repoRoot, '..', '..', 'shared', 'data', 'conversations.jsonl')];
const file = positionals[0] ?? defaultFiles.find((candidate) => existsSync(candidate)) ?? (defaultFiles[0] as string);
const budgets = (flags.budget as string).split(',').map((part) => Number(part.trim()));
const pinned = Number(flags.pinned);
const provider = flags.provider as ContextProvider;
if (!existsSync(file)) {
  process.stderr.write(`report:context: conversations file ${file} not found; pass one: npm run report:context -- FILE.jsonl --budget 215\n`);
  process.exit(2);
}
if (budgets.some((budget) => !Number.isInteger(budget) || budget <= 0)) {
  throw new Error(`Invalid --budget ${flags.budget}: expected a positive integer or a comma-separated list of them.`);
}
if (!Number.isInteger(pinned) || pinned <= 0) throw new Error(`Invalid --pinned ${flags.pinned}: expected a positive integer.`);
if (!['openai', 'anthropic', 'rules'].includes(provider)) throw new Error(`Invalid --provider ${flags.provider}: expected openai, anthropic or rules.`);

/** Lowercases and removes thousands separators so "$1,490" and "1490" compare equal. */
function normalize(text: string): string {
  return text.toLowerCase().replace(/(\d),(?=\d{3}\b)/gu, '$1');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

function valueMatcher(value: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(normalize(value))}(?![\\p{L}\\p{N}])`, 'u');
}

function isTrackedValue(key: string, value: unknown): value is string {
  if (typeof value !== 'string' || key === 'intent') return false;
  const trimmed = value.trim();
  return trimmed !== '' && !/^(true|false)$/iu.test(trimmed) && !/^<[A-Z_]+>$/u.test(trimmed);
}

function turnValues(turn: SgdTurn): Array<[string, string]> {
  return [...Object.entries(turn.grounded_values ?? {}), ...Object.entries(turn.api_call?.parameters ?? {})];
}

/** Values each turn mentions, by the definition in the file header. */
function mentionsByTurn(record: SgdRecord): Array<Set<string>> {
  const vocabulary = new Map<string, RegExp>();
  for (const turn of record.turns) {
    for (const [key, value] of turnValues(turn)) {
      if (isTrackedValue(key, value)) vocabulary.set(normalize(value.trim()), valueMatcher(value.trim()));
    }
  }
  return record.turns.map((turn) => {
    const text = normalize(turn.text);
    const mentioned = new Set<string>();
    for (const [key, value] of turnValues(turn)) if (isTrackedValue(key, value)) mentioned.add(normalize(value.trim()));
    for (const [value, matcher] of vocabulary) if (matcher.test(text)) mentioned.add(value);
    return mentioned;
  });
}

/** Converts SGD turns to stored messages; returns the messages and, per turn, its last message index. */
function toHistory(record: SgdRecord): { messages: HistoryMessage[]; endOfTurn: number[] } {
  const messages: HistoryMessage[] = [];
  const endOfTurn: number[] = [];
  const push = (message: Omit<HistoryMessage, 'id' | 'createdAt'>): void => {
    const id = messages.length + 1;
    messages.push({ ...message, id, createdAt: id * 1_000 });
  };
  record.turns.forEach((turn, index) => {
    if (turn.role === 'customer') push({ role: 'user', content: turn.text });
    else {
      if (turn.api_call) {
        const callId = `call_${index}`;
        push({ role: 'assistant', content: '', toolCalls: [{ id: callId, name: turn.api_call.method, arguments: turn.api_call.parameters }] });
        push({ role: 'tool', toolCallId: callId, name: turn.api_call.method, content: JSON.stringify(turn.grounded_values ?? {}) });
      }
      push({ role: 'assistant', content: turn.text });
    }
    endOfTurn.push(messages.length);
  });
  return { messages, endOfTurn };
}

interface Totals {
  conversations: number;
  prompts: number;
  longPrompts: number;
  longPromptTokens: number;
  longFullTokens: number;
  longRatioSum: number;
  trimmedPrompts: number;
  summaryPrompts: number;
  /** Conversations with at least one trimmed prompt, all and long ones. */
  trimmedConversations: number;
  trimmedLongConversations: number;
  longConversations: number;
  maxFullTokens: number;
  overBudget: number;
  neededValues: number;
  presentValues: number;
  missing: Array<{ conversation: string; turn: number; value: string }>;
}

async function main(): Promise<void> {
  const records = readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as SgdRecord);
  const rows: ReportResult[] = [];
  for (const budget of budgets) {
    const started = performance.now();
    const manager = createContextManager({ maxTokens: budget, pinnedMessages: pinned });
    const counter = createTokenCounter(flags.model as string, provider);
    const totals: Totals = {
      conversations: records.length, prompts: 0, longPrompts: 0, longPromptTokens: 0, longFullTokens: 0, longRatioSum: 0,
      trimmedPrompts: 0, summaryPrompts: 0, trimmedConversations: 0, trimmedLongConversations: 0, longConversations: 0,
      maxFullTokens: 0, overBudget: 0, neededValues: 0, presentValues: 0, missing: [],
    };
    for (const record of records) await measureConversation(record, manager, counter, totals);
    rows.push(report(totals, budget, performance.now() - started));
  }
  if (rows.length > 1) printTable(rows);
  if (flags.out) writeFileSync(flags.out, `${JSON.stringify(rows.length === 1 ? rows[0] : rows, null, 2)}\n`);
}

async function measureConversation(
  record: SgdRecord,
  manager: ReturnType<typeof createContextManager>,
  counter: ReturnType<typeof createTokenCounter>,
  totals: Totals,
): Promise<void> {
  const { messages, endOfTurn } = toHistory(record);
  const mentions = mentionsByTurn(record);
  const long = record.turns.length > LONG_CONVERSATION_TURNS;
  const memory: ConversationMemory = { id: record.id };
  let trimmed = false;
  if (long) totals.longConversations += 1;

  for (let turn = 0; turn < record.turns.length; turn += 1) {
    if (record.turns[turn]?.role !== 'customer') continue;
    const history = messages.slice(0, endOfTurn[turn]);
    const prepared = await manager.prepare(memory, history, { system: SYSTEM_PROMPT, model: flags.model as string, provider });
    if (prepared.newSummary) {
      memory.summary = prepared.newSummary.text;
      memory.summaryCoversUpTo = prepared.newSummary.coversUpTo;
    }
    const fullTokens = counter.countRequest(SYSTEM_PROMPT, history.map(toChatTurn));
    totals.prompts += 1;
    if (prepared.tokens > prepared.budgetTokens) totals.overBudget += 1;
    totals.maxFullTokens = Math.max(totals.maxFullTokens, fullTokens);
    if (prepared.droppedIds.length > 0) {
      totals.trimmedPrompts += 1;
      trimmed = true;
    }
    if (prepared.summaryUsed) totals.summaryPrompts += 1;
    if (long) {
      totals.longPrompts += 1;
      totals.longPromptTokens += prepared.tokens;
      totals.longFullTokens += fullTokens;
      totals.longRatioSum += prepared.tokens / fullTokens;
    }
    checkValues(record, turn, mentions, promptText(prepared), totals);
  }
  if (trimmed) totals.trimmedConversations += 1;
  if (trimmed && long) totals.trimmedLongConversations += 1;
}

function promptText(prepared: { system: string; messages: ReturnType<typeof toChatTurn>[] }): string {
  const parts = [prepared.system];
  for (const message of prepared.messages) {
    parts.push(message.content);
    if (message.role === 'assistant' && message.toolCalls) parts.push(JSON.stringify(message.toolCalls.map((call) => call.arguments)));
  }
  return normalize(parts.join('\n'));
}

function checkValues(record: SgdRecord, turn: number, mentions: Array<Set<string>>, prompt: string, totals: Totals): void {
  const before = new Set(mentions.slice(0, turn).flatMap((set) => [...set]));
  const after = new Set(mentions.slice(turn + 1).flatMap((set) => [...set]));
  for (const value of before) {
    if (!after.has(value)) continue;
    totals.neededValues += 1;
    if (valueMatcher(value).test(prompt)) totals.presentValues += 1;
    else if (totals.missing.length < 25) totals.missing.push({ conversation: record.id, turn, value });
  }
}

type ReportResult = ReturnType<typeof report>;

function report(totals: Totals, budget: number, elapsedMs: number) {
  const share = totals.neededValues === 0 ? 1 : totals.presentValues / totals.neededValues;
  const result = {
    file, budget, model: flags.model, provider, pinnedMessages: pinned,
    conversations: totals.conversations,
    conversationsTrimmed: totals.trimmedConversations,
    longConversations: totals.longConversations,
    longConversationsTrimmed: totals.trimmedLongConversations,
    maxFullHistoryTokens: totals.maxFullTokens,
    customerTurns: totals.prompts,
    promptsTrimmed: totals.trimmedPrompts,
    promptsWithSummary: totals.summaryPrompts,
    promptsOverBudget: totals.overBudget,
    long: {
      minTurns: LONG_CONVERSATION_TURNS + 1,
      prompts: totals.longPrompts,
      averagePromptTokens: round(totals.longPromptTokens / Math.max(1, totals.longPrompts)),
      averageFullHistoryTokens: round(totals.longFullTokens / Math.max(1, totals.longPrompts)),
      promptToFullRatio: round(totals.longPromptTokens / Math.max(1, totals.longFullTokens)),
      meanPerPromptRatio: round(totals.longRatioSum / Math.max(1, totals.longPrompts)),
    },
    values: { needed: totals.neededValues, present: totals.presentValues, share: round(share, 4), missingExamples: totals.missing },
    elapsedSeconds: round(elapsedMs / 1_000),
  };
  console.log(`budget ${budget} tokens (longest full history ${result.maxFullHistoryTokens} tokens)`);
  console.log(
    `  conversations trimmed at least once: ${result.conversationsTrimmed}/${result.conversations} ` +
      `(over ${LONG_CONVERSATION_TURNS} turns: ${result.longConversationsTrimmed}/${result.longConversations})`,
  );
  console.log(`  customer turns: ${result.customerTurns} (trimmed ${result.promptsTrimmed}, with summary ${result.promptsWithSummary}, over budget ${result.promptsOverBudget})`);
  console.log(
    `  conversations over ${LONG_CONVERSATION_TURNS} turns: average prompt ${result.long.averagePromptTokens} tokens vs full history ${result.long.averageFullHistoryTokens} ` +
      `(ratio ${pct(result.long.promptToFullRatio)}, target <= 50%; mean per prompt ${pct(result.long.meanPerPromptRatio)})`,
  );
  console.log(`  later-referenced values still in the prompt: ${totals.presentValues}/${totals.neededValues} (${pct(share)}, target >= 99%)`);
  console.log(`  elapsed: ${result.elapsedSeconds} s`);
  return result;
}

function printTable(rows: ReportResult[]): void {
  console.log('');
  console.log('| budget | conversations trimmed | prompt / full history (>10 turns) | values present | both targets |');
  console.log('| ---: | ---: | ---: | ---: | :---: |');
  for (const row of rows) {
    const met = row.long.promptToFullRatio <= 0.5 && row.values.share >= 0.99;
    console.log(
      `| ${row.budget} | ${row.conversationsTrimmed}/${row.conversations} | ${pct(row.long.promptToFullRatio)} | ${pct(row.values.share)} | ${met ? 'yes' : 'no'} |`,
    );
  }
}

function round(value: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

await main();
