/**
 * One provider's part of a turn: calls with retries, tool rounds, validation and one
 * correction. The chain in turn.ts decides what happens when this part fails.
 */
import type { Clock } from '../clock.js';
import { t } from '../i18n.js';
import type { Logger } from '../log.js';
import { type ProviderHealth, ProviderUnavailableError } from '../providers/health.js';
import { callWithRetry, type RetryPolicy, type Sleep } from '../providers/retry.js';
import type { FinishReason, GenerateRequest, GenerateResult, Provider, Usage } from '../providers/types.js';
import type { ToolFact, ToolRegistry } from './tools.js';
import type { ProviderTrace, Shrink, TurnInput, Validate } from './turn-types.js';

/** Everything a provider run shares with the rest of the turn. */
export interface TurnContext {
  input: TurnInput;
  health?: ProviderHealth;
  tools?: ToolRegistry;
  validate: Validate;
  shrink: Shrink;
  clock: Clock;
  logger: Logger;
  sleep: Sleep;
  retryPolicy: RetryPolicy;
  random?: () => number;
  maxToolRounds: number;
  handoffToolName: string;
  /** Aborts at the message deadline. */
  signal: AbortSignal;
  deadlineAt: number;
  facts: ToolFact[];
  usage: Usage;
  rejections: { provider: string; reasons: string[] }[];
}

export type ProviderRun =
  | { kind: 'answer'; text: string; finishReason: FinishReason; model: string }
  | { kind: 'handoff'; reason: string; details?: Record<string, unknown>; model: string }
  | { kind: 'failed' | 'rejected' }
  | { kind: 'skipped'; why: 'breaker_open' | 'disabled' };

/** Corrections sent to the same provider after the validator rejects its answer. */
const MAX_CORRECTIONS = 1;

/** Run the turn on one provider; `trace` collects attempts and error codes as they happen. */
export async function runProvider(provider: Provider, trace: ProviderTrace, turn: TurnContext): Promise<ProviderRun> {
  const isLlm = provider.kind === 'llm';
  let request: GenerateRequest = {
    ...turn.input.request,
    messages: [...turn.input.request.messages],
    tools: isLlm && turn.tools?.size ? turn.tools.specs() : undefined,
    // The rules engine is local and fast, so it may still answer after the deadline.
    signal: isLlm ? turn.signal : undefined,
  };
  let corrections = 0;
  let toolRounds = 0;

  for (;;) {
    const called = await callProvider(provider, request, trace, turn, (next) => (request = next));
    if (called.kind !== 'result') return called.run;
    const result = called.result;
    addUsage(turn.usage, result.usage);

    if (result.handoff) return { kind: 'handoff', reason: result.handoff.reason, model: result.model };
    if (result.toolCalls.length > 0) {
      const handoffCall = result.toolCalls.find((call) => call.name === turn.handoffToolName);
      if (handoffCall) return { kind: 'handoff', reason: 'model_requested', details: handoffCall.arguments, model: result.model };
      if (!turn.tools || toolRounds >= turn.maxToolRounds) {
        turn.logger.warn({ provider: provider.name, toolRounds }, 'provider kept calling tools past the round limit');
        return { kind: 'failed' };
      }
      toolRounds += 1;
      request = { ...request, messages: [...request.messages, ...(await runToolCalls(result, turn))] };
      continue;
    }

    const verdict = await judge(result, turn);
    if (verdict.ok) return { kind: 'answer', text: result.text, finishReason: result.finishReason, model: result.model };
    turn.rejections.push({ provider: provider.name, reasons: verdict.reasons });
    turn.logger.info({ provider: provider.name, reasons: verdict.reasons, corrections }, 'validator rejected the answer');
    if (corrections >= MAX_CORRECTIONS || !isLlm) return { kind: 'rejected' };
    corrections += 1;
    request = { ...request, messages: [...request.messages, ...correctionTurns(result.text, verdict.reasons, request.locale)] };
  }
}

type Called = { kind: 'result'; result: GenerateResult } | { kind: 'stop'; run: ProviderRun };

/** Call the provider with retries through its breaker, and map every failure to a run outcome. */
async function callProvider(
  provider: Provider,
  request: GenerateRequest,
  trace: ProviderTrace,
  turn: TurnContext,
  replaceRequest: (next: GenerateRequest) => void,
): Promise<Called> {
  let current = request;
  // Counted here rather than from the retry outcome, so calls made before an exception
  // (an open breaker or a provider bug) still show in the trace.
  const generate = () => {
    trace.attempts += 1;
    return provider.generate(current);
  };
  try {
    const outcome = await callWithRetry(
      () => (turn.health ? turn.health.run(provider.name, generate, current.signal) : generate()),
      {
        policy: turn.retryPolicy,
        clock: turn.clock,
        sleep: turn.sleep,
        deadlineAt: turn.deadlineAt,
        signal: current.signal,
        random: turn.random,
        shrink: async (attempt) => {
          const next = await turn.shrink(current, attempt);
          if (next.messages.length >= current.messages.length) return false;
          current = next;
          replaceRequest(next);
          return true;
        },
        onFailure: (error, decision, attempt) => {
          trace.errors.push(error.code);
          const fields = { provider: provider.name, code: error.code, status: error.status, attempt, decision: decision.kind };
          turn.logger.warn(fields, 'provider call failed');
        },
      },
    );
    return outcome.ok ? { kind: 'result', result: outcome.value } : { kind: 'stop', run: { kind: 'failed' } };
  } catch (error) {
    if (error instanceof ProviderUnavailableError) {
      // The breaker may open between retries; a provider already called counts as failed.
      const run: ProviderRun = trace.attempts === 0 ? { kind: 'skipped', why: error.code } : { kind: 'failed' };
      return { kind: 'stop', run };
    }
    // Anything but a ProviderError is a bug in a provider; the chain must still go on.
    turn.logger.error({ provider: provider.name, err: error }, 'provider threw an unexpected error');
    trace.errors.push('server_error');
    return { kind: 'stop', run: { kind: 'failed' } };
  }
}

/** Run the model's tool calls in order and return the assistant and tool turns to append. */
async function runToolCalls(result: GenerateResult, turn: TurnContext): Promise<GenerateRequest['messages']> {
  const registry = turn.tools!;
  const context = { customerId: turn.input.customerId, conversationId: turn.input.conversationId, signal: turn.signal };
  const turns: GenerateRequest['messages'] = [{ role: 'assistant', content: result.text, toolCalls: result.toolCalls }];
  for (const call of result.toolCalls) {
    const execution = await registry.execute(call, context);
    if (execution.ok) turn.facts.push(execution.fact);
    turns.push({ role: 'tool', toolCallId: call.id, name: call.name, content: execution.content });
  }
  return turns;
}

async function judge(result: GenerateResult, turn: TurnContext) {
  if (result.text.trim() === '') return { ok: false as const, reasons: ['the answer is empty'] };
  return turn.validate({ text: result.text, finishReason: result.finishReason, provider: result.provider }, turn.facts);
}

function correctionTurns(rejected: string, reasons: string[], locale: string): GenerateRequest['messages'] {
  const note = { role: 'user' as const, content: t(locale, 'agent.correction_note', { reasons: reasons.join('; ') }) };
  // Anthropic rejects an assistant message without content, so an empty answer is left out.
  if (rejected.trim() === '') return [note];
  return [{ role: 'assistant', content: rejected }, note];
}

function addUsage(total: Usage, usage: Usage): void {
  total.inputTokens += usage.inputTokens;
  total.outputTokens += usage.outputTokens;
}
