/**
 * The in-process fake LLM for `npm run replay -- --fake-llm`: OpenAI is the primary and
 * Anthropic the secondary, both served by test/fakes/llm-server.ts, and a share of primary
 * calls fails with HTTP 500 or hangs until the client's timeout.
 */
import { startFakeLlm, type FakeLlm, type FakeReply } from '../../test/fakes/llm-server.js';

/** A plain sentence with no amount, id, date or contact, so the validator accepts it for any question. */
export const FAKE_ANSWER = 'Thanks for your message, I have noted that.';

export interface ChaosOptions {
  /** Share of primary calls answered with HTTP 500, from 0 to 1. */
  primaryErrors: number;
  /** Share of primary calls that never get a response, from 0 to 1. */
  primaryTimeouts: number;
  /** Every primary call fails with HTTP 500. */
  primaryDown: boolean;
  /** Seed of the random choice per call, so a run can be repeated. */
  seed: number;
}

/** Calls the fake received, by API and by what it did. */
export interface ChaosCounts {
  primaryCalls: number;
  primaryErrors: number;
  primaryHangs: number;
  secondaryCalls: number;
}

export interface ChaosLlm {
  /** Environment that points both providers at the fake. */
  env: Record<string, string>;
  counts: ChaosCounts;
  close(): Promise<void>;
}

/** Small seeded PRNG (mulberry32) returning numbers in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Start the fake LLM with the given failure shares for the primary. */
export async function startChaosLlm(options: ChaosOptions): Promise<ChaosLlm> {
  const random = seededRandom(options.seed);
  const counts: ChaosCounts = { primaryCalls: 0, primaryErrors: 0, primaryHangs: 0, secondaryCalls: 0 };
  const answer: FakeReply = { kind: 'text', text: FAKE_ANSWER };
  const fake: FakeLlm = await startFakeLlm({ recordRequests: false, defaultReply: { text: FAKE_ANSWER } });

  fake.respondWith((request) => {
    if (request.api === 'anthropic') {
      counts.secondaryCalls += 1;
      return answer;
    }
    counts.primaryCalls += 1;
    const draw = random();
    if (options.primaryDown || draw < options.primaryErrors) {
      counts.primaryErrors += 1;
      return { kind: 'server_error', status: 500 };
    }
    if (draw < options.primaryErrors + options.primaryTimeouts) {
      counts.primaryHangs += 1;
      return { kind: 'hang' };
    }
    return answer;
  });

  return {
    env: {
      OPENAI_API_KEY: 'sk-replay-fake',
      OPENAI_BASE_URL: fake.openaiBaseUrl,
      ANTHROPIC_API_KEY: 'sk-ant-replay-fake',
      ANTHROPIC_BASE_URL: fake.anthropicBaseUrl,
    },
    counts,
    close: () => fake.close(),
  };
}
