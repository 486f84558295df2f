/** In-memory bindings of the handoff ports that record what the service did. */
import type { OutboundMessage } from '../../src/bus/types.js';
import type {
  ConversationState,
  ConversationStateStore,
  CustomerSender,
  Handoff,
  HandoffDetails,
  StaffConsole,
  ThreadRef,
} from '../../src/handoff/types.js';

export class RecordingSender implements CustomerSender {
  readonly sent: OutboundMessage[] = [];

  async send(message: OutboundMessage): Promise<void> {
    this.sent.push(message);
  }
}

export class MemoryStates implements ConversationStateStore {
  readonly states = new Map<string, ConversationState>();

  async setState(conversationId: string, state: ConversationState): Promise<void> {
    this.states.set(conversationId, state);
  }
}

/** A console that keeps cards and thread posts in arrays; `failPosts` makes postCard throw. */
export class RecordingConsole implements StaffConsole {
  readonly cards: { handoff: Handoff; details: HandoffDetails }[] = [];
  readonly threadPosts: { thread: ThreadRef; text: string }[] = [];
  readonly updates: Handoff[] = [];
  readonly reminders: Handoff[] = [];
  failPosts = false;

  async postCard(handoff: Handoff, details: HandoffDetails): Promise<ThreadRef> {
    if (this.failPosts) throw new Error('console unavailable');
    this.cards.push({ handoff, details });
    return { channel: 'CSTAFF', ts: `1000.${this.cards.length}` };
  }

  async postToThread(thread: ThreadRef, text: string): Promise<void> {
    this.threadPosts.push({ thread, text });
  }

  async updateCard(handoff: Handoff): Promise<void> {
    this.updates.push(handoff);
  }

  async remind(handoff: Handoff): Promise<void> {
    this.reminders.push(handoff);
  }
}
