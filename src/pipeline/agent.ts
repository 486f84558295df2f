/**
 * The agent step of the pipeline: response cache, token-budgeted context, the provider
 * chain with tools, and the validator every candidate answer passes.
 */
import { runTurn } from '../agent/turn.js';
import type { TurnResult, Validate as TurnValidate } from '../agent/turn-types.js';
import type { ToolRegistry } from '../agent/tools.js';
import type { ResponseCache } from '../cache/types.js';
import type { Clock } from '../clock.js';
import type { ContextManager, PreparedContext } from '../context/manager.js';
import type { HistoryMessage } from '../context/types.js';
import { resolveLocale } from '../i18n.js';
import type { Logger } from '../log.js';
import type { ProviderHealth } from '../providers/health.js';
import type { RetryPolicy } from '../providers/retry.js';
import type { RulesProvider } from '../providers/rules/rules-provider.js';
import type { GenerateRequest, Provider } from '../providers/types.js';
import type { ConversationRow, InboundRow, MessageRow, RequestLogEntry, Store } from '../store/types.js';
import { likelyLanguages } from '../text/language.js';
import { extractValues } from '../text/values.js';
import type { Validate } from '../validate/index.js';

export interface AgentOptions {
  store: Store;
  /** LLM providers in fallback order; the rules engine comes after them. */
  llms: Provider[];
  rules: RulesProvider;
  health?: ProviderHealth;
  tools: ToolRegistry;
  validate: Validate;
  context: ContextManager;
  cache?: ResponseCache;
  /** Operator's own phone numbers, domains and e-mail addresses; always allowed in answers. */
  allowlist: string[];
  systemPrompt: string;
  clock: Clock;
  logger: Logger;
  deadlineMs: number;
  retryPolicy?: RetryPolicy;
  /** Rejected answers within one message after which a person takes over. */
  validatorHandoffAfter: number;
  /** Cost in USD of a call; from the monitor's price table. */
  costUsd?: (model: string, tokensIn: number, tokensOut: number) => number;
  /** Called when the validator rejected an answer for a reason the sender's input can cause. */
  onInputCausedRejection?: (inbound: InboundRow) => void;
}

export type AgentResult =
  | { kind: 'answer'; text: string; log: Partial<RequestLogEntry> }
  | { kind: 'handoff'; reason: string; log: Partial<RequestLogEntry> };

/** Rejections that a crafted message can provoke, as opposed to a model's own invention. */
const INPUT_CAUSED = new Set(['system_prompt_leak', 'sensitive_secret', 'sensitive_card', 'sensitive_ssn', 'sensitive_cpf', 'lookalike_characters']);

/** Stored messages the agent reads as the conversation's history. */
export const HISTORY_ROWS = 60;

/** Kinds of values that make a question about one customer; such questions skip the cache. */
const PERSONAL_KINDS = new Set(['order_id', 'account_id', 'email', 'phone', 'money']);

export class Agent {
  private readonly kbVersion: string;

  constructor(private readonly options: AgentOptions) {
    this.kbVersion = options.rules.faq.version;
  }

