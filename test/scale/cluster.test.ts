import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../fakes/llm-server.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-api.js';
import { eventually, postMessage, TestCluster, type RoleProcess } from './processes.js';
import { pgAvailable, redisAvailable } from './services.js';

const HOURS = 'what are your opening hours?';

describe.skipIf(!pgAvailable || !redisAvailable)('two gateways and two workers', () => {
  let cluster: TestCluster;
  let telegram: FakeTelegram;
  let gateways: RoleProcess[];
  /** A gateway that returns 202 at once instead of waiting for outcomes. */
  let hasty: RoleProcess;
  let workers: RoleProcess[];

  beforeAll(async () => {
    telegram = await startFakeTelegram();
    cluster = new TestCluster({
      TELEGRAM_BOT_TOKEN: '123:test-token',
      TELEGRAM_API_ROOT: telegram.apiRoot,
      RATE_LIMIT_PER_MINUTE: '1000',
      RATE_LIMIT_PER_HOUR: '10000',
    });
    const started = await Promise.all([
      cluster.start('gateway'),
      cluster.start('gateway'),
      cluster.start('gateway', { HTTP_REPLY_TIMEOUT_MS: '1' }),
      cluster.start('worker'),
      cluster.start('worker'),
    ]);
    gateways = started.slice(0, 3);
    hasty = started[2]!;
    workers = started.slice(3);
  }, 60_000);

  afterAll(async () => {
    await cluster?.destroy();
    await telegram?.close();
  });

  const handledBy = (worker: RoleProcess, userId: string) =>
    worker.logs.filter((line) => line.msg === 'message handled' && line.conversationId === `http:${userId}`).length;

  it('answers, deduplicates and lists on PostgreSQL', async () => {
    const gateway = gateways[0]!;
    const first = await postMessage(gateway.url!, { userId: 'ana', text: HOURS, messageId: 'a-1' });
    expect(first.status).toBe(200);
    expect(first.body.outcome).toBe('answer');
    expect(first.body.replies[0]?.text).toMatch(/Monday to Friday/);

    const again = await postMessage(gateway.url!, { userId: 'ana', text: HOURS, messageId: 'a-1' });
    expect(again.body).toEqual(first.body);

    const listed = (await (await fetch(`${gateway.url}/api/conversations/ana/messages`)).json()) as { messages: unknown[] };
    expect(listed.messages).toHaveLength(2);
    const rows = await cluster.query<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE conversation_id = 'http:ana'");
    expect(rows[0]!.n).toBe(2);
  });

  it('keeps one conversation in order across two workers', async () => {
    // Each post returns 202 once queued, so the 20 messages wait in the lane behind each other.
    for (let index = 0; index < 20; index += 1) {
      const posted = await postMessage(hasty.url!, { userId: 'bruno', text: `${HOURS} (${index})`, messageId: `b-${index}` });
      expect(posted.status).toBe(202);
    }
    const replies = await eventually(
      () =>
        cluster.query<{ reply_to_id: number; state: string }>(
          "SELECT reply_to_id, state FROM messages WHERE conversation_id = 'http:bruno' AND direction = 'out' ORDER BY id",
        ),
      (rows) => rows.length >= 20 && rows.every((row) => row.state === 'sent'),
    );
    const inbound = await cluster.query<{ id: number }>(
      "SELECT id FROM messages WHERE conversation_id = 'http:bruno' AND direction = 'in' ORDER BY id",
    );
    expect(inbound).toHaveLength(20);
    expect(replies.map((row) => row.reply_to_id)).toEqual(inbound.map((row) => row.id));
    expect(handledBy(workers[0]!, 'bruno') + handledBy(workers[1]!, 'bruno')).toBe(20);
  });

  it('computes a duplicate delivery once across gateways', async () => {
    const message = { userId: 'dora', text: HOURS, messageId: 'd-1' };
    const [fromEast, fromWest] = await Promise.all([postMessage(gateways[0]!.url!, message), postMessage(gateways[1]!.url!, message)]);

    expect(fromEast.status).toBe(200);
    expect(fromWest.body).toEqual(fromEast.body);
    const rows = await cluster.query<{ direction: string; n: number }>(
      "SELECT direction, count(*)::int AS n FROM messages WHERE conversation_id = 'http:dora' GROUP BY direction ORDER BY direction",
    );
    expect(rows).toEqual([
      { direction: 'in', n: 1 },
      { direction: 'out', n: 1 },
    ]);
    expect(handledBy(workers[0]!, 'dora') + handledBy(workers[1]!, 'dora')).toBe(1);
  });

  // Last: it kills one of the gateways.
  it('moves Telegram long polling to the other gateway', async () => {
    const polling = (line: Record<string, unknown>) => line.msg === 'telegram long polling started';
    const holder = await Promise.any(gateways.map((gateway) => gateway.waitForLog(polling).then(() => gateway)));
    const others = gateways.filter((gateway) => gateway !== holder);
    expect(others.filter((gateway) => gateway.logs.some(polling))).toHaveLength(0);

    holder.child.kill('SIGKILL');
    await Promise.any(others.map((gateway) => gateway.waitForLog(polling, 10_000)));
    expect(others.filter((gateway) => gateway.logs.some(polling))).toHaveLength(1);
    const polls = telegram.calls.filter((call) => call.method === 'getUpdates').length;
    await telegram.waitForCalls('getUpdates', polls + 1, 10_000);
  }, 30_000);

  it('exits 0 on SIGTERM in every role', async () => {
    const running = cluster.processes.filter(({ child }) => child.exitCode === null && child.signalCode === null);
    for (const { child } of running) child.kill('SIGTERM');
    const codes = await Promise.all(running.map(({ exited }) => exited));
    expect(codes).toEqual(running.map(() => 0));
    expect(running.every(({ logs }) => logs.some((line) => line.msg === 'stopped'))).toBe(true);
  }, 30_000);
});

describe.skipIf(!pgAvailable || !redisAvailable)('a worker killed mid-message', () => {
  let cluster: TestCluster | undefined;
  let llm: FakeLlm | undefined;

  afterEach(async () => {
    await cluster?.destroy();
    await llm?.close();
  });

  it('is answered once by the other worker', { timeout: 60_000 }, async () => {
    llm = await startFakeLlm({ defaultReply: { text: 'Your order ships within two business days.' } });
    // The first LLM call never returns in time: its worker is killed while waiting for it.
    llm.script({ kind: 'text', text: 'too late', delayMs: 60_000 });
    cluster = new TestCluster({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: llm.openaiBaseUrl, LLM_TIMEOUT_MS: '50000' });
    const [gateway, doomed] = await Promise.all([cluster.start('gateway'), cluster.start('worker')]);

    const answer = postMessage(gateway.url!, { userId: 'carla', text: 'when does my order ship?', messageId: 'c-1' });
    await eventually(async () => llm!.requests.length, (count) => count >= 1);
    const survivor = await cluster.start('worker');
    doomed.child.kill('SIGKILL');

    const result = await answer;
    expect(result.status).toBe(200);
    expect(result.body.replies).toHaveLength(1);
    const replies = await cluster.query<{ state: string }>("SELECT state FROM messages WHERE direction = 'out'");
    expect(replies).toEqual([{ state: 'sent' }]);
    expect(survivor.logs.filter((line) => line.msg === 'message handled')).toHaveLength(1);
  });
});
