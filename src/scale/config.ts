import { z } from 'zod';

const int = (defaultValue: number, min: number) =>
  z.preprocess((value) => (value === '' ? undefined : value), z.coerce.number().int().min(min).default(defaultValue));

/**
 * Environment of the multi-process mode (PostgreSQL storage, Redis queue and leases). Only
 * read when `DATABASE_URL` names PostgreSQL or `REDIS_URL` is set.
 */
export const scaleEnv = z.object({
  /** PostgreSQL schema of the tables and the migration journal. */
  PG_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/).default('public'),
  /** Connections per process; at least 2 because migrations hold one for their lock. */
  PG_POOL_SIZE: int(10, 2),
  /** Prefix of every Redis key of the queue and the leases; one per deployment. */
  REDIS_PREFIX: z.string().min(1).default('fd'),
  /** Conversations one worker process runs at once. */
  REDIS_QUEUE_CONCURRENCY: int(16, 1),
  /** BullMQ job lock in ms: how long a dead worker keeps a conversation before redelivery starts. */
  REDIS_QUEUE_LOCK_MS: int(30_000, 100),
  /** How often workers look for stalled jobs, in ms. */
  REDIS_QUEUE_STALLED_INTERVAL_MS: int(30_000, 100),
  /** How often a worker looks for lanes left without an owner job, in ms. */
  REDIS_QUEUE_REPAIR_INTERVAL_MS: int(30_000, 1000),
  /** Lifetime of a channel lease without renewal, in ms; takeover happens about this long after a holder dies. */
  LEASE_TTL_MS: int(10_000, 100),
  /** How often a gateway re-reads the store for an outcome it waits for, in case a notification was lost, in ms. */
  OUTCOME_POLL_MS: int(1000, 10),
  /** How often workers look for messages and replies left behind by a dead process, in ms. */
  RECOVERY_INTERVAL_MS: int(60_000, 100),
  /** Age after which an open message or a pending reply counts as left behind, in ms. */
  RECOVERY_GRACE_MS: int(30_000, 0),
  /** How often the WhatsApp Web gateway sweeps replies that workers left pending for it, in ms. */
  PENDING_SWEEP_MS: int(5000, 100),
  /** How long SIGTERM waits for running messages before closing connections, in ms. */
  SHUTDOWN_GRACE_MS: int(10_000, 0),
});

export type ScaleEnv = z.infer<typeof scaleEnv>;
