/**
 * Measures how fast the fakes themselves are, so the report can show they are not the
 * bottleneck: the fake Bot API's getUpdates and sendMessage rates, and the fake LLM's
 * request rate at zero latency. The client runs in the driver's process, so the figures are
 * lower bounds for the fakes alone.
 */
import { performance } from 'node:perf_hooks';
import { startFakeTelegram } from '../test/fakes/telegram-api.js';
import { BenchChild } from './processes.js';
import { LLM_REPLY } from './session.js';

export interface FakeCapacity {
  updatesPerSec: number;
  sendMessagePerSec: number;
  llmRequestsPerSec: number;
}

async function postJson(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.json();
}

/** Run `total` calls of `call` with `concurrency` of them in flight; returns calls per second. */
async function rate(total: number, concurrency: number, call: (index: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) await call(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return total / ((performance.now() - started) / 1000);
}

export async function probeFakes(messages: number): Promise<FakeCapacity> {
  const telegram = await startFakeTelegram();
  const llm = await BenchChild.start({ script: 'llm-host.ts', env: { BENCH_LLM_LATENCY_MS: '0', BENCH_LLM_REPLY: LLM_REPLY } });
  try {
    const base = `${telegram.apiRoot}/bot1:probe`;
    telegram.pushUpdates(
      Array.from({ length: messages }, (_, i) => ({ message: { message_id: i + 1, date: 0, chat: { id: 1, type: 'private' }, text: 'probe' } })),
    );
    // getUpdates hands out at most 100 updates per call, as the real Bot API does.
    let offset = 0;
    let delivered = 0;
    const started = performance.now();
    while (delivered < messages) {
      const body = (await postJson(`${base}/getUpdates`, { offset, limit: 100 })) as { result: Array<{ update_id: number }> };
      delivered += body.result.length;
      offset = body.result.at(-1)!.update_id + 1;
    }
    const updatesPerSec = delivered / ((performance.now() - started) / 1000);
    const sendMessagePerSec = await rate(messages, 32, (i) => postJson(`${base}/sendMessage`, { chat_id: 1 + (i % 100), text: LLM_REPLY }));
    const llmRequestsPerSec = await rate(messages, 32, () =>
      postJson(`${llm.url}/chat/completions`, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'probe' }] }),
    );
    return { updatesPerSec, sendMessagePerSec, llmRequestsPerSec };
  } finally {
    await llm.stop();
    await telegram.close();
  }
}
