import type {
  AdminBackend,
  AdminUser,
  ForceHandoffResult,
  OpenHandoffSummary,
  SystemStatus,
  UsageStats,
} from '../../src/admin/backend.js';

/** An AdminBackend that records each call and returns fixed data. */
export class FakeAdminBackend implements AdminBackend {
  readonly calls: { method: string; args: unknown[]; by?: string }[] = [];
  paused = false;
  readonly providers = new Map([
    ['openai', true],
    ['anthropic', true],
  ]);

  async status(): Promise<SystemStatus> {
    this.calls.push({ method: 'status', args: [] });
    return {
      providers: [
        { name: 'openai', enabled: this.providers.get('openai')!, healthy: true, breaker: 'closed' },
        { name: 'anthropic', enabled: this.providers.get('anthropic')!, healthy: false, breaker: 'open' },
      ],
      queueDepth: 3,
      errorRate: 0.025,
      p95LatencyMs: 1840.4,
      paused: this.paused,
    };
  }

  async stats(period: string): Promise<UsageStats> {
    this.calls.push({ method: 'stats', args: [period] });
    return {
      period,
      messages: 120,
      conversations: 40,
      handoffs: 2,
      answeredBy: { primary: 110, rules: 8, human: 2 },
      costUsd: 1.234,
      averageRating: 4.5,
    };
  }

  async openHandoffs(): Promise<OpenHandoffSummary[]> {
    this.calls.push({ method: 'openHandoffs', args: [] });
    return [
      { id: 'h1', conversationId: 'telegram:42', customerName: 'Ana', channel: 'telegram', state: 'waiting', openedAt: Date.UTC(2026, 0, 1) },
    ];
  }

  async overBudget(day: string): Promise<string[]> {
    this.calls.push({ method: 'overBudget', args: [day] });
    return ['telegram:7'];
  }

  async allow(sender: string, by: AdminUser): Promise<void> {
    this.calls.push({ method: 'allow', args: [sender], by: by.id });
  }

  async risk(sender: string) {
    this.calls.push({ method: 'risk', args: [sender] });
    return { score: 0.42, reasons: [{ signal: 'repeat', contribution: 0.3 }, { signal: 'burst', contribution: 0.12 }] };
  }

  async block(sender: string, by: AdminUser): Promise<void> {
    this.calls.push({ method: 'block', args: [sender], by: by.id });
  }

  async unblock(sender: string, by: AdminUser): Promise<void> {
    this.calls.push({ method: 'unblock', args: [sender], by: by.id });
  }

  async limit(sender: string, perMinute: number, by: AdminUser): Promise<void> {
    this.calls.push({ method: 'limit', args: [sender, perMinute], by: by.id });
  }

  async setProviderEnabled(name: string, enabled: boolean, by: AdminUser): Promise<boolean> {
    this.calls.push({ method: 'setProviderEnabled', args: [name, enabled], by: by.id });
    if (!this.providers.has(name)) return false;
    this.providers.set(name, enabled);
    return true;
  }

  async setPaused(paused: boolean, by: AdminUser): Promise<void> {
    this.calls.push({ method: 'setPaused', args: [paused], by: by.id });
    this.paused = paused;
  }

  async forceHandoff(conversationId: string, by: AdminUser): Promise<ForceHandoffResult> {
    this.calls.push({ method: 'forceHandoff', args: [conversationId], by: by.id });
    return conversationId === 'missing' ? { status: 'not_found' } : { status: 'opened', handoffId: 'h9' };
  }
}
