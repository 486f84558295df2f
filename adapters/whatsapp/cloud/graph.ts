import { ChannelSendError, type ChannelSendErrorCode } from '../../../src/bus/errors.js';
import type { Clock } from '../../../src/clock.js';
import type { Logger } from '../../../src/log.js';
import { backoffDelay, type Sleep } from '../backoff.js';

/** Graph API error body, as documented for the Cloud API. */
interface GraphErrorBody {
  error?: { message?: string; type?: string; code?: number; error_subcode?: number; fbtrace_id?: string };
}

interface GraphSendResponse {
  messages?: Array<{ id?: string }>;
}

/** Graph error codes for throughput, pair-rate and application rate limits. */
const RATE_LIMIT_CODES = new Set([4, 80007, 130429, 131056]);

export interface RateLimitPolicy {
  /** Retries per message after a rate-limit error. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface GraphClientOptions {
  baseUrl: string;
  token: string;
  phoneId: string;
  timeoutMs: number;
  rateLimit: RateLimitPolicy;
  fetch: typeof fetch;
  sleep: Sleep;
  clock: Clock;
  logger: Logger;
}

/** A refused send, before it is turned into a ChannelSendError. */
interface GraphFailure {
  status: number;
  code?: number;
  subcode?: number;
  message: string;
  retryAfterMs?: number;
}

/**
 * Sends messages through `POST {base}/{phoneId}/messages` and maps Graph errors to
 * `ChannelSendError`. Rate limits pause only the recipient that hit them.
 */
export class GraphClient {
  /** Time before which no message goes to a recipient that was rate limited. */
  private readonly pausedUntil = new Map<string, number>();

  constructor(private readonly options: GraphClientOptions) {}

  /** Send one message to `to` and return its `wamid`. Retries rate limits a bounded number of times. */
  async sendMessage(to: string, message: Record<string, unknown>): Promise<string> {
    const { rateLimit, sleep, clock, logger } = this.options;
    for (let attempt = 0; ; attempt++) {
      const waitMs = (this.pausedUntil.get(to) ?? 0) - clock.now();
      if (waitMs > 0) await sleep(waitMs);

      const outcome = await this.post({ messaging_product: 'whatsapp', recipient_type: 'individual', to, ...message });
      if ('id' in outcome) {
        this.pausedUntil.delete(to);
        return outcome.id;
      }
      const error = toSendError(outcome);
      if (error.code !== 'rate_limited' || attempt >= rateLimit.maxRetries) {
        logger.warn({ status: outcome.status, graphCode: outcome.code, code: error.code, attempt }, 'WhatsApp Cloud API send failed');
        throw error;
      }
      const delayMs = outcome.retryAfterMs ?? backoffDelay(attempt + 1, rateLimit.baseDelayMs, rateLimit.maxDelayMs);
      this.pausedUntil.set(to, clock.now() + delayMs);
      logger.warn({ graphCode: outcome.code, attempt: attempt + 1, maxRetries: rateLimit.maxRetries, delayMs }, 'WhatsApp Cloud API rate limited; retrying');
    }
  }

  private async post(body: Record<string, unknown>): Promise<{ id: string } | GraphFailure> {
    const { baseUrl, phoneId, token, timeoutMs } = this.options;
    let response: Response;
    try {
      response = await this.options.fetch(`${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(phoneId)}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new ChannelSendError('whatsapp', 'transport', 'request to the WhatsApp Cloud API failed', { cause: error });
    }
    const payload = (await response.json().catch(() => undefined)) as (GraphSendResponse & GraphErrorBody) | undefined;
    const id = payload?.messages?.[0]?.id;
    if (response.ok && id) return { id };
    return {
      status: response.status,
      code: payload?.error?.code,
      subcode: payload?.error?.error_subcode,
      message: payload?.error?.message ?? `HTTP ${response.status}`,
      retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
    };
  }
}

/** Parse `Retry-After` seconds into ms. Graph documents no such header, so it is used only when present. */
function retryAfterMs(header: string | null): number | undefined {
  const seconds = Number(header);
  return header && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** Map a refused send to the channel error the core acts on. */
export function toSendError(failure: GraphFailure): ChannelSendError {
  const code = errorCode(failure);
  const detail = failure.code === undefined ? `HTTP ${failure.status}` : `Graph error ${failure.code}`;
  return new ChannelSendError('whatsapp', code, `WhatsApp Cloud API rejected the message (${detail}): ${failure.message}`, {
    retryAfterMs: code === 'rate_limited' ? failure.retryAfterMs ?? 1000 : undefined,
  });
}

function errorCode(failure: GraphFailure): ChannelSendErrorCode {
  const code = failure.code;
  if (code === 131047) return 'window_closed';
  if (code !== undefined && RATE_LIMIT_CODES.has(code)) return 'rate_limited';
  if (code === 131026 || code === 131051) return 'bad_request';
  if (code === 190) return 'unavailable';
  if (failure.status >= 500) return 'transport';
  if (failure.status === 429) return 'rate_limited';
  return 'bad_request';
}
