/** Reasons a tool call failed. The model sees the code and may correct its call. */
export type ToolErrorCode =
  | 'unknown_tool'
  | 'invalid_arguments'
  | 'timeout'
  | 'http_error'
  | 'failed'
  | 'invalid_module';

/** A tool could not be run or loaded. `details` lists argument problems for `invalid_arguments`. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
  readonly code: ToolErrorCode;
  readonly tool: string;
  readonly details: string[];

  constructor(tool: string, code: ToolErrorCode, message: string, options: { details?: string[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.tool = tool;
    this.code = code;
    this.details = options.details ?? [];
  }
}
