import { sql } from 'drizzle-orm';
import { bigint, boolean, doublePrecision, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The PostgreSQL twin of src/store/schema.ts: the same tables, columns and index names, so
 * that both stores read alike and a report query runs on either. Times are epoch
 * milliseconds in bigint columns, read as JavaScript numbers (exact up to 2^53).
 */

const epochMs = (name: string) => bigint(name, { mode: 'number' });

/** One row per person per channel; id is `<channel>:<platform user id>`. */
export const customers = pgTable('customers', {
  id: text('id').primaryKey(),
  channel: text('channel').notNull(),
  platformUserId: text('platform_user_id').notNull(),
  displayName: text('display_name'),
  locale: text('locale').notNull().default('en'),
  firstSeenAt: epochMs('first_seen_at').notNull(),
  lastSeenAt: epochMs('last_seen_at').notNull(),
});

/** One row per chat; id is `<channel>:<chat id>`. `state` is who answers: bot, nobody yet or staff. */
export const conversations = pgTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    customerId: text('customer_id').notNull(),
    state: text('state', { enum: ['bot', 'waiting', 'staff'] }).notNull().default('bot'),
    locale: text('locale').notNull().default('en'),
    /** Rolling summary of messages trimmed from the prompt. */
    summary: text('summary'),
    /** Highest message id that the summary covers. */
    summaryCoversTo: integer('summary_covers_to'),
    /** Set when the platform reported that the customer blocked the bot; sending stops. */
    /** Set once a tool read this customer's data; such conversations never use the response cache. */
    personal: boolean('personal').notNull().default(false),
    unreachable: boolean('unreachable').notNull().default(false),
    lastInboundAt: epochMs('last_inbound_at'),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  (table) => [index('conversations_customer_id_idx').on(table.customerId)],
);

/**
 * Inbound and outbound messages. Inbound rows move received -> processing -> done;
 * outbound rows (the outbox) move pending -> sent, or failed when the channel gave up.
 */
export const messages = pgTable(
  'messages',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    conversationId: text('conversation_id').notNull(),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    channel: text('channel').notNull(),
    /** Platform id of an inbound message; null on outbound rows. */
    platformMessageId: text('platform_message_id'),
    /** `customer`, `bot` or `staff:<name>`. */
    author: text('author').notNull(),
    kind: text('kind').notNull(),
    text: text('text').notNull(),
    /** JSON array of attachments (inbound) or buttons (outbound). */
    extra: text('extra'),
    state: text('state', {
      enum: ['received', 'processing', 'done', 'pending', 'sent', 'failed'],
    }).notNull(),
    /** Final outcome of an inbound message, such as `answer` or `handoff`. */
    outcome: text('outcome'),
    /** Inbound message that an outbound row answers. */
    replyToId: integer('reply_to_id'),
    /** JSON array of platform ids returned by the channel for an outbound row. */
    sentPlatformIds: text('sent_platform_ids'),
    /** Outbound: send attempts. Inbound: claims, which also serve as the fencing counter. */
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('messages_channel_platform_message_id_idx')
      .on(table.channel, table.platformMessageId)
      .where(sql`${table.platformMessageId} IS NOT NULL`),
    index('messages_conversation_id_id_idx').on(table.conversationId, table.id),
    index('messages_reply_to_id_idx').on(table.replyToId),
    index('messages_open_state_idx')
      .on(table.state)
      .where(sql`${table.state} IN ('received', 'processing', 'pending')`),
  ],
);

/** One row per handled inbound message: what it cost and how it was answered. */
export const requestLog = pgTable(
  'request_log',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    messageId: integer('message_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    channel: text('channel').notNull(),
    customerId: text('customer_id').notNull(),
    receivedAt: epochMs('received_at').notNull(),
    finishedAt: epochMs('finished_at').notNull(),
    endToEndMs: doublePrecision('end_to_end_ms').notNull(),
    queueWaitMs: doublePrecision('queue_wait_ms').notNull(),
    providerMs: doublePrecision('provider_ms'),
    provider: text('provider'),
    model: text('model'),
    /** 0 primary LLM, 1 secondary LLM, 2 rules engine, 3 human handoff. */
    fallbackLevel: integer('fallback_level'),
    tokensIn: integer('tokens_in').notNull().default(0),
    tokensOut: integer('tokens_out').notNull().default(0),
    costUsd: doublePrecision('cost_usd').notNull().default(0),
    cacheHit: boolean('cache_hit').notNull().default(false),
    validatorOutcome: text('validator_outcome'),
    validatorReasons: text('validator_reasons'),
    rateLimitOutcome: text('rate_limit_outcome'),
    outcome: text('outcome').notNull(),
    errorType: text('error_type'),
  },
  (table) => [
    index('request_log_finished_at_idx').on(table.finishedAt),
    index('request_log_customer_id_finished_at_idx').on(table.customerId, table.finishedAt),
  ],
);

/** Demo business data read by the built-in tools: one account per customer. */
export const accounts = pgTable('accounts', {
  customerId: text('customer_id').primaryKey(),
  email: text('email').notNull(),
  balanceCents: integer('balance_cents').notNull(),
  currency: text('currency').notNull().default('USD'),
  updatedAt: epochMs('updated_at').notNull(),
});

/** Demo business data read by the built-in tools: a small online store's orders. */
export const orders = pgTable(
  'orders',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id').notNull(),
    status: text('status').notNull(),
    totalCents: integer('total_cents').notNull(),
    currency: text('currency').notNull().default('USD'),
    items: text('items').notNull(),
    createdAt: epochMs('created_at').notNull(),
    estimatedDelivery: text('estimated_delivery'),
  },
  (table) => [index('orders_customer_id_idx').on(table.customerId)],
);
