/**
 * The agent turn: primary LLM -> secondary LLM -> rules engine -> human handoff, within
 * one deadline per customer message. Providers with an open breaker or switched off by an
 * admin are skipped at once, so an outage costs no wait.
 */
import { systemClock } from '../clock.js';
import { silentLogger } from '../log.js';
import { DEFAULT_RETRY_POLICY, realSleep } from '../providers/retry.js';
import type { Provider } from '../providers/types.js';
import { dropOldestHalf } from './shrink.js';
import { runProvider, type ProviderRun, type TurnContext } from './turn-provider.js';
import type { FallbackLevel, ProviderTrace, TurnDeps, TurnInput, TurnResult } from './turn-types.js';

export const DEFAULT_MESSAGE_DEADLINE_MS = 20_000;

/**
 * Produce the outcome for one customer message: an answer, or a handoff with a reason
 * (`model_requested`, a reason of the rules engine, or `all_providers_failed`). Never
 * throws for provider or tool failures; they are recorded in the result.
 */
export async function runTurn(input: TurnInput, deps: TurnDeps): Promise<TurnResult> {
  const clock = deps.clock ?? systemClock;
  const startedAt = clock.now();
  const deadlineMs = input.deadlineMs ?? deps.deadlineMs ?? DEFAULT_MESSAGE_DEADLINE_MS;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), deadlineMs);
  const signal = input.signal ? AbortSignal.any([input.signal, deadline.signal]) : deadline.signal;

  const turn: TurnContext = {
    input,
    health: deps.health,
    tools: deps.tools,
    validate: deps.validate ?? (() => ({ ok: true })),
    shrink: deps.shrink ?? dropOldestHalf,
    clock,
    logger: deps.logger ?? silentLogger,
    sleep: deps.sleep ?? realSleep,
    retryPolicy: deps.retryPolicy ?? DEFAULT_RETRY_POLICY,
    random: deps.random,
    maxToolRounds: deps.maxToolRounds ?? 3,
    handoffToolName: deps.handoffToolName ?? 'request_human',
    signal,
    deadlineAt: startedAt + deadlineMs,
    facts: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    rejections: [],
  };
  try {
    return await runChain(deps.providers, turn, startedAt);
  } finally {
    clearTimeout(timer);
  }
}

async function runChain(providers: Provider[], turn: TurnContext, startedAt: number): Promise<TurnResult> {
  const traces: ProviderTrace[] = [];
  const levels = fallbackLevels(providers);

  for (const [index, provider] of providers.entries()) {
    const trace: ProviderTrace = {
      provider: provider.name,
      model: provider.model,
      level: levels[index] ?? 2,
      outcome: 'skipped',
      attempts: 0,
      errors: [],
      latencyMs: 0,
    };
    traces.push(trace);
    const skip = skipReason(provider, turn);
    if (skip) {
      trace.skipped = skip;
      turn.logger.debug({ provider: provider.name, reason: skip }, 'provider skipped');
      continue;
    }

    const callStartedAt = turn.clock.now();
    const run = await runProvider(provider, trace, turn);
    trace.latencyMs = turn.clock.now() - callStartedAt;
    trace.outcome = outcomeOf(run);
    if (run.kind === 'skipped') trace.skipped = run.why;
    if (run.kind === 'answer' || run.kind === 'handoff') return finish(run, trace, traces, turn, startedAt);
  }

  turn.logger.warn({ conversationId: turn.input.conversationId, providers: traces.length }, 'every provider failed; handing off');
  return result(turn, traces, startedAt, { outcome: { kind: 'handoff', reason: 'all_providers_failed' }, fallbackLevel: 3 });
}

function skipReason(provider: Provider, turn: TurnContext): ProviderTrace['skipped'] {
  if (turn.health && !turn.health.isAvailable(provider.name)) {
    return turn.health.snapshotOf(provider.name).enabled ? 'breaker_open' : 'disabled';
  }
  const outOfTime = turn.signal.aborted || turn.clock.now() >= turn.deadlineAt;
  if (outOfTime && provider.kind === 'llm') return 'deadline';
  return undefined;
}

function finish(
  run: Extract<ProviderRun, { kind: 'answer' | 'handoff' }>,
  trace: ProviderTrace,
  traces: ProviderTrace[],
  turn: TurnContext,
  startedAt: number,
): TurnResult {
  const base = { provider: trace.provider, model: run.model };
  if (run.kind === 'answer') {
    const outcome = { kind: 'answer' as const, text: run.text, finishReason: run.finishReason };
    return result(turn, traces, startedAt, { ...base, outcome, fallbackLevel: trace.level });
  }
  const outcome = { kind: 'handoff' as const, reason: run.reason, details: run.details };
  return result(turn, traces, startedAt, { ...base, outcome, fallbackLevel: 3 });
}

function result(
  turn: TurnContext,
  traces: ProviderTrace[],
  startedAt: number,
  fields: Pick<TurnResult, 'outcome' | 'fallbackLevel' | 'provider' | 'model'>,
): TurnResult {
  const now = turn.clock.now();
  return {
    ...fields,
    attempts: traces.reduce((sum, trace) => sum + trace.attempts, 0),
    usage: turn.usage,
    facts: turn.facts,
    personal: turn.facts.some((fact) => fact.personal),
    rejections: turn.rejections,
    errors: traces.flatMap((trace) => trace.errors.map((code) => ({ provider: trace.provider, code }))),
    providers: traces,
    deadlineExceeded: turn.signal.aborted || now >= turn.deadlineAt,
    latencyMs: now - startedAt,
  };
}

/** Assign levels: the first LLM is the primary (0), later LLMs are secondaries (1), rules providers are 2. */
function fallbackLevels(providers: Provider[]): FallbackLevel[] {
  let llmSeen = 0;
  return providers.map((provider) => {
    if (provider.kind === 'rules') return 2;
    llmSeen += 1;
    return llmSeen === 1 ? 0 : 1;
  });
}

function outcomeOf(run: ProviderRun): ProviderTrace['outcome'] {
  return run.kind === 'answer' ? 'answered' : run.kind;
}
