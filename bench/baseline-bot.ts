/**
 * The bare-minimum bot the benchmark compares frontdesk with: receive a message by long
 * polling, ask the LLM with the message text, send the answer with sendMessage. Nothing else:
 * no storage, no guard, no validation, no retries.
 *
 * grammy's `bot.start()` handles one update at a time, which would make this bot wait for
 * each LLM call before reading the next update and so lose every concurrency scenario. This
 * bot runs its own getUpdates loop instead and hands each update to `bot.handleUpdate()`
 * without awaiting it. Up to BENCH_BASELINE_CONCURRENCY updates are in flight at once, the
 * same bound as frontdesk's QUEUE_CONCURRENCY in the scenario: unbounded, thousands of new
 * connections at once overflow the fake servers' accept queues and the figures turn into
 * TCP retransmission timeouts.
 */
import { Bot } from 'grammy';
import OpenAI from 'openai';
import { requiredEnv, serveParent } from './child.js';

const bot = new Bot(requiredEnv('BENCH_TELEGRAM_TOKEN'), {
  client: { apiRoot: requiredEnv('BENCH_TELEGRAM_API_ROOT'), timeoutSeconds: 60 },
});
const openai = new OpenAI({ apiKey: 'bench', baseURL: requiredEnv('BENCH_OPENAI_BASE_URL'), maxRetries: 0, timeout: 60_000 });

bot.on('message:text', async (ctx) => {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: ctx.message.text }],
  });
  await ctx.reply(completion.choices[0]?.message.content ?? '');
});

const abort = new AbortController();
const concurrency = Number(process.env.BENCH_BASELINE_CONCURRENCY ?? 256);
let inFlight = 0;
const slotWaiters: Array<() => void> = [];

async function takeSlot(): Promise<void> {
  while (inFlight >= concurrency) await new Promise<void>((resolve) => slotWaiters.push(resolve));
  inFlight += 1;
}

function releaseSlot(): void {
  inFlight -= 1;
  slotWaiters.shift()?.();
}

async function poll(): Promise<void> {
  let offset = 0;
  while (!abort.signal.aborted) {
    // grammy types its signal with the abort-controller package; Node's own is compatible at run time.
    const signal = abort.signal as Parameters<typeof bot.api.getUpdates>[1];
    const updates = await bot.api.getUpdates({ offset, timeout: 30, allowed_updates: ['message'] }, signal);
    for (const update of updates) {
      offset = update.update_id + 1;
      await takeSlot();
      bot
        .handleUpdate(update)
        .catch((error: unknown) => process.stderr.write(`baseline: update failed: ${String(error)}\n`))
        .finally(releaseSlot);
    }
  }
}

await bot.init();
const polling = poll().catch((error: unknown) => {
  if (!abort.signal.aborted) process.stderr.write(`baseline: polling stopped: ${String(error)}\n`);
});
serveParent({}, async () => {
  abort.abort();
  await polling;
});
