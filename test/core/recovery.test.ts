import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core.js';

interface Node {
  child: ChildProcess;
  url: string;
  events: Array<Record<string, unknown>>;
}

const children: ChildProcess[] = [];
const dirs: Array<() => void> = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const cleanup of dirs.splice(0)) cleanup();
});

/** Start the fixture process and resolve once it listens. */
function startNode(dbPath: string, mode: string): Promise<Node> {
  const child = spawn(process.execPath, ['--import', 'tsx', join('test', 'fixtures', 'crash-node.ts')], {
    env: { ...process.env, FIXTURE_DB: `file:${dbPath}`, FIXTURE_MODE: mode },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const events: Array<Record<string, unknown>> = [];
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`fixture exited early with code ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const event = JSON.parse(line) as Record<string, unknown>;
      events.push(event);
      if (event.event === 'listening') resolve({ child, url: String(event.url), events });
    });
  });
}

async function kill(node: Node): Promise<void> {
  const exited = new Promise((resolve) => node.child.once('exit', resolve));
  node.child.kill('SIGKILL');
  await exited;
}

/** Poll the database file (read-only, as a second process would) until `check` passes. */
async function waitForRow<T>(dbPath: string, query: string, check: (row: T | undefined) => boolean): Promise<T> {
  for (let i = 0; i < 300; i += 1) {
    const db = new Database(dbPath, { readonly: true, fileMustExist: false });
    try {
      const row = db.prepare(query).get() as T | undefined;
      if (check(row)) return row as T;
    } catch {
      // The tables may not exist yet while the first process migrates.
    } finally {
      db.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for: ${query}`);
}

function sendWithoutWaiting(url: string, body: unknown): AbortController {
  const controller = new AbortController();
  fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: controller.signal,
  }).catch(() => undefined);
  return controller;
}

const inboundQuery = (platformId: string) =>
  `SELECT id, state, outcome FROM messages WHERE direction = 'in' AND platform_message_id = '${platformId}'`;
const repliesQuery = (platformId: string) =>
  `SELECT count(*) AS total, sum(state = 'sent') AS sent, sum(state = 'pending') AS pending FROM messages
   WHERE reply_to_id = (SELECT id FROM messages WHERE platform_message_id = '${platformId}')`;

describe('crash recovery', () => {
  it('answers a message once after a kill between accept and reply', async () => {
    const dir = tempDir();
    dirs.push(dir.cleanup);
    const dbPath = join(dir.path, 'crash.db');

    const first = await startNode(dbPath, 'hang-provider');
    const request = sendWithoutWaiting(first.url, { userId: 'eve', text: 'how much is shipping', messageId: 'crash-1' });
    await waitForRow<{ state: string }>(dbPath, inboundQuery('crash-1'), (row) => row?.state === 'processing');
    await kill(first);
    request.abort();

    const second = await startNode(dbPath, 'normal');
    const inbound = await waitForRow<{ state: string; outcome: string }>(dbPath, inboundQuery('crash-1'), (row) => row?.state === 'done');
    expect(inbound.outcome).toBe('answer');
    const replies = await waitForRow<{ total: number; sent: number }>(dbPath, repliesQuery('crash-1'), (row) => row?.sent === 1);
    expect(replies.total).toBe(1);
    expect(second.events.filter((e) => e.event === 'sent')).toHaveLength(1);

    // A further restart finds nothing left to do and sends nothing again.
    await kill(second);
    const third = await startNode(dbPath, 'normal');
    const repeat = await fetch(`${third.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'eve', text: 'how much is shipping', messageId: 'crash-1' }),
    }).then((r) => r.json());
    expect(repeat.outcome).toBe('answer');
    expect(third.events.filter((e) => e.event === 'sent')).toHaveLength(0);
  });

  it('sends a stored reply once after a kill before the channel confirmed it', async () => {
    const dir = tempDir();
    dirs.push(dir.cleanup);
    const dbPath = join(dir.path, 'crash.db');

    const first = await startNode(dbPath, 'hang-send');
    const request = sendWithoutWaiting(first.url, { userId: 'fay', text: 'how much is shipping', messageId: 'crash-2' });
    await waitForRow<{ pending: number }>(dbPath, repliesQuery('crash-2'), (row) => row?.pending === 1);
    await kill(first);
    request.abort();

    const second = await startNode(dbPath, 'normal');
    const replies = await waitForRow<{ total: number; sent: number }>(dbPath, repliesQuery('crash-2'), (row) => row?.sent === 1);
    expect(replies.total).toBe(1);
    const sent = second.events.filter((e) => e.event === 'sent');
    expect(sent).toHaveLength(1);
    expect(String(sent[0]!.text)).toContain('$4.99');
  });
});
