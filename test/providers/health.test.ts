import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { ProviderError, type ProviderErrorCode } from '../../src/providers/errors.js';
import { type BreakerStateChange, ProviderHealth, ProviderUnavailableError } from '../../src/providers/health.js';

let health: ProviderHealth;
afterEach(() => health.close());

const fail = (code: ProviderErrorCode) => () => Promise.reject(new ProviderError('openai', code, `failed with ${code}`));
const succeed = () => Promise.resolve('ok');

async function runIgnoringErrors(name: string, call: () => Promise<unknown>, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) await health.run(name, call).catch(() => undefined);
}

describe('ProviderHealth', () => {
  it('opens after the volume of failures', async () => {
    health = new ProviderHealth({ volumeThreshold: 3, errorThresholdPercentage: 50 });
    const changes: BreakerStateChange[] = [];
    health.on('state', (change) => changes.push(change));

    await runIgnoringErrors('openai', fail('server_error'), 2);
    expect(health.isAvailable('openai')).toBe(true);
    await runIgnoringErrors('openai', fail('server_error'), 1);

    expect(health.isAvailable('openai')).toBe(false);
    expect(health.snapshotOf('openai')).toMatchObject({ name: 'openai', state: 'open', failures: 3, lastErrorCode: 'server_error' });
    expect(changes.map((change) => change.to)).toEqual(['open']);
  });

  it('rejects calls while open', async () => {
    health = new ProviderHealth({ volumeThreshold: 1 });
    await runIgnoringErrors('openai', fail('network'), 1);
    let called = false;
    const pending = health.run('openai', async () => {
      called = true;
    });
    await expect(pending).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(called).toBe(false);
  });

  it.each(['bad_request', 'context_length', 'content_filter', 'rate_limited', 'truncated'] as const)(
    '%s does not count',
    async (code) => {
      health = new ProviderHealth({ volumeThreshold: 2 });
      await runIgnoringErrors('openai', fail(code), 5);
      expect(health.snapshotOf('openai').state).toBe('closed');
      expect(health.snapshotOf('openai').failures).toBe(0);
    },
  );

  it('caller deadline timeout does not count', async () => {
    health = new ProviderHealth({ volumeThreshold: 1 });
    const controller = new AbortController();
    controller.abort();
    await health.run('openai', fail('timeout'), controller.signal).catch(() => undefined);
    expect(health.snapshotOf('openai').state).toBe('closed');
  });

  it('auth opens at once and emits', async () => {
    health = new ProviderHealth({ volumeThreshold: 10, clock: new ManualClock(1_000) });
    const alerts: string[] = [];
    health.on('auth_failure', (event) => alerts.push(`${event.name}:${event.error.status ?? 'none'}:${event.at}`));
    await health
      .run('anthropic', () => Promise.reject(new ProviderError('anthropic', 'auth', 'invalid key', { status: 401 })))
      .catch(() => undefined);
    expect(health.snapshotOf('anthropic').state).toBe('open');
    expect(alerts).toEqual(['anthropic:401:1000']);
  });

  it('half-opens after the reset timeout', async () => {
    health = new ProviderHealth({ volumeThreshold: 1, resetTimeoutMs: 20 });
    const halfOpen = new Promise<void>((resolve) => health.on('state', (change) => change.to === 'half_open' && resolve()));
    await runIgnoringErrors('openai', fail('overloaded'), 1);
    await halfOpen;
    expect(health.isAvailable('openai')).toBe(true);
    await expect(health.run('openai', succeed)).resolves.toBe('ok');
    expect(health.snapshotOf('openai').state).toBe('closed');
  });

  it('admin switch disables and enables', async () => {
    health = new ProviderHealth();
    const switches: boolean[] = [];
    health.on('enabled', (event) => switches.push(event.enabled));
    health.setEnabled('openai', false);
    expect(health.isAvailable('openai')).toBe(false);
    await expect(health.run('openai', succeed)).rejects.toMatchObject({ code: 'disabled' });
    health.setEnabled('openai', true);
    await expect(health.run('openai', succeed)).resolves.toBe('ok');
    expect(switches).toEqual([false, true]);
  });

  it('snapshot lists registered providers', () => {
    health = new ProviderHealth();
    health.register('openai');
    health.register('anthropic');
    health.register('openai');
    expect(health.snapshot().map((snapshot) => [snapshot.name, snapshot.state, snapshot.enabled])).toEqual([
      ['openai', 'closed', true],
      ['anthropic', 'closed', true],
    ]);
  });

  it('reset closes an open breaker', async () => {
    health = new ProviderHealth({ volumeThreshold: 1 });
    await runIgnoringErrors('openai', fail('server_error'), 1);
    health.reset('openai');
    expect(health.snapshotOf('openai').state).toBe('closed');
  });
});
