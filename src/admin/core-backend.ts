import type { Core } from '../app.js';
import { toOpenHandoffSummary } from './handoffs.js';
import type { AdminBackend, AdminUser, ForceHandoffResult, OpenHandoffSummary, SystemStatus, UsageStats } from './backend.js';

const PERIODS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const LEVEL_NAMES = ['primary', 'secondary', 'rules', 'human'];

/** Parse `1h`, `24h`, `7d` or `2w` into milliseconds; undefined when the form is unknown. */
export function parsePeriod(period: string): number | undefined {
  const match = /^(\d+)([hdw])$/.exec(period.trim());
  if (!match) return undefined;
  return Number(match[1]) * PERIODS[match[2]!]!;
}

const adminKey = (user: AdminUser) => `${user.channel}:${user.id}`;

/** The admin commands' view of the running core: guard, provider health, queue, handoffs and stats. */
export class CoreAdminBackend implements AdminBackend {
  constructor(private readonly core: Core) {}

  async status(): Promise<SystemStatus> {
    const { health, providers, bus, monitor, controls } = this.core;
    const snapshot = await monitor.stats.snapshot();
    return {
      providers: providers.map((provider) => {
        const state = health.snapshotOf(provider.name);
        return { name: provider.name, enabled: state.enabled, healthy: state.available, breaker: state.state };
      }),
      queueDepth: bus.queue.depth,
      errorRate: snapshot.errorRate ?? 0,
      p95LatencyMs: snapshot.latency.p95 ?? 0,
      paused: controls.paused,
    };
  }

  async stats(period: string): Promise<UsageStats> {
    const spanMs = parsePeriod(period) ?? PERIODS.d!;
    const summary = await this.core.store.summarizeRequests(this.core.clock.now() - spanMs);
    const answeredBy: Record<string, number> = {};
    for (const [level, count] of Object.entries(summary.byFallbackLevel)) answeredBy[LEVEL_NAMES[Number(level)] ?? level] = count;
    const satisfaction = (await this.core.monitor.stats.snapshot()).satisfaction.total;
    return {
      period,
      messages: summary.messages,
      conversations: summary.conversations,
      handoffs: summary.handoffs,
      answeredBy,
      costUsd: summary.costUsd,
      averageRating: satisfaction === null ? undefined : 1 + satisfaction * 4,
    };
  }

  async openHandoffs(): Promise<OpenHandoffSummary[]> {
    const service = this.core.handoff.service;
    return service ? (await service.listOpen()).map(toOpenHandoffSummary) : [];
  }

  async block(sender: string, by: AdminUser): Promise<void> {
    await this.core.guard.admin.block(sender, adminKey(by), 'blocked by an admin command');
  }

  async unblock(sender: string, by: AdminUser): Promise<void> {
    await this.core.guard.admin.unblock(sender, adminKey(by));
  }

  async overBudget(day: string): Promise<string[]> {
    return this.core.monitor.budget.overBudgetCustomers(day);
  }

  async allow(sender: string, by: AdminUser): Promise<void> {
    await this.core.guard.admin.allow(sender, adminKey(by));
  }

  async risk(sender: string) {
    const explanation = this.core.guard.admin.getRisk(sender);
    return { score: explanation.score, reasons: explanation.reasons.map((r) => ({ signal: r.signal, contribution: r.contribution })) };
  }

  async limit(sender: string, perMinute: number, by: AdminUser): Promise<void> {
    await this.core.guard.admin.setLimit(sender, adminKey(by), perMinute);
  }

  async setProviderEnabled(name: string, enabled: boolean): Promise<boolean> {
    if (!this.core.providers.some((provider) => provider.name === name)) return false;
    this.core.health.setEnabled(name, enabled);
    return true;
  }

  async setPaused(paused: boolean, by: AdminUser): Promise<void> {
    this.core.controls.setPaused(paused, adminKey(by));
  }

  async forceHandoff(conversationId: string): Promise<ForceHandoffResult> {
    const { store, handoff } = this.core;
    const conversation = await store.getConversation(conversationId);
    const service = handoff.service;
    if (!conversation || !service) return { status: 'not_found' };
    const customer = await store.getCustomer(conversation.customerId);
    const opened = await service.escalate({
      conversation: { id: conversation.id, channel: conversation.channel, chatId: conversation.chatId, customerName: customer?.displayName ?? conversation.chatId },
      reason: 'admin_forced',
      summary: conversation.summary ?? 'Handed over by an admin.',
      lastMessages: [],
      locale: conversation.locale,
    });
    return { status: 'opened', handoffId: opened.id };
  }
}
