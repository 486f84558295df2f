import { describe, expect, it } from 'vitest';
import { createProvidersFromConfig, healthOptionsFromConfig, providersEnv } from '../../src/providers/config.js';

describe('providersEnv', () => {
  it('applies defaults', () => {
    const config = providersEnv.parse({});
    expect(config.OPENAI_MODEL).toBe('gpt-4o-mini');
    expect(config.ANTHROPIC_MODEL).toBe('claude-3-5-haiku-latest');
    expect(config.MESSAGE_DEADLINE_MS).toBe(20_000);
    expect(config.LLM_STREAMING).toBe(false);
    expect(config.OPENAI_API_KEY).toBeUndefined();
  });

  it('parses strings from the environment', () => {
    const config = providersEnv.parse({ LLM_STREAMING: 'true', BREAKER_VOLUME_THRESHOLD: '8', LLM_TIMEOUT_MS: '900' });
    expect(config.LLM_STREAMING).toBe(true);
    expect(config.LLM_TIMEOUT_MS).toBe(900);
    expect(healthOptionsFromConfig(config).volumeThreshold).toBe(8);
  });

  it('rejects an invalid base url', () => {
    expect(() => providersEnv.parse({ OPENAI_BASE_URL: 'not a url' })).toThrow();
  });
});

describe('createProvidersFromConfig', () => {
  it('returns none without keys', () => {
    expect(createProvidersFromConfig(providersEnv.parse({}))).toEqual([]);
  });

  it('treats an empty key as unset', () => {
    expect(createProvidersFromConfig(providersEnv.parse({ OPENAI_API_KEY: '' }))).toEqual([]);
  });

  it('orders openai before anthropic', () => {
    const config = providersEnv.parse({ OPENAI_API_KEY: 'a', ANTHROPIC_API_KEY: 'b', ANTHROPIC_MODEL: 'claude-x' });
    const providers = createProvidersFromConfig(config);
    expect(providers.map((provider) => [provider.name, provider.model, provider.kind])).toEqual([
      ['openai', 'gpt-4o-mini', 'llm'],
      ['anthropic', 'claude-x', 'llm'],
    ]);
  });

  it('creates only anthropic when only its key is set', () => {
    const providers = createProvidersFromConfig(providersEnv.parse({ ANTHROPIC_API_KEY: 'b' }));
    expect(providers.map((provider) => provider.name)).toEqual(['anthropic']);
  });
});
