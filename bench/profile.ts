/**
 * `npm run bench -- --profile`: runs scenario (a) on frontdesk under `node --cpu-prof`, writes
 * the profile to a temporary folder and prints the functions with the most self time, split
 * into our code (src/, adapters/) and libraries.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatMarkdown } from './report.js';
import { throughput, type Scale } from './scenarios.js';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const REPO_URL = pathToFileURL(join(import.meta.dirname, '..')).href + '/';

/** Where a function's code comes from: ours, a package, Node itself, or a V8 pseudo-frame. */
function origin(url: string, name: string): string {
  if (url === '') return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node';
  if (!url.startsWith(REPO_URL)) return 'other';
  return `ours:${url.slice(REPO_URL.length).split('/')[0]}`;
}

function shortUrl(url: string): string {
  const pkg = /node_modules\/(.*)$/.exec(url);
  if (pkg) return pkg[1]!;
  return url.startsWith(REPO_URL) ? url.slice(REPO_URL.length) : url;
}

/** Self time per function and per origin, in ms, from a `.cpuprofile` file. */
export function summarizeProfile(profile: CpuProfile): { functions: Map<string, number>; origins: Map<string, number>; totalMs: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const functions = new Map<string, number>();
  const origins = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    const frame = byId.get(id)!.callFrame;
    const source = origin(frame.url, frame.functionName);
    if (source === '(idle)') return;
    totalMs += ms;
    const key = `${source}\t${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + ms);
    origins.set(source, (origins.get(source) ?? 0) + ms);
  });
  return { functions, origins, totalMs };
}

function top(map: Map<string, number>, count: number, filter: (key: string) => boolean = () => true): Array<[string, number]> {
  return [...map].filter(([key]) => filter(key)).sort((a, b) => b[1] - a[1]).slice(0, count);
}

export async function profileThroughput(scale: Scale): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-profile-'));
  const figures = await throughput('frontdesk', scale, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`bench: no .cpuprofile was written to ${dir}`);
  return describeProfile(join(dir, file), figures);
}

/** The summary of one profile as Markdown. */
export function describeProfile(path: string, figures: Record<string, number>): string {
  const { functions, origins, totalMs } = summarizeProfile(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile);
  const percent = (ms: number) => `${((ms / totalMs) * 100).toFixed(1)}%`;
  const isOurs = (key: string) => key.startsWith('ours:src') || key.startsWith('ours:adapters');

  const oursMs = [...origins].filter(([name]) => name === 'ours:src' || name === 'ours:adapters').reduce((sum, [, ms]) => sum + ms, 0);
  return [
    `Profile: ${path} (whole process life, start-up included; ${Math.round(totalMs)} ms of CPU samples, idle left out).`,
    `Run: ${figures.msgsPerSec!.toFixed(1)} msg/s, ${figures.cpuMsPerMsg!.toFixed(2)} ms CPU per message. Our code (src/, adapters/): ${percent(oursMs)} of self time.`,
    '',
    'Self time by origin:',
    '',
    formatMarkdown(['origin', 'self ms', 'share'], top(origins, 15).map(([name, ms]) => [name, ms.toFixed(0), percent(ms)])),
    '',
    'Our functions with the most self time:',
    '',
    formatMarkdown(['function', 'self ms', 'share'], top(functions, 15, isOurs).map(([key, ms]) => [key.split('\t')[1]!, ms.toFixed(0), percent(ms)])),
    '',
    'Library and runtime functions with the most self time:',
    '',
    formatMarkdown(['origin', 'function', 'self ms', 'share'], top(functions, 20, (key) => !isOurs(key)).map(([key, ms]) => [...key.split('\t'), ms.toFixed(0), percent(ms)])),
  ].join('\n');
}
