/**
 * The five scenarios. Each runs one bot once against fresh fakes and returns its figures;
 * `run.ts` repeats them and alternates the bots.
 */
import { performance } from 'node:perf_hooks';
import { measure, question, withSession, type BotKind, type Session } from './session.js';
import { quantile, sleep } from './stats.js';

export type Figures = Record<string, number>;

/** How much work each scenario does; `--quick` uses a smaller one. */
export interface Scale {
  throughput: { warmup: number; messages: number; chats: number };
  sequential: { warmup: number; messages: number; chats: number };
  inFlight: { conversations: number };
  flood: { senders: number; periodMs: number; floodPerSecond: number; durationMs: number };
  closedLoop: { chats: number; warmupMs: number; durationMs: number };
}

/**
 * Core variables for the load scenarios: rate limits so high that the guard still runs every
 * check but never limits, and no response cache, because the scenarios repeat the same
 * questions and would otherwise measure cache hits.
 */
export const LOAD_ENV: Record<string, string> = {
  RATE_LIMIT_PER_MINUTE: '1000000',
  RATE_LIMIT_PER_HOUR: '10000000',
  RATE_LIMIT_FLOOR: '1000000',
  RATE_LIMIT_HOUR_FLOOR: '10000000',
  CACHE_ENABLED: 'false',
};

const REPLY_TIMEOUT_MS = 120_000;

function answeredSince(session: Session, from: number): number {
  return session.driver.replies.slice(from).filter((reply) => reply.answered).length;
}

/** (a) Zero-latency LLM, everything at once: messages per second and bot CPU per message. */
export async function throughput(bot: BotKind, scale: Scale, nodeFlags?: string[]): Promise<Figures> {
  const { warmup, messages, chats } = scale.throughput;
  return withSession({ bot, llmLatencyMs: 0, coreEnv: LOAD_ENV, nodeFlags }, async (session) => {
    const batch = (count: number, offset: number) =>
      Array.from({ length: count }, (_, i) => ({ chatId: 1000 + ((offset + i) % chats), text: question(offset + i) }));
    session.driver.send(batch(warmup, 0));
    await session.driver.waitForReplies(warmup, REPLY_TIMEOUT_MS);
    const measured = await measure(session, async () => {
      session.driver.send(batch(messages, warmup));
      await session.driver.waitForReplies(warmup + messages, REPLY_TIMEOUT_MS);
    });
    const seconds = measured.wallMs / 1000;
    return {
      msgsPerSec: messages / seconds,
      cpuMsPerMsg: measured.botCpuMs / messages,
      botCpuShare: measured.botCpuMs / measured.wallMs,
      fakesCpuShare: (measured.driverCpuMs + measured.llmCpuMs) / measured.wallMs,
      errors: messages - answeredSince(session, warmup),
    };
  });
}

/** (b) One message at a time: latency from the update being queued to the reply. */
export async function sequential(bot: BotKind, scale: Scale): Promise<Figures> {
  const { warmup, messages, chats } = scale.sequential;
  return withSession({ bot, llmLatencyMs: 0, coreEnv: LOAD_ENV }, async (session) => {
    for (let i = 0; i < warmup + messages; i++) {
      session.driver.send([{ chatId: 5000 + (i % chats), text: question(i) }]);
      if (!(await session.driver.waitForReplies(i + 1, 30_000))) break;
    }
    const latencies = session.driver.replies.slice(warmup).flatMap((reply) => (reply.latencyMs === undefined ? [] : [reply.latencyMs]));
    return {
      p50Ms: quantile(latencies, 0.5),
      p99Ms: quantile(latencies, 0.99),
      errors: messages - answeredSince(session, warmup),
    };
  });
}

/** (c) A slow LLM and every conversation writing at once: completions, errors and peak RSS. */
export async function inFlight(bot: BotKind, scale: Scale): Promise<Figures> {
  const { conversations } = scale.inFlight;
  // Queue concurrency as high as the conversations, so that all of them are at the LLM at once.
  const coreEnv = { ...LOAD_ENV, QUEUE_CONCURRENCY: String(conversations), QUEUE_MAX_PENDING: String(conversations * 2) };
  return withSession({ bot, llmLatencyMs: 850, coreEnv }, async (session) => {
    const started = performance.now();
    session.driver.send(Array.from({ length: conversations }, (_, i) => ({ chatId: 100_000 + i, text: question(i) })));
    await session.driver.waitForReplies(conversations, REPLY_TIMEOUT_MS);
    const wallMs = performance.now() - started;
    const stats = await session.bot.stats();
    const answered = answeredSince(session, 0);
    return {
      completed: answered,
      errors: conversations - answered,
      allDoneSec: wallMs / 1000,
      peakRssMb: stats.maxRssBytes / 1024 / 1024,
    };
  });
}

