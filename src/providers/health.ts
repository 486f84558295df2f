/**
 * Provider health: one opossum circuit breaker per provider plus an admin on/off switch.
 * The turn loop skips providers that are not available, so a dead provider costs no wait.
 */
import { EventEmitter } from 'node:events';
import CircuitBreaker from 'opossum';
import { systemClock, type Clock } from '../clock.js';
import { silentLogger, type Logger } from '../log.js';
import { ProviderError, type ProviderErrorCode } from './errors.js';

/** Failures that indicate the provider's own health; the other codes concern the request. */
const HEALTH_FAILURES = new Set<ProviderErrorCode>(['server_error', 'network', 'timeout', 'overloaded', 'auth', 'stream_error']);

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  /** Percentage of failed calls in the rolling window above which the breaker opens. Default 50. */
  errorThresholdPercentage?: number;
  /** Calls needed in the window before the error percentage is considered. Default 5. */
  volumeThreshold?: number;
  /** Time an open breaker waits before it lets one trial call through, in ms. Default 30000. */
  resetTimeoutMs?: number;
  /** Length of the rolling statistics window, in ms. Default 60000. */
  rollingWindowMs?: number;
}

export interface HealthOptions extends BreakerOptions {
  clock?: Clock;
  logger?: Logger;
}

/** Health of one provider, as shown on /readyz and the dashboard. */
export interface ProviderHealthSnapshot {
  name: string;
  state: BreakerState;
  /** False when an admin switched the provider off. */
  enabled: boolean;
  /** True when the turn loop may call the provider now. */
  available: boolean;
  /** Counts within the rolling window. */
  fires: number;
  failures: number;
  successes: number;
  rejects: number;
  lastErrorCode?: ProviderErrorCode;
  lastErrorAt?: number;
  /** When the breaker entered its current state (ms since epoch, from the injected clock). */
  stateSince: number;
}

export interface BreakerStateChange {
  name: string;
  from: BreakerState;
  to: BreakerState;
  at: number;
}

export interface AuthFailure {
  name: string;
  error: ProviderError;
  at: number;
}

export interface HealthEvents {
  /** The breaker of a provider changed state. */
  state: [BreakerStateChange];
  /** A provider rejected our credentials; its breaker was opened at once. Alert on this. */
  auth_failure: [AuthFailure];
  /** An admin switched a provider on or off. */
  enabled: [{ name: string; enabled: boolean; at: number }];
}

/** Raised by `ProviderHealth.run` when the provider is switched off or its breaker is open. */
export class ProviderUnavailableError extends Error {
  override readonly name = 'ProviderUnavailableError';
  constructor(
    readonly provider: string,
    readonly code: 'breaker_open' | 'disabled',
  ) {
    super(`provider ${provider} is unavailable: ${code}`);
  }
}

type Action = (call: () => Promise<unknown>, signal?: AbortSignal) => Promise<unknown>;

interface Entry {
  breaker: CircuitBreaker<Parameters<Action>, unknown>;
  enabled: boolean;
  stateSince: number;
  lastErrorCode?: ProviderErrorCode;
  lastErrorAt?: number;
}

/** Circuit breakers and admin switches for every provider, keyed by provider name. */
export class ProviderHealth extends EventEmitter<HealthEvents> {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly breakerOptions: CircuitBreaker.Options;

  constructor(options: HealthOptions = {}) {
    super();
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    const rollingWindowMs = options.rollingWindowMs ?? 60_000;
    this.breakerOptions = {
      // Each provider enforces its own request timeout; the breaker only counts outcomes.
      timeout: false,
      errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
      volumeThreshold: options.volumeThreshold ?? 5,
      resetTimeout: options.resetTimeoutMs ?? 30_000,
      rollingCountTimeout: rollingWindowMs,
      rollingCountBuckets: 10,
      errorFilter: isNotHealthFailure,
    };
  }

  /** Create the breaker for a provider; calling it again for the same name does nothing. */
  register(name: string): void {
    this.entry(name);
  }

  /**
   * Run one provider call through its breaker. Rejects with `ProviderUnavailableError`
   * when the provider is switched off or its breaker is open, without calling `call`.
   */
  async run<T>(name: string, call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const entry = this.entry(name);
    if (!entry.enabled) throw new ProviderUnavailableError(name, 'disabled');
    try {
      return (await entry.breaker.fire(call, signal)) as T;
    } catch (error) {
      if ((error as { code?: string }).code === 'EOPENBREAKER') throw new ProviderUnavailableError(name, 'breaker_open');
      throw error;
    }
  }

