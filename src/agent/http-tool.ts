/** Tools backed by an operator's HTTP endpoint. */
import type { JsonSchema } from '../providers/types.js';
import { ToolError } from './errors.js';
import type { Tool } from './tools.js';

export interface HttpToolOptions {
  name: string;
  description: string;
  /** JSON Schema of the arguments the model must send. */
  parameters: JsonSchema;
  /** Endpoint that receives `POST { tool, customerId, conversationId, arguments }` as JSON. */
  url: string;
  /** Limit for one request, in ms. Default 5000. */
  timeoutMs?: number;
  /** Extra request headers, e.g. an authorization token for the endpoint. */
  headers?: Record<string, string>;
  /** Whether the endpoint returns customer data. Default true, which keeps answers out of the cache. */
  personal?: boolean;
  /** Replaces the global fetch, for tests. */
  fetch?: typeof fetch;
}

/**
 * Create a tool that POSTs its arguments and the customer id to `url` and hands the JSON
 * response to the model. A non-2xx status fails with `http_error`, a slow endpoint with
 * `timeout`.
 */
export function createHttpTool(options: HttpToolOptions): Tool {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const name = options.name;

  return {
    spec: { name, description: options.description, parameters: options.parameters },
    personal: options.personal ?? true,
    async run(args, context) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = context.signal ? AbortSignal.any([context.signal, timeout]) : timeout;
      const body = JSON.stringify({ tool: name, customerId: context.customerId, conversationId: context.conversationId, arguments: args });
      let response: Response;
      try {
        response = await fetchImpl(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
          body,
          signal,
        });
      } catch (error) {
        if (timeout.aborted) throw new ToolError(name, 'timeout', `tool ${name} timed out after ${timeoutMs} ms`, { cause: error });
        throw new ToolError(name, 'failed', `tool ${name} could not reach its endpoint`, { cause: error });
      }
      const text = await response.text();
      if (!response.ok) throw new ToolError(name, 'http_error', `tool ${name} endpoint returned HTTP ${response.status}`);
      return parseJsonOrText(text);
    },
  };
}

function parseJsonOrText(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
