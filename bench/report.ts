/** Turns the repeated figures into the printed table and the Markdown record. */
import { cpus } from 'node:os';
import { formatNumber, summarize, type Summary } from './stats.js';
import type { FakeCapacity } from './fake-probe.js';

export type ScenarioId = 'a' | 'b' | 'c' | 'd' | 'e';

/** Figures of every repeat, per scenario and bot. */
export type Results = Map<ScenarioId, { baseline: Array<Record<string, number>>; frontdesk: Array<Record<string, number>> }>;

export const SCENARIO_TITLES: Record<ScenarioId, string> = {
  a: '(a) throughput, 0 ms LLM',
  b: '(b) one message at a time, 0 ms LLM',
  c: '(c) all conversations at once, 850 ms LLM',
  d: '(d) flood beside normal senders, 200 ms LLM',
  e: '(e) 8 chats in a closed loop, 200 ms LLM',
};

interface Target {
  scenario: ScenarioId;
  text: string;
  metric: string;
  /** Returns the verdict for the frontdesk median. */
  judge: (value: number) => string;
}

const TARGETS: Target[] = [
  {
    scenario: 'c',
    text: 'peak RSS <= 300 MB',
    metric: 'peakRssMb',
    judge: (mb) => (mb <= 300 ? `met (${formatNumber(mb)} MB)` : `missed by ${formatNumber(mb - 300)} MB (${formatNumber(mb)} MB)`),
  },
  {
    scenario: 'd',
    text: 'flood p99 <= 1.5x no-flood p99',
    metric: 'p99Ratio',
    judge: (ratio) => (ratio <= 1.5 ? `met (${ratio.toFixed(2)}x)` : `missed by ${(ratio - 1.5).toFixed(2)}x (${ratio.toFixed(2)}x)`),
  },
  {
    scenario: 'e',
    text: '>= 39 msg/s of the 40 possible',
    metric: 'msgsPerSec',
    judge: (rate) => (rate >= 39 ? `met (${rate.toFixed(1)} msg/s)` : `missed by ${(39 - rate).toFixed(1)} msg/s (${rate.toFixed(1)} msg/s)`),
  },
];

function cell(summary: Summary): string {
  if (summary.count === 0) return 'n/a';
  if (summary.count === 1) return formatNumber(summary.median);
  return `${formatNumber(summary.median)} (${formatNumber(summary.min)}–${formatNumber(summary.max)})`;
}

function metricSummaries(runs: Array<Record<string, number>>): Map<string, Summary> {
  const names = new Set(runs.flatMap((run) => Object.keys(run)));
  return new Map([...names].map((name) => [name, summarize(runs.map((run) => run[name] ?? Number.NaN))]));
}

/** Rows of the results table: scenario, metric, baseline, frontdesk, frontdesk against baseline. */
export function tableRows(results: Results): string[][] {
  const rows: string[][] = [];
  for (const [scenario, runs] of results) {
    const baseline = metricSummaries(runs.baseline);
    const frontdesk = metricSummaries(runs.frontdesk);
    for (const metric of new Set([...baseline.keys(), ...frontdesk.keys()])) {
      const b = baseline.get(metric);
      const f = frontdesk.get(metric);
      rows.push([SCENARIO_TITLES[scenario], metric, b ? cell(b) : 'n/a', f ? cell(f) : 'n/a', compare(metric, b, f)]);
    }
  }
  return rows;
}

/** frontdesk against the baseline: a ratio for rates and costs, a difference for latencies. */
function compare(metric: string, baseline: Summary | undefined, frontdesk: Summary | undefined): string {
  if (!baseline || !frontdesk || !Number.isFinite(baseline.median) || !Number.isFinite(frontdesk.median)) return '';
  if (metric.endsWith('Ms')) return `${frontdesk.median >= baseline.median ? '+' : ''}${formatNumber(frontdesk.median - baseline.median)} ms`;
  if (/PerSec|PerMsg|RssMb/.test(metric) && baseline.median !== 0) return `${(frontdesk.median / baseline.median).toFixed(2)}x`;
  return '';
}

export function targetRows(results: Results): string[][] {
  return TARGETS.filter((target) => results.has(target.scenario)).map((target) => {
    const runs = results.get(target.scenario)!.frontdesk;
    const summary = summarize(runs.map((run) => run[target.metric] ?? Number.NaN));
    return [SCENARIO_TITLES[target.scenario], target.text, summary.count ? target.judge(summary.median) : 'not run'];
  });
}

export function formatText(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((value, column) => value.padEnd(widths[column]!)).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function formatMarkdown(header: string[], rows: string[][]): string {
  const line = (row: string[]) => `| ${row.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export const RESULT_HEADER = ['scenario', 'metric', 'baseline median (range)', 'frontdesk median (range)', 'frontdesk vs baseline'];
export const TARGET_HEADER = ['scenario', 'target (frontdesk)', 'verdict (median)'];

/** The machine the figures were taken on. */
export function machine(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpus().length} CPUs (${model}), Node ${process.version}, ${process.platform} ${process.arch}`;
}

export function fakeRows(capacity: FakeCapacity): string[][] {
  return [
    ['fake Bot API getUpdates', `${formatNumber(capacity.updatesPerSec)} updates/s`],
    ['fake Bot API sendMessage (32 in flight)', `${formatNumber(capacity.sendMessagePerSec)} calls/s`],
    ['fake LLM, 0 ms (32 in flight)', `${formatNumber(capacity.llmRequestsPerSec)} requests/s`],
  ];
}
