import { gte } from 'drizzle-orm';
import type { Core } from '../../src/app.js';
import { requestLog } from '../../src/store/schema.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { percentile } from './run.js';

/** Messages answered by one provider at one fallback level, with their share and latency. */
export interface LevelShare {
  /** 0 primary LLM, 1 secondary LLM, 2 rules engine, 3 human handoff; null for limited messages. */
  fallbackLevel: number | null;
  provider: string;
  count: number;
  /** Share of all handled messages, from 0 to 1. */
  share: number;
  cacheHits: number;
  /** End-to-end time from receipt to outcome, as the request log records it. */
  p99Ms: number;
}

/**
 * Group the request log since `sinceMs` by fallback level and provider. Latency needs the
 * SQLite store; on another store only the counts of `providerCounts` are returned.
 */
export async function levelShares(core: Core, sinceMs: number): Promise<LevelShare[]> {
  if (!(core.store instanceof SqliteStore)) {
    const rows = await core.store.providerCounts(sinceMs);
    const total = rows.reduce((sum, row) => sum + row.count, 0);
    return rows.map((row) => ({
      fallbackLevel: row.fallbackLevel,
      provider: row.provider ?? 'none',
      count: row.count,
      share: total > 0 ? row.count / total : 0,
      cacheHits: 0,
      p99Ms: 0,
    }));
  }

  const rows = core.store.db
    .select({ level: requestLog.fallbackLevel, provider: requestLog.provider, ms: requestLog.endToEndMs, cacheHit: requestLog.cacheHit })
    .from(requestLog)
    .where(gte(requestLog.finishedAt, sinceMs))
    .all();
  const groups = new Map<string, { level: number | null; provider: string; latencies: number[]; cacheHits: number }>();
  for (const row of rows) {
    const provider = row.provider ?? 'none';
    const key = `${row.level}|${provider}`;
    let group = groups.get(key);
    if (!group) {
      group = { level: row.level, provider, latencies: [], cacheHits: 0 };
      groups.set(key, group);
    }
    group.latencies.push(row.ms);
    if (row.cacheHit) group.cacheHits += 1;
  }
  return [...groups.values()]
    .sort((a, b) => (a.level ?? -1) - (b.level ?? -1) || a.provider.localeCompare(b.provider))
    .map((group) => ({
      fallbackLevel: group.level,
      provider: group.provider,
      count: group.latencies.length,
      share: rows.length > 0 ? group.latencies.length / rows.length : 0,
      cacheHits: group.cacheHits,
      p99Ms: Math.round(percentile(group.latencies.sort((a, b) => a - b), 0.99)),
    }));
}