  /**
   * Produce an answer or a handoff for `inbound`, whose text the guard cleaned into `text`.
   * `rows` are the conversation's newest `HISTORY_ROWS` messages up to `inbound`, when the
   * caller has already read them; otherwise they are read here.
   */
  async respond(conversation: ConversationRow, inbound: InboundRow, text: string, rulesOnly: boolean, rows?: MessageRow[]): Promise<AgentResult> {
    const locale = resolveLocale(conversation.locale);
    const cacheable = !rulesOnly && this.options.cache !== undefined && !conversation.personal;
    const personalQuestion = extractValues(text).some((value) => PERSONAL_KINDS.has(value.kind));

    if (cacheable) {
      const cached = await this.fromCache(text, locale, personalQuestion);
      if (cached) return cached;
    }

    const llms = rulesOnly ? [] : this.options.llms;
    const history = toHistory(rows ?? (await this.options.store.listMessages(conversation.id, HISTORY_ROWS, inbound.id)), inbound, text);
    const customerMessages = history.filter((m) => m.role === 'user').map((m) => m.content);
    const rejections: string[] = [];
    const validate: TurnValidate = (candidate, facts) => {
      const verdict = this.options.validate(
        { ...candidate, locale },
        { toolResults: facts.map((fact) => fact.result), knowledge: this.options.rules.knowledge(locale), customerMessages, allowlist: this.options.allowlist },
      );
      if (verdict.ok) return { ok: true };
      // An answer in the language the customer actually wrote in is right even when it differs
      // from the locale their app reported.
      const reasons = verdict.reasons.filter(
        (reason) => !(reason.code === 'wrong_language' && reason.value && likelyLanguages(text).includes(reason.value)),
      );
      if (reasons.length === 0) return { ok: true };
      verdict.reasons = reasons;
      const codes = verdict.reasons.map((reason) => reason.code);
      rejections.push(...codes);
      this.options.logger.debug({ conversationId: conversation.id, provider: candidate.provider, reasons: verdict.reasons }, 'answer rejected by the validator');
      return { ok: false, reasons: verdict.reasons.map((reason) => reason.message) };
    };

    let prepared: PreparedContext | undefined;
    let request: Omit<GenerateRequest, 'signal' | 'tools'>;
    if (llms.length > 0) {
      prepared = await this.prepareContext(conversation, history, llms[0]!);
      request = { system: prepared.system, messages: prepared.messages, maxOutputTokens: prepared.maxOutputTokens, locale };
    } else {
      request = { system: this.options.systemPrompt, messages: [{ role: 'user', content: text }], maxOutputTokens: 512, locale };
    }

    const result = await runTurn(
      { request, customerId: inbound.customerId, conversationId: conversation.id },
      {
        providers: [...llms, this.options.rules],
        health: this.options.health,
        tools: llms.length > 0 ? this.options.tools : undefined,
        validate,
        shrink: prepared ? this.shrinker(prepared) : undefined,
        clock: this.options.clock,
        logger: this.options.logger,
        deadlineMs: this.options.deadlineMs,
        retryPolicy: this.options.retryPolicy,
      },
    );
    return this.finish(conversation, inbound, text, locale, result, rejections, cacheable && !personalQuestion, llms.length > 0);
  }

  private async fromCache(text: string, locale: string, personal: boolean): Promise<AgentResult | undefined> {
    const hit = await this.options.cache!.get(text, { locale, kbVersion: this.kbVersion }, { personal });
    if (!hit) return undefined;
    // A cached answer is checked like any other: the knowledge base may have changed under it.
    const verdict = this.options.validate(
      { text: hit.text, finishReason: 'stop', provider: 'cache', locale },
      { toolResults: [], knowledge: this.options.rules.knowledge(locale), customerMessages: [text], allowlist: this.options.allowlist },
    );
    if (!verdict.ok) return undefined;
    return {
      kind: 'answer',
      text: hit.text,
      log: {
        provider: hit.provider,
        model: hit.model,
        // The level of the provider that wrote the cached answer; no provider was called now.
        fallbackLevel: Math.max(0, Math.min(1, this.options.llms.findIndex((llm) => llm.name === hit.provider))),
        cacheHit: true,
        validatorOutcome: 'passed',
        providerMs: 0,
      },
    };
  }

  private async prepareContext(conversation: ConversationRow, history: HistoryMessage[], primary: Provider): Promise<PreparedContext> {
    const provider = primary.name === 'anthropic' ? 'anthropic' : 'openai';
    const toolTokens = Math.ceil(JSON.stringify(this.options.tools.specs()).length / 3);
    const prepared = await this.options.context.prepare(
      { id: conversation.id, summary: conversation.summary ?? undefined, summaryCoversUpTo: conversation.summaryCoversTo ?? undefined },
      history,
      { system: this.options.systemPrompt, model: primary.model, provider, fixedTokens: toolTokens },
    );
    if (prepared.newSummary) {
      const { text, coversUpTo } = prepared.newSummary;
      await this.options.store.setConversationSummary(conversation.id, text, coversUpTo, this.options.clock.now());
    }
    return prepared;
  }

