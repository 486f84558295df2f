/**
 * Starting and stopping the benchmark's child processes (the bots and the fake LLM) and
 * reading their CPU time and memory over IPC.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ChildMessage, ProcessStats } from './child.js';

const BENCH_DIR = import.meta.dirname;

/** Open-file limit asked for in each child: 10,000 chats in flight need about two sockets each. */
const FILE_LIMIT = 65_536;

export interface ChildOptions {
  /** File name under bench/, such as `baseline-bot.ts`. */
  script: string;
  env: Record<string, string>;
  /** Extra Node flags, such as `--cpu-prof`. */
  nodeFlags?: string[];
  /** How long start-up may take, in ms. */
  startTimeoutMs?: number;
}

/** A running child with an IPC channel. */
export class BenchChild {
  private constructor(
    private readonly child: ChildProcess,
    /** The URL the child reported as ready, if any. */
    readonly url: string | undefined,
  ) {}

  /**
   * Start `node --import tsx bench/<script>` and wait for its `ready` message. The child is
   * started through `sh` to raise its open-file limit; where the limit cannot be raised
   * (not root), the child runs with the current one.
   */
  static async start(options: ChildOptions): Promise<BenchChild> {
    const nodeArgs = [...(options.nodeFlags ?? []), '--import', 'tsx', join(BENCH_DIR, options.script)];
    const child = spawn('sh', ['-c', `ulimit -n ${FILE_LIMIT} 2>/dev/null; exec "$0" "$@"`, process.execPath, ...nodeArgs], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...options.env },
    });
    const ready = await new Promise<ChildMessage & { type: 'ready' }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bench: ${options.script} did not start within ${options.startTimeoutMs ?? 30_000} ms`)), options.startTimeoutMs ?? 30_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`bench: ${options.script} exited with code ${code} before it was ready`));
      });
      child.once('message', (message: ChildMessage) => {
        clearTimeout(timer);
        if (message.type === 'ready') resolve(message);
      });
    }).catch((error: unknown) => {
      if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
      throw error;
    });
    child.removeAllListeners('exit');
    return new BenchChild(child, ready.url);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The child's CPU time and memory as it reports them itself. */
  stats(): Promise<ProcessStats> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('bench: child did not answer a stats request within 10 s')), 10_000);
      const onMessage = (message: ChildMessage) => {
        if (message.type !== 'stats') return;
        clearTimeout(timer);
        this.child.off('message', onMessage);
        resolve(message);
      };
      this.child.on('message', onMessage);
      this.child.send({ type: 'stats' });
    });
  }

  /** Ask the child to shut down; kill it by its pid when it has not exited after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.send({ type: 'stop' });
    const timer = setTimeout(() => {
      if (this.child.exitCode === null && this.child.pid) process.kill(this.child.pid, 'SIGKILL');
    }, graceMs);
    await exited;
    clearTimeout(timer);
  }
}
