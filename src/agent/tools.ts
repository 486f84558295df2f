/**
 * The tool registry of the agent. Tools read business data for the model; every successful
 * call becomes a fact `{ tool, args, result }` that the validator checks answers against.
 */
import { silentLogger, type Logger } from '../log.js';
import type { ToolCall, ToolSpec } from '../providers/types.js';
import { ToolError } from './errors.js';
import { checkSchema } from './schema-check.js';

export interface ToolContext {
  customerId: string;
  conversationId: string;
  /** Aborts when the tool timeout or the message deadline passes. */
  signal?: AbortSignal;
}

export interface Tool {
  spec: ToolSpec;
  /** True when the tool reads customer data; answers built on it are never cached. */
  personal: boolean;
  /** Runs with arguments already checked against `spec.parameters`; returns JSON-serializable data. */
  run(args: Record<string, unknown>, context: ToolContext): Promise<unknown>;
}

/** One successful tool call of a turn. */
export interface ToolFact {
  tool: string;
  args: Record<string, unknown>;
  result: unknown;
  personal: boolean;
}

/** Outcome of one tool call; `content` is the text sent back to the model either way. */
export type ToolExecution =
  | { ok: true; fact: ToolFact; content: string }
  | { ok: false; error: ToolError; content: string };

export interface ToolRegistryOptions {
  logger?: Logger;
  /** Limit for one tool call, in ms. Default 10000. */
  timeoutMs?: number;
}

/** Both LLM APIs accept only these tool names. */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** Tools by name, with argument checks, a per-call timeout and fact collection. */
export class ToolRegistry {
  private readonly tools = new Map<string, Tool>();
  private readonly logger: Logger;
  private readonly timeoutMs: number;

  constructor(tools: Tool[] = [], options: ToolRegistryOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    for (const tool of tools) this.register(tool);
  }

  /** Add a tool; throws when the name is invalid or already taken. */
  register(tool: Tool): void {
    const name = tool.spec.name;
    if (!TOOL_NAME.test(name)) throw new Error(`tool name ${JSON.stringify(name)} is invalid: use 1-64 letters, digits, _ or -`);
    if (this.tools.has(name)) throw new Error(`tool ${name} is already registered`);
    this.tools.set(name, tool);
  }

  get(name: string): Tool | undefined {
    return this.tools.get(name);
  }

  /** Specs of every tool, for `GenerateRequest.tools`. */
  specs(): ToolSpec[] {
    return [...this.tools.values()].map((tool) => tool.spec);
  }

  get size(): number {
    return this.tools.size;
  }

  /**
   * Check the arguments and run the tool. Never throws: failures come back as
   * `{ ok: false }` with a JSON error text the model can read and correct.
   */
  async execute(call: ToolCall, context: ToolContext): Promise<ToolExecution> {
    const tool = this.tools.get(call.name);
    if (!tool) return failure(new ToolError(call.name, 'unknown_tool', `tool ${call.name} does not exist`));

    const problems = checkSchema(call.arguments, tool.spec.parameters);
    if (problems.length > 0) {
      return failure(new ToolError(call.name, 'invalid_arguments', `arguments for ${call.name} are invalid`, { details: problems }));
    }
    try {
      const result = await this.runWithTimeout(tool, call.arguments, context);
      const fact: ToolFact = { tool: call.name, args: call.arguments, result, personal: tool.personal };
      return { ok: true, fact, content: JSON.stringify(result ?? null) };
    } catch (error) {
      const toolError =
        error instanceof ToolError ? error : new ToolError(call.name, 'failed', `tool ${call.name} failed`, { cause: error });
      this.logger.warn(
        { tool: call.name, code: toolError.code, conversationId: context.conversationId, err: error },
        'tool call failed',
      );
      return failure(toolError);
    }
  }

  private async runWithTimeout(tool: Tool, args: Record<string, unknown>, context: ToolContext): Promise<unknown> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = context.signal ? AbortSignal.any([context.signal, timeout]) : timeout;
    let onAbort: (() => void) | undefined;
    // A tool that ignores its signal still must not hold the turn past the timeout.
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new ToolError(tool.spec.name, 'timeout', `tool ${tool.spec.name} timed out`));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([tool.run(args, { ...context, signal }), aborted]);
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }
}

function failure(error: ToolError): ToolExecution {
  const content = JSON.stringify({ error: error.code, message: error.message, details: error.details.length ? error.details : undefined });
  return { ok: false, error, content };
}
