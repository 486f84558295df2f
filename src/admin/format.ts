/**
 * Text renderings of admin command results. They use only `*bold*`, `_italic_` and
 * backticks, which Slack mrkdwn and Telegram's Markdown both display.
 */
import type { OpenHandoffSummary, SystemStatus, UsageStats } from './backend.js';

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

export function formatStatus(status: SystemStatus): string {
  const lines = [`*Status*${status.paused ? ' (maintenance mode: rules engine and handoff only)' : ''}`];
  for (const provider of status.providers) {
    let health = provider.healthy ? 'healthy' : 'unhealthy';
    if (!provider.enabled) health = 'switched off';
    lines.push(`• \`${provider.name}\`: ${health}, breaker ${provider.breaker}`);
  }
  if (status.providers.length === 0) lines.push('• no providers configured');
  lines.push(`Queue depth: ${status.queueDepth}`);
  lines.push(`Error rate: ${percent(status.errorRate)}`);
  lines.push(`p95 latency: ${Math.round(status.p95LatencyMs)} ms`);
  return lines.join('\n');
}

export function formatStats(stats: UsageStats): string {
  const answeredBy = Object.entries(stats.answeredBy)
    .map(([level, count]) => `${level} ${count}`)
    .join(', ');
  const lines = [
    `*Stats for the last ${stats.period}*`,
    `Messages: ${stats.messages}`,
    `Conversations: ${stats.conversations}`,
    `Handoffs: ${stats.handoffs}`,
    `Answered by: ${answeredBy || 'none'}`,
    `Cost: $${stats.costUsd.toFixed(2)}`,
  ];
  if (stats.averageRating !== undefined) lines.push(`Average rating: ${stats.averageRating.toFixed(2)} / 5`);
  return lines.join('\n');
}

export function formatHandoffs(handoffs: OpenHandoffSummary[], now: number): string {
  if (handoffs.length === 0) return 'No open handoffs.';
  const lines = [`*Open handoffs (${handoffs.length})*`];
  for (const handoff of handoffs) {
    const minutes = Math.max(0, Math.floor((now - handoff.openedAt) / 60_000));
    const owner = handoff.state === 'staff' ? `claimed by ${handoff.claimedBy ?? 'staff'}` : 'waiting';
    lines.push(
      `• \`${handoff.conversationId}\` ${handoff.customerName} (${handoff.channel}): ${owner}, open ${minutes} min`,
    );
  }
  return lines.join('\n');
}

export const HELP_TEXT = [
  '*Admin commands*',
  '`status`: provider health and breakers, queue depth, error rate, p95 latency',
  '`stats [period]`: usage for a period such as `1h`, `24h` (default) or `7d`',
  '`handoffs`: open handoffs',
  '`budgets [day]`: customers who spent their daily budget (UTC day, today by default)',
  '`block <sender>` / `unblock <sender>`: stop or allow a sender',
  '`limit <sender> <perMinute>`: per-sender rate limit in messages per minute',
  '`allow <sender>`: let a sender skip rate limits',
  '`risk <sender>`: a sender\'s risk score and its reasons',
  '`provider <name> on|off`: switch a model provider on or off',
  '`pause` / `resume`: maintenance mode (rules engine and handoff only) on or off',
  '`handoff <conversation>`: hand a conversation to staff',
  '`help`: this list',
].join('\n');
