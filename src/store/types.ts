import type { Attachment, Button, InboundMessage, OutboundKind } from '../bus/types.js';

export type ConversationState = 'bot' | 'waiting' | 'staff';

export interface ConversationRow {
  id: string;
  channel: string;
  chatId: string;
  customerId: string;
  state: ConversationState;
  locale: string;
  summary: string | null;
  summaryCoversTo: number | null;
  personal: boolean;
  unreachable: boolean;
  lastInboundAt: number | null;
}

export interface CustomerRow {
  id: string;
  channel: string;
  platformUserId: string;
  displayName: string | null;
  locale: string;
  firstSeenAt: number;
  lastSeenAt: number;
}

export type InboundState = 'received' | 'processing' | 'done';
export type OutboundState = 'pending' | 'sent' | 'failed';

/** An inbound message as stored, with what the pipeline needs to process it. */
export interface InboundRow {
  id: number;
  conversationId: string;
  channel: string;
  platformMessageId: string;
  customerId: string;
  text: string;
  attachments: Attachment[];
  state: InboundState;
  outcome: string | null;
  createdAt: number;
}

/** A row of the outbox. */
export interface OutboundRow {
  id: number;
  conversationId: string;
  channel: string;
  author: string;
  kind: OutboundKind;
  text: string;
  buttons: Button[];
  state: OutboundState;
  replyToId: number | null;
  attempts: number;
  createdAt: number;
}

/** Any message of a conversation, for listing and for building the prompt. */
export interface MessageRow {
  id: number;
  direction: 'in' | 'out';
  author: string;
  kind: string;
  text: string;
  state: string;
  outcome: string | null;
  replyToId: number | null;
  createdAt: number;
}

/** A reply to be written to the outbox. */
export interface OutboundDraft {
  kind: OutboundKind;
  text: string;
  buttons?: Button[];
  /** `bot` unless a person wrote it. */
  author?: string;
}

/** One line of the request log; see the `request_log` table for field meanings. */
export interface RequestLogEntry {
  messageId: number;
  conversationId: string;
  channel: string;
  customerId: string;
  receivedAt: number;
  finishedAt: number;
  endToEndMs: number;
  queueWaitMs: number;
  providerMs?: number | null;
  provider?: string | null;
  model?: string | null;
  fallbackLevel?: number | null;
  tokensIn?: number;
  tokensOut?: number;
  costUsd?: number;
  cacheHit?: boolean;
  validatorOutcome?: string | null;
  validatorReasons?: string[] | null;
  rateLimitOutcome?: string | null;
  outcome: string;
  errorType?: string | null;
}

export interface RequestSummary {
  messages: number;
  conversations: number;
  handoffs: number;
  /** Messages by fallback level: 0 primary, 1 secondary, 2 rules, 3 handoff. */
  byFallbackLevel: Record<number, number>;
  costUsd: number;
  /** Messages answered from the response cache. */
  cacheHits: number;
}

export interface AcceptedInbound {
  messageId: number;
  conversationId: string;
  customerId: string;
  duplicate: boolean;
  state: InboundState;
}

export interface AccountRow {
  customerId: string;
  email: string;
  balanceCents: number;
  currency: string;
}

export interface OrderRow {
  id: string;
  customerId: string;
  status: string;
  totalCents: number;
  currency: string;
  items: string[];
  createdAt: number;
  estimatedDelivery: string | null;
}

/**
 * Persistence used by the pipeline. Every method that changes more than one row runs in one
 * transaction, so a crash leaves either the old or the new state and never a mix.
 */
export interface Store {
  /** Persist an inbound message unless (channel, platform id) is already stored. */
  acceptInbound(message: InboundMessage, now: number): Promise<AcceptedInbound>;
  /** Move a message to `processing`; returns undefined when it is already done. */
  claimInbound(messageId: number, now: number): Promise<InboundRow | undefined>;
  getInbound(messageId: number): Promise<InboundRow | undefined>;
  /** Store the outcome of an inbound message, its replies and its request-log line at once. */
  completeInbound(
    messageId: number,
    outcome: string,
    replies: OutboundDraft[],
    log: RequestLogEntry | null,
    now: number,
  ): Promise<OutboundRow[]>;
  /** Queue a message that answers no inbound message, such as a staff reply or an alert. */
  enqueueOutbound(conversationId: string, draft: OutboundDraft, now: number): Promise<OutboundRow>;
  markSent(outboundId: number, platformIds: string[], now: number): Promise<void>;
  markSendFailed(outboundId: number, error: string, final: boolean, now: number): Promise<void>;
  listOpenInbound(): Promise<Array<{ id: number; conversationId: string }>>;
  listPendingOutbound(): Promise<OutboundRow[]>;
  listReplies(inboundId: number): Promise<OutboundRow[]>;

  getConversation(id: string): Promise<ConversationRow | undefined>;
  setConversationState(id: string, state: ConversationState, now: number): Promise<void>;
  setConversationSummary(id: string, summary: string, coversTo: number, now: number): Promise<void>;
  markUnreachable(id: string, now: number): Promise<void>;
  /** Record that customer data entered the conversation, which keeps it out of the response cache. */
  markPersonal(id: string, now: number): Promise<void>;
  /**
   * The latest `limit` messages of a conversation in conversation order, from one indexed
   * query. With `uptoId`, inbound messages after that id are left out, and each reply is
   * placed right after the message it answers even when a later message was stored first.
   */
  listMessages(conversationId: string, limit: number, uptoId?: number): Promise<MessageRow[]>;

  getCustomer(id: string): Promise<CustomerRow | undefined>;
  /** Insert demo accounts and orders when the accounts table is empty; returns whether it did. */
  seedBusinessData(accounts: AccountRow[], orders: OrderRow[], now: number): Promise<boolean>;
  getAccount(customerId: string): Promise<AccountRow | undefined>;
  listOrders(customerId: string): Promise<OrderRow[]>;
  getOrder(orderId: string): Promise<OrderRow | undefined>;

  /** Handled messages since `sinceMs` per provider and fallback level, from the request log. */
  providerCounts(sinceMs: number): Promise<Array<{ provider: string | null; fallbackLevel: number | null; count: number }>>;

  /** Totals of the request log since `sinceMs`, for the admin `stats` command. */
  summarizeRequests(sinceMs: number): Promise<RequestSummary>;

  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
