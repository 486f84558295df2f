/**
 * Mapping between stored rows and the shapes the rest of the code uses, shared by the SQLite
 * and PostgreSQL stores: both dialects store the same columns under the same names.
 */
import type { Handoff, HandoffReason, StaffUser } from '../handoff/types.js';
import type { InboundRow, MessageRow, OutboundRow } from './types.js';

/** The columns of a `messages` row that the mappers read. */
export interface StoredMessage {
  id: number;
  conversationId: string;
  channel: string;
  platformMessageId: string | null;
  author: string;
  kind: string;
  text: string;
  extra: string | null;
  state: string;
  outcome: string | null;
  replyToId: number | null;
  attempts: number;
  createdAt: number;
}

/** Map a stored inbound row to the pipeline's shape; attachments are kept as JSON text. */
export function toInbound(row: StoredMessage, customerId: string): InboundRow {
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
export function toOutbound(row: StoredMessage): OutboundRow {
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

/**
 * Sort messages into conversation order in place: each reply right after the message it
 * answers, even when a later message was stored before the reply.
 */
export function inConversationOrder(rows: MessageRow[]): MessageRow[] {
  const position = (row: MessageRow) => (row.replyToId === null ? row.id : row.replyToId + 0.5);
  return rows.sort((a, b) => position(a) - position(b) || a.id - b.id);
}

/** The columns of a `handoffs` row; optional parts of a handoff are stored as null. */
export interface StoredHandoff {
  id: string;
  conversationId: string;
  channel: string;
  chatId: string;
  customerName: string;
  locale: string;
  reason: string;
  state: Handoff['state'];
  staffChannel: string | null;
  staffThreadTs: string | null;
  claimedById: string | null;
  claimedByName: string | null;
  resolvedById: string | null;
  resolvedByName: string | null;
  openedAt: number;
  claimedAt: number | null;
  resolvedAt: number | null;
  reminderSentAt: number | null;
}

/** Flatten a handoff into its row. */
export function handoffToRow(handoff: Handoff): StoredHandoff {
  return {
    id: handoff.id,
    conversationId: handoff.conversationId,
    channel: handoff.channel,
    chatId: handoff.chatId,
    customerName: handoff.customerName,
    locale: handoff.locale,
    reason: handoff.reason,
    state: handoff.state,
    staffChannel: handoff.thread?.channel ?? null,
    staffThreadTs: handoff.thread?.ts ?? null,
    claimedById: handoff.claimedBy?.id ?? null,
    claimedByName: handoff.claimedBy?.name ?? null,
    resolvedById: handoff.resolvedBy?.id ?? null,
    resolvedByName: handoff.resolvedBy?.name ?? null,
    openedAt: handoff.openedAt,
    claimedAt: handoff.claimedAt ?? null,
    resolvedAt: handoff.resolvedAt ?? null,
    reminderSentAt: handoff.reminderSentAt ?? null,
  };
}

/** Rebuild a handoff from its row; null columns become absent fields, as they were written. */
export function rowToHandoff(row: StoredHandoff): Handoff {
  const handoff: Handoff = {
    id: row.id,
    conversationId: row.conversationId,
    channel: row.channel,
    chatId: row.chatId,
    customerName: row.customerName,
    locale: row.locale,
    reason: row.reason as HandoffReason,
    state: row.state,
    openedAt: row.openedAt,
  };
  if (row.staffChannel !== null && row.staffThreadTs !== null) {
    handoff.thread = { channel: row.staffChannel, ts: row.staffThreadTs };
  }
  const claimedBy = toStaffUser(row.claimedById, row.claimedByName);
  if (claimedBy) handoff.claimedBy = claimedBy;
  const resolvedBy = toStaffUser(row.resolvedById, row.resolvedByName);
  if (resolvedBy) handoff.resolvedBy = resolvedBy;
  if (row.claimedAt !== null) handoff.claimedAt = row.claimedAt;
  if (row.resolvedAt !== null) handoff.resolvedAt = row.resolvedAt;
  if (row.reminderSentAt !== null) handoff.reminderSentAt = row.reminderSentAt;
  return handoff;
}

function toStaffUser(id: string | null, name: string | null): StaffUser | undefined {
  if (id === null) return undefined;
  return name === null ? { id } : { id, name };
}
