import type { InboundRow, OutboundRow } from '../types.js';
import type { messages } from './schema.js';

/** A `messages` row as drizzle reads it from PostgreSQL. */
export type MessageRecord = typeof messages.$inferSelect;

/** Map a stored inbound row to the pipeline's shape; attachments are kept as JSON text. */
export function toInbound(row: MessageRecord, customerId: string): InboundRow {
  return {
    id: row.id,
    conversationId: row.conversationId,
    channel: row.channel,
    platformMessageId: row.platformMessageId ?? '',
    customerId,
    text: row.text,
    attachments: row.extra ? JSON.parse(row.extra) : [],
    state: row.state as InboundRow['state'],
    outcome: row.outcome,
    createdAt: row.createdAt,
  };
}

/** Map a stored outbound row to the outbox's shape; buttons are kept as JSON text. */
export function toOutbound(row: MessageRecord): OutboundRow {
  return {
    id: row.id,
    conversationId: row.conversationId,
    channel: row.channel,
    author: row.author,
    kind: row.kind as OutboundRow['kind'],
    text: row.text,
    buttons: row.extra ? JSON.parse(row.extra) : [],
    state: row.state as OutboundRow['state'],
    replyToId: row.replyToId,
    attempts: row.attempts,
    createdAt: row.createdAt,
  };
}