const FLOODER_CHAT = 999_999;

/**
 * (d) Normal senders, each writing every `periodMs`, with or without one sender flooding
 * beside them; returns the normal senders' latency. frontdesk keeps its default rate limits.
 */
async function floodRun(bot: BotKind, scale: Scale, flood: boolean): Promise<{ p50: number; p99: number; missing: number }> {
  const { senders, periodMs, floodPerSecond, durationMs } = scale.flood;
  return withSession({ bot, llmLatencyMs: 200, coreEnv: { CACHE_ENABLED: 'false' } }, async (session) => {
    const latencies: number[] = [];
    let normalSent = 0;
    let normalReplied = 0;
    const measureFrom = performance.now() + periodMs;
    session.driver.onReply((reply) => {
      if (reply.chatId === String(FLOODER_CHAT) || reply.pushedAt === undefined) return;
      normalReplied += 1;
      if (reply.pushedAt >= measureFrom) latencies.push(reply.latencyMs!);
    });

    const started = performance.now();
    let sentRounds = 0;
    let floodSent = 0;
    // Sender i writes at i * periodMs / senders within each period; the flooder at a steady rate.
    while (performance.now() - started < durationMs) {
      const elapsed = performance.now() - started;
      const due: Array<{ chatId: number; text: string }> = [];
      const roundsDue = Math.floor((elapsed * senders) / periodMs);
      for (; sentRounds < roundsDue; sentRounds++) {
        due.push({ chatId: 20_000 + (sentRounds % senders), text: question(sentRounds) });
      }
      normalSent += due.length;
      if (flood) {
        const floodDue = Math.floor((elapsed * floodPerSecond) / 1000);
        for (; floodSent < floodDue; floodSent++) due.push({ chatId: FLOODER_CHAT, text: question(floodSent) });
      }
      if (due.length > 0) session.driver.send(due);
      await sleep(10);
    }
    const deadline = performance.now() + 30_000;
    while (normalReplied < normalSent && performance.now() < deadline) await sleep(50);
    return { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), missing: normalSent - normalReplied };
  });
}

export async function flood(bot: BotKind, scale: Scale): Promise<Figures> {
  const quiet = await floodRun(bot, scale, false);
  const flooded = await floodRun(bot, scale, true);
  return {
    quietP50Ms: quiet.p50,
    quietP99Ms: quiet.p99,
    floodP50Ms: flooded.p50,
    floodP99Ms: flooded.p99,
    p99Ratio: flooded.p99 / quiet.p99,
    missingReplies: quiet.missing + flooded.missing,
  };
}

/** (e) A few chats, each writing again as soon as it has its answer: messages per second. */
export async function closedLoop(bot: BotKind, scale: Scale): Promise<Figures> {
  const { chats, warmupMs, durationMs } = scale.closedLoop;
  return withSession({ bot, llmLatencyMs: 200, coreEnv: LOAD_ENV }, async (session) => {
    let running = true;
    let sent = 0;
    const answeredAt: number[] = [];
    session.driver.onReply((reply) => {
      answeredAt.push(performance.now());
      if (running) session.driver.send([{ chatId: Number(reply.chatId), text: question(sent++) }]);
    });
    session.driver.send(Array.from({ length: chats }, (_, i) => ({ chatId: 7000 + i, text: question(sent++) })));
    const from = performance.now() + warmupMs;
    await sleep(warmupMs + durationMs);
    running = false;
    const to = from + durationMs;
    const inWindow = answeredAt.filter((at) => at >= from && at < to).length;
    await session.driver.waitForReplies(session.driver.pushed, 10_000);
    const errors = session.driver.replies.filter((reply) => !reply.answered).length;
    return { msgsPerSec: inWindow / (durationMs / 1000), errors };
  });
}
