/**
 * Measures the response validator on recorded support dialogues.
 *
 * Usage: npm run eval:validator -- [FILE.jsonl] [--out REPORT.json] [--limit N] [--turn-facts-only]
 *
 * FILE defaults to ../shared/data/conversations.jsonl next to the repository (Schema-Guided
 * Dialogue records, one per line). For each agent turn with `grounded_values`:
 * - the turn as recorded must be accepted, or it counts as a false rejection. The facts are the
 *   `grounded_values` and `api_call` of this and earlier agent turns (as tool results) and the
 *   earlier customer messages. `--turn-facts-only` keeps only this turn's results;
 * - for each money amount, clock time and calendar date of `grounded_values` that the text
 *   states verbatim, a copy with that one value changed must be rejected (recall).
 * The eval finds and changes values with its own simple parsers, independent of the extractor,
 * so a value the extractor misses counts as a miss rather than disappearing from the sample.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createValidator } from '../src/validate/index.js';
import type { Facts } from '../src/validate/index.js';
import { evaluateRecords, formatReport, type DialogueRecord } from '../src/validate/eval.js';

const repoRoot = path.resolve(import.meta.dirname, '..');
const defaultFile = path.join(repoRoot, '..', 'shared', 'data', 'conversations.jsonl');

function main(): void {
  const { values, positionals } = parseArgs({
    options: { out: { type: 'string' }, limit: { type: 'string' }, 'turn-facts-only': { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const file = path.resolve(positionals[0] ?? defaultFile);
  if (!existsSync(file)) {
    console.error(`Conversation file not found: ${file}. Pass a JSONL file: npm run eval:validator -- FILE.jsonl`);
    process.exit(2);
  }
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  const records: DialogueRecord[] = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .slice(0, limit)
    .map((line) => JSON.parse(line) as DialogueRecord);

  const validator = createValidator();
  const started = performance.now();
  const check = (text: string, facts: Facts) => validator({ text, finishReason: 'stop', provider: 'eval', locale: 'en' }, facts);
  const report = evaluateRecords(records, check, { history: !values['turn-facts-only'] });
  const seconds = (performance.now() - started) / 1000;

  console.log(`file: ${file}`);
  console.log(`facts: ${values['turn-facts-only'] ? "the turn's own tool results" : 'tool results of this and earlier turns'} plus earlier customer messages`);
  console.log(formatReport(report));
  console.log(`time: ${seconds.toFixed(1)} s`);
  if (values.out) {
    writeFileSync(values.out, `${JSON.stringify({ file, seconds, ...report }, null, 2)}\n`);
    console.log(`report written to ${values.out}`);
  }
}

main();
