/**
 * `npm run bench`: frontdesk's full pipeline side by side with a bare-minimum grammy bot, both
 * driven through the fake Bot API against the fake LLM on 127.0.0.1.
 *
 *   npm run bench                   full run, about 10 minutes on 2 cores; writes docs/benchmarks.md
 *   npm run bench -- --quick        smoke run of about 1.5 minutes; prints only
 *   npm run bench -- --only a,e     some scenarios; prints only
 *   npm run bench -- --write        also write docs/benchmarks.md after --quick or --only
 *   npm run bench -- --repeats 5    repeats per scenario and bot
 *   npm run bench -- --profile      scenario (a) on frontdesk under --cpu-prof; prints a summary
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileThroughput } from './profile.js';
import { probeFakes, type FakeCapacity } from './fake-probe.js';
import {
  RESULT_HEADER,
  SCENARIO_TITLES,
  TARGET_HEADER,
  fakeRows,
  formatMarkdown,
  formatText,
  machine,
  tableRows,
  targetRows,
  type Results,
  type ScenarioId,
} from './report.js';
import { closedLoop, flood, inFlight, sequential, throughput, type Figures, type Scale } from './scenarios.js';
import type { BotKind } from './session.js';

const FULL: Scale = {
  throughput: { warmup: 300, messages: 2000, chats: 300 },
  sequential: { warmup: 30, messages: 300, chats: 10 },
  inFlight: { conversations: 10_000 },
  flood: { senders: 500, periodMs: 4000, floodPerSecond: 50, durationMs: 10_000 },
  closedLoop: { chats: 8, warmupMs: 2000, durationMs: 10_000 },
};

const QUICK: Scale = {
  throughput: { warmup: 100, messages: 600, chats: 100 },
  sequential: { warmup: 10, messages: 60, chats: 10 },
  inFlight: { conversations: 1000 },
  flood: { senders: 100, periodMs: 2000, floodPerSecond: 50, durationMs: 6000 },
  closedLoop: { chats: 8, warmupMs: 1000, durationMs: 4000 },
};

const SCENARIOS: Record<ScenarioId, (bot: BotKind, scale: Scale) => Promise<Figures>> = {
  a: throughput,
  b: sequential,
  c: inFlight,
  d: flood,
  e: closedLoop,
};

interface Options {
  quick: boolean;
  only: ScenarioId[];
  repeats: number;
  write: boolean;
}

function parseArgs(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const onlyIndex = argv.indexOf('--only');
  const only = onlyIndex >= 0 ? (argv[onlyIndex + 1] ?? '').split(',').map((id) => id.trim()) : Object.keys(SCENARIOS);
  for (const id of only) {
    if (!(id in SCENARIOS)) throw new Error(`bench: unknown scenario "${id}" in --only; use a comma-separated list of a, b, c, d, e`);
  }
  const repeatsIndex = argv.indexOf('--repeats');
  const repeats = repeatsIndex >= 0 ? Number(argv[repeatsIndex + 1]) : quick ? 1 : 3;
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error('bench: --repeats needs a whole number of at least 1');
  const write = argv.includes('--write') || (!quick && onlyIndex < 0);
  return { quick, only: only as ScenarioId[], repeats, write };
}

function describePlan(options: Options, scale: Scale): string {
  const { throughput: a, sequential: b, inFlight: c, flood: d, closedLoop: e } = scale;
  const lines: Record<ScenarioId, string> = {
    a: `${a.messages} messages from ${a.chats} chats at once after ${a.warmup} to warm up, LLM 0 ms`,
    b: `${b.messages} messages one at a time after ${b.warmup} to warm up, LLM 0 ms`,
    c: `${c.conversations} chats with one message each at once, LLM 850 ms`,
    d: `${d.senders} senders every ${d.periodMs} ms for ${d.durationMs / 1000} s, without and with one sender at ${d.floodPerSecond} msg/s, LLM 200 ms`,
    e: `${e.chats} chats, each writing again on its answer, ${e.durationMs / 1000} s after ${e.warmupMs / 1000} s warm-up, LLM 200 ms`,
  };
  const plan = options.only.map((id) => `  ${SCENARIO_TITLES[id]}: ${lines[id]}`);
  return [
    `frontdesk benchmark (${options.quick ? 'quick' : 'full'}), ${options.repeats} repeat(s) per bot, baseline and frontdesk alternating`,
    `machine: ${machine()}`,
    ...plan,
  ].join('\n');
}

async function runAll(options: Options, scale: Scale): Promise<Results> {
  const results: Results = new Map();
  for (const id of options.only) {
    const runs = { baseline: [] as Figures[], frontdesk: [] as Figures[] };
    results.set(id, runs);
    for (let repeat = 0; repeat < options.repeats; repeat++) {
      // The bot that goes first alternates, so a drift of the machine affects both alike.
      const order: BotKind[] = repeat % 2 === 0 ? ['baseline', 'frontdesk'] : ['frontdesk', 'baseline'];
      for (const bot of order) {
        const started = Date.now();
        const figures = await SCENARIOS[id](bot, scale);
        runs[bot].push(figures);
        const shown = Object.entries(figures).map(([name, value]) => `${name}=${Number.isFinite(value) ? +value.toFixed(2) : 'n/a'}`);
        console.log(`  ${id} #${repeat + 1} ${bot.padEnd(9)} ${((Date.now() - started) / 1000).toFixed(1)} s  ${shown.join(' ')}`);
      }
    }
  }
  return results;
}

const RESULTS_START = '<!-- bench:results:start -->';
const RESULTS_END = '<!-- bench:results:end -->';

/** Replace the generated part of docs/benchmarks.md and keep the written notes around it. */
function writeRecord(markdown: string): string {
  const path = join(import.meta.dirname, '..', 'docs', 'benchmarks.md');
  let existing = '';
  try {
    existing = readFileSync(path, 'utf8');
  } catch {
    existing = `# Benchmarks\n\n${RESULTS_START}\n${RESULTS_END}\n`;
  }
  const start = existing.indexOf(RESULTS_START);
  const end = existing.indexOf(RESULTS_END);
  const block = `${RESULTS_START}\n${markdown}\n${RESULTS_END}`;
  const updated =
    start >= 0 && end > start ? existing.slice(0, start) + block + existing.slice(end + RESULTS_END.length) : `${existing.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, updated);
  return path;
}

function record(options: Options, plan: string, results: Results, capacity: FakeCapacity, elapsedSec: number): string {
  const args = process.argv.slice(2).join(' ');
  return [
    `Command: \`npm run bench${args ? ` -- ${args}` : ''}\`, run on ${new Date().toISOString().slice(0, 10)}, took ${Math.round(elapsedSec)} s.`,
    '',
    '```',
    plan,
    '```',
    '',
    'Medians of the repeats, with the lowest and highest value in brackets.',
    '',
    formatMarkdown(RESULT_HEADER, tableRows(results)),
    '',
    '### Targets',
    '',
    formatMarkdown(TARGET_HEADER, targetRows(results)),
    '',
    '### Capacity of the fakes',
    '',
    formatMarkdown(['fake', 'rate'], fakeRows(capacity)),
  ].join('\n');
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const scale = options.quick ? QUICK : FULL;
  if (process.argv.includes('--profile')) {
    console.log(await profileThroughput(scale));
    return;
  }
  const plan = describePlan(options, scale);
  console.log(plan);
  const started = Date.now();

  const capacity = await probeFakes(options.quick ? 1000 : 3000);
  console.log(formatText(['fake', 'rate'], fakeRows(capacity)));
  const results = await runAll(options, scale);
  const elapsedSec = (Date.now() - started) / 1000;

  console.log(`\n${formatText(RESULT_HEADER, tableRows(results))}\n`);
  console.log(formatText(TARGET_HEADER, targetRows(results)));
  console.log(`\ntook ${elapsedSec.toFixed(0)} s`);
  if (options.write) console.log(`written to ${writeRecord(record(options, plan, results, capacity, elapsedSec))}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