  private shrinker(prepared: PreparedContext) {
    return async (request: GenerateRequest, attempt: number): Promise<GenerateRequest> => {
      const smaller = await this.options.context.shrink(prepared, attempt);
      return { ...request, system: smaller.system, messages: smaller.messages };
    };
  }

  private async finish(
    conversation: ConversationRow,
    inbound: InboundRow,
    text: string,
    locale: string,
    result: TurnResult,
    rejections: string[],
    cacheable: boolean,
    llmsCalled: boolean,
  ): Promise<AgentResult> {
    const { store, clock } = this.options;
    if (result.personal) await store.markPersonal(conversation.id, clock.now());
    if (rejections.some((code) => INPUT_CAUSED.has(code))) this.options.onInputCausedRejection?.(inbound);

    const tokensIn = result.usage.inputTokens;
    const tokensOut = result.usage.outputTokens;
    const log: Partial<RequestLogEntry> = {
      provider: result.provider ?? null,
      model: result.model ?? null,
      fallbackLevel: result.fallbackLevel,
      providerMs: result.providers.reduce((sum, trace) => sum + trace.latencyMs, 0),
      tokensIn,
      tokensOut,
      // Usage is summed over every provider called; it is priced at the answering model's rate.
      costUsd: result.model ? (this.options.costUsd?.(result.model, tokensIn, tokensOut) ?? 0) : 0,
      validatorOutcome: rejections.length > 0 ? 'rejected' : 'passed',
      validatorReasons: rejections.length > 0 ? rejections : null,
      errorType: result.errors[0]?.code ?? null,
    };

    if (result.outcome.kind === 'handoff') return { kind: 'handoff', reason: handoffReason(result, llmsCalled), log };
    if (rejections.length >= this.options.validatorHandoffAfter) {
      return { kind: 'handoff', reason: 'validator_rejected_repeatedly', log };
    }
    const answer = result.outcome.text;
    const fromLlm = result.fallbackLevel < 2;
    if (cacheable && fromLlm && !result.personal && this.options.cache) {
      await this.options.cache.set(text, { locale, kbVersion: this.kbVersion }, { text: answer, provider: result.provider ?? 'unknown', model: result.model ?? 'unknown' }, { personal: false });
    }
    return { kind: 'answer', text: answer, log };
  }
}

/** Convert stored rows to the history the context manager expects, ending with the current message. */
function toHistory(rows: MessageRow[], inbound: InboundRow, text: string): HistoryMessage[] {
  return rows
    .filter((row) => row.text.length > 0)
    .map((row) => ({
      id: row.id,
      role: row.direction === 'in' ? ('user' as const) : ('assistant' as const),
      content: row.id === inbound.id ? text : row.text,
      createdAt: row.createdAt,
    }));
}

/**
 * Return the reason of a handoff. The rules engine hands off with `no_answer` for any question
 * it cannot match. When every LLM before it failed or was cut off by its breaker or the
 * deadline, the cause is the outage, so the customer gets the apology and staff see why.
 */
function handoffReason(result: TurnResult, llmsCalled: boolean): string {
  const reason = result.outcome.kind === 'handoff' ? result.outcome.reason : 'no_answer';
  if (reason !== 'no_answer' || !llmsCalled) return reason;
  const llmTraces = result.providers.filter((trace) => trace.level < 2);
  const outage = llmTraces.length > 0 && llmTraces.every((trace) => trace.outcome === 'failed' || (trace.outcome === 'skipped' && trace.skipped !== 'disabled'));
  return outage ? 'all_providers_failed' : reason;
}
