/**
 * The side of the IPC protocol that runs inside a benchmarked process: it answers `stats`
 * requests with the process's own CPU time and memory, and exits on `stop`.
 */

/** Resource figures of one process, as sent over IPC. */
export interface ProcessStats {
  /** User plus system CPU time since the process started, in microseconds. */
  cpuMicros: number;
  rssBytes: number;
  /** Peak resident set size since the process started, in bytes. */
  maxRssBytes: number;
}

export type ParentMessage = { type: 'stats' } | { type: 'stop' };
export type ChildMessage = { type: 'ready'; url?: string } | ({ type: 'stats' } & ProcessStats);

/** The current process's CPU time and memory. */
export function ownStats(): ProcessStats {
  const cpu = process.cpuUsage();
  return {
    cpuMicros: cpu.user + cpu.system,
    rssBytes: process.memoryUsage.rss(),
    // resourceUsage() reports maxRSS in kilobytes.
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

/**
 * Tell the parent that the process is ready and answer its requests. `stop` runs the
 * process's own shutdown and then exits, so `--cpu-prof` gets to write its profile.
 */
export function serveParent(ready: { url?: string }, stop: () => Promise<void>): void {
  if (!process.send) throw new Error('bench: this file runs as a child of bench/run.ts (no IPC channel)');
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stats') process.send!({ type: 'stats', ...ownStats() } satisfies ChildMessage);
    if (message.type === 'stop') {
      void stop()
        .catch((error: unknown) => process.stderr.write(`bench: shutdown failed: ${String(error)}\n`))
        .finally(() => process.exit(0));
    }
  });
  // The parent going away (for example on Ctrl-C) ends the child too.
  process.on('disconnect', () => process.exit(0));
  process.send({ type: 'ready', ...ready } satisfies ChildMessage);
}

/** Read a required variable of the child's environment, set by the parent. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`bench: ${name} is missing from the child's environment`);
  return value;
}
