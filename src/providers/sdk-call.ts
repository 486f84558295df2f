import type { Clock } from '../clock.js';
import { type ApiFlavor, mapSdkError } from './error-map.js';

export interface SdkCallContext {
  provider: string;
  flavor: ApiFlavor;
  timeoutMs: number;
  clock: Clock;
  /** The caller's signal, usually the per-message deadline. */
  signal?: AbortSignal;
}

/** Hooks the SDK call uses to tell the wrapper how far it got. */
export interface SdkCallProgress {
  /** Mark that the response began streaming; later failures become `stream_error`. */
  streamStarted(): void;
}

/**
 * Run one SDK request under its own timeout and the caller's signal, and turn whatever it
 * throws into a `ProviderError`. Our timer covers the whole call, body and stream
 * included, while the SDK's own `timeout` stops at the first response byte.
 */
export async function runSdkCall<T>(
  context: SdkCallContext,
  call: (signal: AbortSignal, progress: SdkCallProgress) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  let streamStarted = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, context.timeoutMs);
  const onCallerAbort = () => controller.abort();
  if (context.signal?.aborted) controller.abort();
  context.signal?.addEventListener('abort', onCallerAbort, { once: true });

  try {
    return await call(controller.signal, { streamStarted: () => void (streamStarted = true) });
  } catch (error) {
    throw mapSdkError(error, {
      provider: context.provider,
      flavor: context.flavor,
      now: context.clock.now(),
      streamStarted,
      timedOut,
    });
  } finally {
    clearTimeout(timer);
    context.signal?.removeEventListener('abort', onCallerAbort);
  }
}

/**
 * Parse tool-call arguments produced by a model. Returns undefined when the text is not a
 * JSON object, which the providers report as `invalid_tool_arguments`.
 */
export function parseToolArguments(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Options shared by the OpenAI and Anthropic providers. */
export interface LlmProviderOptions {
  apiKey: string;
  /** OpenAI: includes `/v1`; Anthropic: without `/v1`. Default: the vendor's public API. */
  baseURL?: string;
  model: string;
  /** Limit for one request including the streamed body, in milliseconds. Default 30000. */
  timeoutMs?: number;
  /** Request SSE streaming instead of one JSON body. Default false. */
  streaming?: boolean;
  /** Name used in logs, errors and health; defaults to `openai` / `anthropic`. */
  name?: string;
  clock?: Clock;
}

export const DEFAULT_LLM_TIMEOUT_MS = 30_000;
