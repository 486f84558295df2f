import type { Logger } from '../log.js';
import { ProviderError } from '../providers/errors.js';
import type { ChatTurn, GenerateResult, Provider } from '../providers/types.js';

/** What the provider chain produced for one message. */
export type ChainResult =
  | { kind: 'answer'; result: GenerateResult; fallbackLevel: number; providerMs: number }
  | { kind: 'handoff'; reason: string; result?: GenerateResult; fallbackLevel: number; providerMs: number; errors: string[] };

/** Fallback level of a provider by position and kind: LLMs 0 and 1, the rules engine 2. */
export function fallbackLevelOf(provider: Provider, index: number): number {
  return provider.kind === 'rules' ? 2 : Math.min(index, 1);
}

/**
 * Ask each provider in order until one answers. A provider that throws is skipped; a
 * handoff from the rules engine ends the chain. When every provider failed, the result is
 * a handoff with reason `all_providers_failed`.
 */
export async function runChain(
  providers: Provider[],
  request: { system: string; messages: ChatTurn[]; locale: string; maxOutputTokens: number },
  logger: Logger,
  now: () => number,
): Promise<ChainResult> {
  const errors: string[] = [];
  const started = now();
  for (const [index, provider] of providers.entries()) {
    const level = fallbackLevelOf(provider, index);
    try {
      const result = await provider.generate(request);
      const providerMs = now() - started;
      if (result.handoff) return { kind: 'handoff', reason: result.handoff.reason, result, fallbackLevel: level, providerMs, errors };
      return { kind: 'answer', result, fallbackLevel: level, providerMs };
    } catch (error) {
      const code = error instanceof ProviderError ? error.code : 'unexpected';
      errors.push(`${provider.name}:${code}`);
      logger.warn({ provider: provider.name, code, err: error }, 'provider failed; trying the next one');
    }
  }
  return { kind: 'handoff', reason: 'all_providers_failed', fallbackLevel: 3, providerMs: now() - started, errors };
}
