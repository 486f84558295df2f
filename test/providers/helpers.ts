import { AnthropicProvider } from '../../src/providers/anthropic.js';
import { OpenAiProvider } from '../../src/providers/openai.js';
import type { GenerateRequest, Provider } from '../../src/providers/types.js';
import type { FakeApi, FakeLlm } from '../fakes/llm-server.js';

/** Create a provider of the given API pointed at the fake server. */
export function providerFor(fake: FakeLlm, api: FakeApi, options: { streaming?: boolean; timeoutMs?: number } = {}): Provider {
  const common = { apiKey: 'test-key', timeoutMs: options.timeoutMs ?? 2_000, streaming: options.streaming ?? false };
  return api === 'openai'
    ? new OpenAiProvider({ ...common, baseURL: fake.openaiBaseUrl, model: 'gpt-test' })
    : new AnthropicProvider({ ...common, baseURL: fake.anthropicBaseUrl, model: 'claude-test' });
}

export function userRequest(text = 'What is my balance?', extra: Partial<GenerateRequest> = {}): GenerateRequest {
  return { system: 'You are a support agent.', messages: [{ role: 'user', content: text }], maxOutputTokens: 256, locale: 'en', ...extra };
}