  /** True when the provider is switched on and its breaker is closed or half-open. */
  isAvailable(name: string): boolean {
    const entry = this.entry(name);
    return entry.enabled && !entry.breaker.opened;
  }

  /** Switch a provider on or off by hand; a disabled provider is skipped by the turn loop. */
  setEnabled(name: string, enabled: boolean): void {
    const entry = this.entry(name);
    if (entry.enabled === enabled) return;
    entry.enabled = enabled;
    this.logger.info({ provider: name, enabled }, 'provider switched by admin');
    this.emit('enabled', { name, enabled, at: this.clock.now() });
  }

  /** Close the breaker by hand, e.g. after an admin fixed the API key. */
  reset(name: string): void {
    this.entry(name).breaker.close();
  }

  snapshot(): ProviderHealthSnapshot[] {
    return [...this.entries.keys()].map((name) => this.snapshotOf(name));
  }

  snapshotOf(name: string): ProviderHealthSnapshot {
    const entry = this.entry(name);
    const stats = entry.breaker.stats;
    return {
      name,
      state: stateOf(entry.breaker),
      enabled: entry.enabled,
      available: this.isAvailable(name),
      fires: stats.fires,
      failures: stats.failures,
      successes: stats.successes,
      rejects: stats.rejects,
      lastErrorCode: entry.lastErrorCode,
      lastErrorAt: entry.lastErrorAt,
      stateSince: entry.stateSince,
    };
  }

  /** Stop every breaker's timers; call on shutdown. */
  close(): void {
    for (const entry of this.entries.values()) entry.breaker.shutdown();
    this.entries.clear();
  }

  private entry(name: string): Entry {
    const existing = this.entries.get(name);
    if (existing) return existing;

    const action: Action = (call) => call();
    const breaker = new CircuitBreaker<Parameters<Action>, unknown>(action, { ...this.breakerOptions, name });
    const entry: Entry = { breaker, enabled: true, stateSince: this.clock.now() };
    this.entries.set(name, entry);
    this.watch(name, entry);
    return entry;
  }

  private watch(name: string, entry: Entry): void {
    let current: BreakerState = 'closed';
    const change = (to: BreakerState) => {
      if (to === current) return;
      const event = { name, from: current, to, at: this.clock.now() };
      current = to;
      entry.stateSince = event.at;
      const level = to === 'open' ? 'warn' : 'info';
      this.logger[level]({ provider: name, from: event.from, to }, 'provider breaker changed state');
      this.emit('state', event);
    };
    entry.breaker.on('open', () => change('open'));
    entry.breaker.on('halfOpen', () => change('half_open'));
    entry.breaker.on('close', () => change('closed'));
    entry.breaker.on('failure', (error: unknown) => this.onFailure(name, entry, error));
  }

  private onFailure(name: string, entry: Entry, error: unknown): void {
    if (!(error instanceof ProviderError)) return;
    entry.lastErrorCode = error.code;
    entry.lastErrorAt = this.clock.now();
    if (error.code !== 'auth') return;

    // A rejected key fails every call until someone fixes it, so waiting for the error
    // percentage would only burn the volume threshold on customer messages.
    if (!entry.breaker.opened) entry.breaker.open();
    this.logger.error({ provider: name, status: error.status }, 'provider rejected the credentials');
    this.emit('auth_failure', { name, error, at: entry.lastErrorAt });
  }
}

/** opossum's errorFilter: true means the error does not count against the breaker. */
function isNotHealthFailure(error: unknown, _call?: unknown, signal?: AbortSignal): boolean {
  if (!(error instanceof ProviderError)) return false;
  // A timeout caused by the caller's own deadline is no sign of provider trouble.
  if (error.code === 'timeout' && signal?.aborted) return true;
  return !HEALTH_FAILURES.has(error.code);
}

function stateOf(breaker: CircuitBreaker<never[], unknown> | CircuitBreaker<Parameters<Action>, unknown>): BreakerState {
  if (breaker.opened) return 'open';
  if (breaker.halfOpen) return 'half_open';
  return 'closed';
}
