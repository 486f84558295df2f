/**
 * Runs the fake OpenAI-compatible LLM of `test/fakes/llm-server.ts` in a process of its own,
 * so its sockets and CPU are neither the driver's nor the bot's. Latency and the reply text
 * come from the environment.
 */
import { startFakeLlm } from '../test/fakes/llm-server.js';
import { requiredEnv, serveParent } from './child.js';

const llm = await startFakeLlm({
  latencyMs: Number(requiredEnv('BENCH_LLM_LATENCY_MS')),
  defaultReply: { text: requiredEnv('BENCH_LLM_REPLY') },
  recordRequests: false,
});
serveParent({ url: llm.openaiBaseUrl }, () => llm.close());
