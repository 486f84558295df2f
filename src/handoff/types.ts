/**
 * Handoff records and the ports the handoff service talks through. The composition root
 * binds the ports to the outbox, the conversation store and the staff console (Slack).
 */
import type { InboundMessage, OutboundMessage } from '../bus/types.js';

/** Responder of a conversation: the bot, no one yet (waiting for staff), or a staff member. */
export type ConversationState = 'bot' | 'waiting' | 'staff';

/** Lifecycle of one handoff record; `resolved` hands the conversation back to the bot. */
export type HandoffState = 'waiting' | 'staff' | 'resolved';

/** Reason a conversation was handed to a person. */
export type HandoffReason =
  | 'customer_requested'
  | 'no_answer'
  | 'frustrated'
  | 'model_requested'
  | 'validator_rejected_repeatedly'
  | 'all_providers_failed'
  | 'admin_forced';

/** Location of a handoff card in the staff console: a channel and the card's thread id. */
export interface ThreadRef {
  channel: string;
  ts: string;
}

/** A member of staff acting in the console. */
export interface StaffUser {
  id: string;
  name?: string;
}

export interface Handoff {
  id: string;
  conversationId: string;
  /** Customer channel (`telegram`, `whatsapp`, `http`) and chat id, where replies go. */
  channel: string;
  chatId: string;
  customerName: string;
  /** Customer locale for notices, such as `en` or `pt-BR`. */
  locale: string;
  reason: HandoffReason;
  state: HandoffState;
  /** Staff console card; unset until the card was posted. */
  thread?: ThreadRef;
  claimedBy?: StaffUser;
  resolvedBy?: StaffUser;
  /** Epoch milliseconds. */
  openedAt: number;
  claimedAt?: number;
  resolvedAt?: number;
  reminderSentAt?: number;
}

/** The conversation a handoff starts from. */
export interface HandoffConversation {
  id: string;
  channel: string;
  chatId: string;
  customerName: string;
}

/** One earlier line of the conversation, shown on the staff card. */
export interface TranscriptLine {
  role: 'customer' | 'bot' | 'staff';
  text: string;
}

/** Card content staff need besides the handoff record itself. */
export interface HandoffDetails {
  summary: string;
  lastMessages: TranscriptLine[];
}

export interface EscalateRequest {
  conversation: HandoffConversation;
  reason: HandoffReason;
  summary: string;
  lastMessages: TranscriptLine[];
  locale: string;
}

/** Port: delivers a message to the customer; the composition root binds it to the outbox. */
export interface CustomerSender {
  send(message: OutboundMessage): Promise<void>;
}

/** Port: stores who replies in a conversation, so the router relays instead of replying. */
export interface ConversationStateStore {
  setState(conversationId: string, state: ConversationState): Promise<void>;
}

/** Port: the place where staff see and take handoffs (the Slack adapter implements it). */
export interface StaffConsole {
  /** Post the handoff card and return where it lives; later messages go to its thread. */
  postCard(handoff: Handoff, details: HandoffDetails): Promise<ThreadRef>;
  postToThread(thread: ThreadRef, text: string): Promise<void>;
  /** Redraw the card after a claim or a resolve. */
  updateCard(handoff: Handoff): Promise<void>;
  /** Remind staff that the handoff is still unclaimed. */
  remind(handoff: Handoff): Promise<void>;
}

/** A customer message relayed while a handoff is open. */
export type RelayedMessage = Pick<InboundMessage, 'text' | 'attachments' | 'sender'>;
