/**
 * Operational tables of the PostgreSQL store, the twin of src/store/ops-schema.ts: guard
 * lists, handoffs, daily LLM usage, Telegram chat aliases and feedback.
 *
 * PostgreSQL has no stable insertion order, so tables that SQLite orders by its implicit
 * rowid get an identity column `seq` here. An upsert keeps the row's `seq`, as SQLite keeps
 * the rowid.
 */
import { bigint, boolean, doublePrecision, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

const epochMs = (name: string) => bigint(name, { mode: 'number' });
const seq = () => bigint('seq', { mode: 'number' }).notNull().generatedByDefaultAsIdentity();

/** Blocked senders; see the SQLite table for the `notice_sent` rule. */
export const guardBlocks = pgTable('guard_blocks', {
  sender: text('sender').primaryKey(),
  seq: seq(),
  blockedBy: text('blocked_by').notNull(),
  reason: text('reason').notNull(),
  blockedAt: epochMs('blocked_at').notNull(),
  noticeSent: boolean('notice_sent').notNull().default(false),
});

/** Senders who skip rate limits. */
export const guardAllowlist = pgTable('guard_allowlist', {
  sender: text('sender').primaryKey(),
  allowedBy: text('allowed_by').notNull(),
  allowedAt: epochMs('allowed_at').notNull(),
});

/** Per-sender base limits; `points` is a JSON object of points by window name. */
export const guardLimitOverrides = pgTable('guard_limit_overrides', {
  sender: text('sender').primaryKey(),
  points: text('points').notNull(),
  setBy: text('set_by').notNull(),
  setAt: epochMs('set_at').notNull(),
});

/** Append-only log of admin changes to the guard's lists; `id` orders it. */
export const guardAudit = pgTable(
  'guard_audit',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    at: epochMs('at').notNull(),
    by: text('by').notNull(),
    action: text('action').notNull(),
    sender: text('sender').notNull(),
    detail: text('detail'),
  },
  (table) => [index('guard_audit_sender_id_idx').on(table.sender, table.id)],
);

/** Conversations handed to staff; `state` moves waiting -> staff -> resolved. */
export const handoffs = pgTable(
  'handoffs',
  {
    id: text('id').primaryKey(),
    seq: seq(),
    conversationId: text('conversation_id').notNull(),
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    customerName: text('customer_name').notNull(),
    locale: text('locale').notNull(),
    reason: text('reason').notNull(),
    state: text('state', { enum: ['waiting', 'staff', 'resolved'] }).notNull(),
    staffChannel: text('staff_channel'),
    staffThreadTs: text('staff_thread_ts'),
    claimedById: text('claimed_by_id'),
    claimedByName: text('claimed_by_name'),
    resolvedById: text('resolved_by_id'),
    resolvedByName: text('resolved_by_name'),
    openedAt: epochMs('opened_at').notNull(),
    claimedAt: epochMs('claimed_at'),
    resolvedAt: epochMs('resolved_at'),
    reminderSentAt: epochMs('reminder_sent_at'),
  },
  (table) => [
    index('handoffs_conversation_id_state_idx').on(table.conversationId, table.state),
    index('handoffs_staff_channel_staff_thread_ts_idx').on(table.staffChannel, table.staffThreadTs),
  ],
);

/** LLM usage of one customer on one UTC day (`YYYY-MM-DD`). */
export const customerDailyUsage = pgTable(
  'customer_daily_usage',
  {
    customerId: text('customer_id').notNull(),
    day: text('day').notNull(),
    seq: seq(),
    tokens: integer('tokens').notNull().default(0),
    costUsd: doublePrecision('cost_usd').notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.customerId, table.day] })],
);

/** Telegram groups that became supergroups: old chat id -> new chat id. */
export const telegramChatAliases = pgTable('telegram_chat_aliases', {
  oldChatId: text('old_chat_id').primaryKey(),
  seq: seq(),
  newChatId: text('new_chat_id').notNull(),
  migratedAt: epochMs('migrated_at').notNull(),
});

/** Customer feedback: a thumb is 0 or 1, a rating an integer from 1 to 5. */
export const feedback = pgTable(
  'feedback',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    conversationId: text('conversation_id').notNull(),
    customerId: text('customer_id').notNull(),
    messageId: integer('message_id'),
    kind: text('kind', { enum: ['thumb', 'rating'] }).notNull(),
    value: integer('value').notNull(),
    createdAt: epochMs('created_at').notNull(),
  },
  (table) => [index('feedback_created_at_idx').on(table.createdAt)],
);
