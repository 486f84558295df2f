import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';
import type { ChatTurn } from '../providers/types.js';
import { findModelLimits, type Encoding } from './models.js';
import type { ContextProvider } from './types.js';

/**
 * Chat-format overhead per message for OpenAI models: `<|start|>role<|message|>...<|end|>`
 * costs 3 tokens, and every reply is primed with 3 more (OpenAI cookbook, "How to count
 * tokens with tiktoken", for gpt-3.5-turbo-0613 and later models).
 */
const OPENAI_MESSAGE_OVERHEAD = 3;
const OPENAI_REPLY_PRIMING = 3;
/**
 * Tokens for the wrapper of one tool call (type, id field, function object). Not published
 * by OpenAI; an estimate on the high side.
 */
const TOOL_CALL_OVERHEAD = 8;

/**
 * Claude's tokenizer is not published, so Anthropic counts are an estimate: the o200k_base
 * count times 1.2. Claude's vocabulary is smaller than o200k's, so it splits the same text
 * into more tokens; 20% headroom covers English and Romance-language chat text, and the
 * 2% window margin of `computeBudget` covers the rest. The exact figure needs Anthropic's
 * count_tokens endpoint, which costs a network round trip per request.
 */
const ANTHROPIC_FACTOR = 1.2;
const ANTHROPIC_MESSAGE_OVERHEAD = 4;

/** Counts text and chat turns for one model in the units its provider bills. */
export interface TokenCounter {
  readonly encoding: Encoding;
  /** True when counts are estimates (Anthropic) rather than exact tokenizer output. */
  readonly estimated: boolean;
  countText(text: string): number;
  /** Tokens of one message including its chat-format overhead. */
  countTurn(turn: ChatTurn): number;
  /** Tokens of the system prompt as a message, including overhead. */
  countSystem(system: string): number;
  /** Tokens of a whole request: system, messages and reply priming. */
  countRequest(system: string, turns: readonly ChatTurn[]): number;
}

const MEMO_LIMIT = 5_000;

/**
 * Creates a counter for `model` on `provider`. OpenAI and rules models count exactly with
 * the model's encoding: o200k_base for gpt-4o, gpt-4.1, gpt-5 and o-series, cl100k_base
 * for gpt-4 and gpt-3.5. Anthropic models use the estimate described above.
 */
export function createTokenCounter(model: string, provider: ContextProvider): TokenCounter {
  const encoding = provider === 'anthropic' ? 'o200k_base' : findModelLimits(model).limits.encoding;
  const encode = encoding === 'cl100k_base' ? countCl100k : countO200k;
  const estimated = provider === 'anthropic';
  const factor = estimated ? ANTHROPIC_FACTOR : 1;
  const overhead = estimated ? ANTHROPIC_MESSAGE_OVERHEAD : OPENAI_MESSAGE_OVERHEAD;
  // Trimming counts the same message texts many times across a conversation's turns.
  const memo = new Map<string, number>();

  const countText = (text: string): number => {
    if (text.length === 0) return 0;
    const cached = memo.get(text);
    if (cached !== undefined) return cached;
    const count = Math.ceil(encode(text) * factor);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(text, count);
    return count;
  };

  const countTurn = (turn: ChatTurn): number => {
    let total = overhead + countText(turn.content);
    if (turn.role === 'tool') total += countText(turn.toolCallId) + countText(turn.name) + 1;
    if (turn.role === 'assistant' && turn.toolCalls) {
      for (const call of turn.toolCalls) {
        total += TOOL_CALL_OVERHEAD + countText(call.id) + countText(call.name);
        total += countText(JSON.stringify(call.arguments));
      }
    }
    return total;
  };

  const countSystem = (system: string): number => (system.length === 0 ? 0 : overhead + countText(system));

  return {
    encoding,
    estimated,
    countText,
    countTurn,
    countSystem,
    countRequest: (system, turns) => {
      let total = OPENAI_REPLY_PRIMING + countSystem(system);
      for (const turn of turns) total += countTurn(turn);
      return total;
    },
  };
}
