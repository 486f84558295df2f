import type { Handoff, ThreadRef } from './types.js';

/**
 * Storage for handoff records. The in-memory version backs tests and the single-process
 * default until the database implementation is bound; a `handoffs` table stores the same
 * fields, with indexes on (conversation_id, state) and (staff_channel, staff_thread_ts).
 */
export interface HandoffRepository {
  insert(handoff: Handoff): Promise<void>;
  /** Replace the stored record that has the same id. */
  update(handoff: Handoff): Promise<void>;
  get(id: string): Promise<Handoff | undefined>;
  /** The handoff of a conversation that is not resolved yet, if any. */
  findOpenByConversation(conversationId: string): Promise<Handoff | undefined>;
  findByThread(thread: ThreadRef): Promise<Handoff | undefined>;
  /** Every handoff not resolved yet, oldest first. */
  listOpen(): Promise<Handoff[]>;
}

/** Keeps handoffs in a Map; records are copied in and out so callers cannot mutate storage. */
export class InMemoryHandoffRepository implements HandoffRepository {
  private readonly records = new Map<string, Handoff>();

  async insert(handoff: Handoff): Promise<void> {
    if (this.records.has(handoff.id)) throw new Error(`handoff ${handoff.id} already exists`);
    this.records.set(handoff.id, structuredClone(handoff));
  }

  async update(handoff: Handoff): Promise<void> {
    if (!this.records.has(handoff.id)) throw new Error(`handoff ${handoff.id} not found`);
    this.records.set(handoff.id, structuredClone(handoff));
  }

  async get(id: string): Promise<Handoff | undefined> {
    const found = this.records.get(id);
    return found && structuredClone(found);
  }

  async findOpenByConversation(conversationId: string): Promise<Handoff | undefined> {
    const open = await this.listOpen();
    return open.find((handoff) => handoff.conversationId === conversationId);
  }

  async findByThread(thread: ThreadRef): Promise<Handoff | undefined> {
    for (const handoff of this.records.values()) {
      if (handoff.thread?.channel === thread.channel && handoff.thread.ts === thread.ts) {
        return structuredClone(handoff);
      }
    }
    return undefined;
  }

  async listOpen(): Promise<Handoff[]> {
    return [...this.records.values()]
      .filter((handoff) => handoff.state !== 'resolved')
      .sort((a, b) => a.openedAt - b.openedAt)
      .map((handoff) => structuredClone(handoff));
  }
}
