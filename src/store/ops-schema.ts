/**
 * Operational tables of the SQLite database: the guard's lists, handoffs, per-customer daily
 * LLM usage, Telegram chat aliases and customer feedback. Timestamps are epoch milliseconds.
 */
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Blocked senders; sender is `<channel>:<sender id>`. Placing a block again replaces the row,
 * and the guard writes it with `notice_sent` false, so the sender gets one new notice.
 */
export const guardBlocks = sqliteTable('guard_blocks', {
  sender: text('sender').primaryKey(),
  /** Admin who placed the block, such as a Slack user id. */
  blockedBy: text('blocked_by').notNull(),
  reason: text('reason').notNull(),
  blockedAt: integer('blocked_at').notNull(),
  /** Set once the sender got the one-time "you are blocked" notice. */
  noticeSent: integer('notice_sent', { mode: 'boolean' }).notNull().default(false),
});

/** Senders who skip rate limits; blocks and input checks still apply to them. */
export const guardAllowlist = sqliteTable('guard_allowlist', {
  sender: text('sender').primaryKey(),
  allowedBy: text('allowed_by').notNull(),
  allowedAt: integer('allowed_at').notNull(),
});

/** Per-sender base limits that replace the configured defaults. */
export const guardLimitOverrides = sqliteTable('guard_limit_overrides', {
  sender: text('sender').primaryKey(),
  /** JSON object of points by window name, such as `{"minute":5,"hour":50}`. */
  points: text('points').notNull(),
  setBy: text('set_by').notNull(),
  setAt: integer('set_at').notNull(),
});

/** Append-only log of admin changes to the guard's lists; `id` orders it. */
export const guardAudit = sqliteTable(
  'guard_audit',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    by: text('by').notNull(),
    /** block, unblock, allow, disallow, set_limit or clear_limit. */
    action: text('action').notNull(),
    sender: text('sender').notNull(),
    detail: text('detail'),
  },
  (table) => [index('guard_audit_sender_id_idx').on(table.sender, table.id)],
);

/**
 * Conversations handed to staff. `state` moves waiting -> staff -> resolved, and the handoff
 * service opens at most one unresolved handoff per conversation (the table does not enforce it).
 * The staff thread is null until the card is posted.
 */
export const handoffs = sqliteTable(
  'handoffs',
  {
    id: text('id').primaryKey(),
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
    openedAt: integer('opened_at').notNull(),
    claimedAt: integer('claimed_at'),
    resolvedAt: integer('resolved_at'),
    reminderSentAt: integer('reminder_sent_at'),
  },
  (table) => [
    index('handoffs_conversation_id_state_idx').on(table.conversationId, table.state),
    index('handoffs_staff_channel_staff_thread_ts_idx').on(table.staffChannel, table.staffThreadTs),
  ],
);

/** LLM usage of one customer on one UTC day, for the daily budgets. */
export const customerDailyUsage = sqliteTable(
  'customer_daily_usage',
  {
    customerId: text('customer_id').notNull(),
    /** UTC day, `YYYY-MM-DD`. */
    day: text('day').notNull(),
    tokens: integer('tokens').notNull().default(0),
    costUsd: real('cost_usd').notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.customerId, table.day] })],
);

/**
 * Telegram groups that became supergroups: the old chat id stays the conversation key and
 * messages go to the new one.
 */
export const telegramChatAliases = sqliteTable('telegram_chat_aliases', {
  oldChatId: text('old_chat_id').primaryKey(),
  newChatId: text('new_chat_id').notNull(),
  migratedAt: integer('migrated_at').notNull(),
});

/** Customer feedback: a thumb is 0 (down) or 1 (up), a rating an integer from 1 to 5. */
export const feedback = sqliteTable(
  'feedback',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: text('conversation_id').notNull(),
    customerId: text('customer_id').notNull(),
    /** Outbound message the feedback is about, when the channel identifies it. */
    messageId: integer('message_id'),
    kind: text('kind', { enum: ['thumb', 'rating'] }).notNull(),
    value: integer('value').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('feedback_created_at_idx').on(table.createdAt)],
);
