/** The replay's chaos mode: the provider chain under a dead primary, through runReplay. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { ReplayChannel } from '../../scripts/replay/channel.js';
import { FAKE_ANSWER, startChaosLlm, type ChaosLlm } from '../../scripts/replay/fake-llm.js';
import { levelShares } from '../../scripts/replay/levels.js';
import { runReplay } from '../../scripts/replay/run.js';
import { tempDir } from '../helpers/core.js';

let core: Core | undefined;
let chaos: ChaosLlm | undefined;
let dir: ReturnType<typeof tempDir> | undefined;

afterEach(async () => {
  await core?.stop(2000);
  await chaos?.close();
  dir?.cleanup();
  core = undefined;
  chaos = undefined;
  dir = undefined;
});

const conversations = Array.from({ length: 6 }, (_, i) => ({
  id: `conv-${i}`,
  locale: 'en',
  customerTurns: ['Hello there', 'I have a question about my parcel', 'Thanks a lot'],
  turns: [],
}));

describe('replay with a dead primary', () => {
  it('answers every turn from the secondary', async () => {
    chaos = await startChaosLlm({ primaryErrors: 0, primaryTimeouts: 0, primaryDown: true, seed: 1 });
    dir = tempDir('frontdesk-e2e-replay-');
    const config = parseConfig({
      LOG_LEVEL: 'silent',
      DATABASE_URL: `file:${join(dir.path, 'replay.db')}`,
      CACHE_ENABLED: 'false',
      LLM_RETRY_BASE_DELAY_MS: '5',
      LLM_RETRY_MAX_DELAY_MS: '20',
      BREAKER_VOLUME_THRESHOLD: '3',
      ...chaos.env,
    });
    core = await createCore({ config });
    core.addAdapter(new ReplayChannel());
    await core.start();
    const startedAt = core.clock.now();

    const report = await runReplay({ core, conversations, concurrency: 2, outcomeTimeoutMs: 10_000, file: 'inline' });

    expect(report.messages).toBe(18);
    expect(report.missingOutcomes).toBe(0);
    expect(report.outcomes).toEqual({ answer: 18 });
    const shares = await levelShares(core, startedAt);
    expect(shares).toHaveLength(1);
    expect(shares[0]!.provider).toBe('anthropic');
    expect(shares[0]!.fallbackLevel).toBe(1);
    expect(shares[0]!.share).toBe(1);
    expect(chaos.counts.secondaryCalls).toBe(18);
    // Once the breaker is open the dead primary is skipped, so it receives fewer calls than there are turns.
    expect(chaos.counts.primaryCalls).toBeLessThan(18);
    const replies = await core.store.listMessages('replay:conv-0', 10);
    expect(replies.filter((row) => row.direction === 'out').map((row) => row.text)).toEqual([FAKE_ANSWER, FAKE_ANSWER, FAKE_ANSWER]);
  });
});
