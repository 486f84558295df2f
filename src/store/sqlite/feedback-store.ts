import { asc, gte } from 'drizzle-orm';

import type { SqliteDb } from '../db.js';
import { feedback } from '../ops-schema.js';

/** One feedback event as stored: a thumb is 0 or 1, a rating an integer from 1 to 5. */
export interface FeedbackEntry {
  conversationId: string;
  customerId: string;
  /** Outbound message the feedback is about; null when the channel does not identify it. */
  messageId: number | null;
  kind: 'thumb' | 'rating';
  value: number;
  /** Epoch ms. */
  createdAt: number;
}

/** A stored feedback entry with its row id. */
export interface StoredFeedback extends FeedbackEntry {
  id: number;
}

/** Storage of customer feedback, such as for rebuilding satisfaction figures after a restart. */
export interface FeedbackStore {
  add(entry: FeedbackEntry): Promise<void>;
  /** Entries created at or after `since` (epoch ms), oldest first. */
  listSince(since: number): Promise<StoredFeedback[]>;
}

/** `FeedbackStore` in process memory, for tests and runs without a database. */
export class InMemoryFeedbackStore implements FeedbackStore {
  private readonly entries: StoredFeedback[] = [];

  async add(entry: FeedbackEntry): Promise<void> {
    this.entries.push({ ...entry, id: this.entries.length + 1 });
  }

  async listSince(since: number): Promise<StoredFeedback[]> {
    return this.entries
      .filter((entry) => entry.createdAt >= since)
      .sort((a, b) => a.createdAt - b.createdAt || a.id - b.id)
      .map((entry) => ({ ...entry }));
  }
}

/**
 * `FeedbackStore` on the SQLite table `feedback`. It stores values unchecked, so callers
 * should drop invalid ones first (`feedbackScore` in src/monitor/satisfaction.ts returns null for them).
 */
export class SqliteFeedbackStore implements FeedbackStore {
  constructor(private readonly db: SqliteDb) {}

  async add(entry: FeedbackEntry): Promise<void> {
    this.db.insert(feedback).values(entry).run();
  }

  async listSince(since: number): Promise<StoredFeedback[]> {
    return this.db
      .select()
      .from(feedback)
      .where(gte(feedback.createdAt, since))
      .orderBy(asc(feedback.createdAt), asc(feedback.id))
      .all();
  }
}
