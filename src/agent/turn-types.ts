/** Inputs, dependencies and results of one agent turn. */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { ProviderErrorCode } from '../providers/errors.js';
import type { ProviderHealth } from '../providers/health.js';
import type { RetryPolicy, Sleep } from '../providers/retry.js';
import type { FinishReason, GenerateRequest, Provider, Usage } from '../providers/types.js';
import type { ToolFact, ToolRegistry } from './tools.js';

export interface TurnInput {
  /** The conversation as the context builder prepared it; tools and signal are set per provider. */
  request: Omit<GenerateRequest, 'signal' | 'tools'>;
  customerId: string;
  conversationId: string;
  /** Overrides `TurnDeps.deadlineMs` for this message. */
  deadlineMs?: number;
  /** Outside cancellation, e.g. shutdown. */
  signal?: AbortSignal;
}

/** The final text of a provider, as the validator sees it. */
export interface Candidate {
  text: string;
  finishReason: FinishReason;
  provider: string;
}

export type Verdict = { ok: true } | { ok: false; reasons: string[] };
export type Validate = (candidate: Candidate, facts: ToolFact[]) => Verdict | Promise<Verdict>;
/** Returns a smaller request after `context_length`; `attempt` counts from 1. */
export type Shrink = (request: GenerateRequest, attempt: number) => GenerateRequest | Promise<GenerateRequest>;

export interface TurnDeps {
  /** In fallback order: LLM providers first, then the rules provider. */
  providers: Provider[];
  /** Breakers and admin switches; without it every provider is always tried. */
  health?: ProviderHealth;
  tools?: ToolRegistry;
  /** Default accepts every non-empty answer. */
  validate?: Validate;
  /** Default drops the oldest half of the messages. */
  shrink?: Shrink;
  clock?: Clock;
  logger?: Logger;
  /** Default waits on real timers; tests pass one that moves a ManualClock. */
  sleep?: Sleep;
  retryPolicy?: RetryPolicy;
  random?: () => number;
  /** Time budget for the whole turn, in ms. Default 20000. */
  deadlineMs?: number;
  /** Model-tool-model round trips allowed per provider. Default 3. */
  maxToolRounds?: number;
  /** Tool whose call means the model asks for a person. Default `request_human`. */
  handoffToolName?: string;
}

/** 0 primary LLM, 1 secondary LLM, 2 rules engine, 3 human handoff. */
export type FallbackLevel = 0 | 1 | 2 | 3;

export type HandoffReason = 'all_providers_failed' | 'model_requested' | (string & {});

export type TurnOutcome =
  | { kind: 'answer'; text: string; finishReason: FinishReason }
  /** `details` contains the arguments of the model's handoff tool call, when there was one. */
  | { kind: 'handoff'; reason: HandoffReason; details?: Record<string, unknown> };

export type ProviderOutcome = 'answered' | 'handoff' | 'failed' | 'rejected' | 'skipped';

/** Record of one provider's part in the turn. */
export interface ProviderTrace {
  provider: string;
  model: string;
  level: FallbackLevel;
  outcome: ProviderOutcome;
  /** Set when the provider was not called: breaker open, switched off, or no time left. */
  skipped?: 'breaker_open' | 'disabled' | 'deadline';
  /** Provider calls made, retries and tool rounds included. */
  attempts: number;
  errors: ProviderErrorCode[];
  latencyMs: number;
}

export interface TurnResult {
  outcome: TurnOutcome;
  /** The provider that produced the outcome; absent for `all_providers_failed`. */
  provider?: string;
  model?: string;
  fallbackLevel: FallbackLevel;
  /** Provider calls across all providers. */
  attempts: number;
  usage: Usage;
  facts: ToolFact[];
  /** True when a fact came from a tool that reads customer data; such answers are never cached. */
  personal: boolean;
  rejections: { provider: string; reasons: string[] }[];
  errors: { provider: string; code: ProviderErrorCode }[];
  providers: ProviderTrace[];
  /** True when the message deadline passed before an outcome was found. */
  deadlineExceeded: boolean;
  latencyMs: number;
}
