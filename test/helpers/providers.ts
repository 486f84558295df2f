import type { GenerateRequest, GenerateResult, Provider } from '../../src/providers/types.js';

/**
 * A stand-in LLM provider for core tests that do not exercise a real SDK: answers by echoing
 * the last customer message after an optional delay, and can be held until released.
 */
export class EchoProvider implements Provider {
  readonly name = 'echo';
  readonly model = 'echo-1';
  readonly kind = 'llm' as const;
  calls = 0;
  private gate: Promise<void> | undefined;
  private release: (() => void) | undefined;

  constructor(private readonly delayMs = 0) {}

  /** Make every call wait until `open()` is called. */
  hold(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }

  open(): void {
    this.release?.();
    this.gate = undefined;
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    this.calls += 1;
    if (this.gate) await this.gate;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const last = [...request.messages].reverse().find((turn) => turn.role === 'user');
    return {
      text: `echo: ${last?.content ?? ''}`,
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 10, outputTokens: 5 },
      provider: this.name,
      model: this.model,
    };
  }
}
