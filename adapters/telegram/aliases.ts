/**
 * Chat id aliases left by group migrations.
 *
 * When a Telegram group becomes a supergroup it gets a new chat id, and the old one stops
 * accepting messages. The conversation keeps the old id as its key so history, handoffs and
 * blocks stay attached, while messages go out to the new id.
 */
export class ChatAliases {
  /** New chat id to the conversation chat id. */
  private readonly conversationOf = new Map<string, string>();
  /** Conversation chat id to the chat id that receives messages now. */
  private readonly targetOf = new Map<string, string>();

  constructor(pairs: Iterable<readonly [oldChatId: string, newChatId: string]> = []) {
    for (const [oldChatId, newChatId] of pairs) this.record(oldChatId, newChatId);
  }

  /**
   * Record that `oldChatId` moved to `newChatId`. Returns false when this pair was known.
   * A chain of migrations keeps the first id as the conversation key.
   */
  record(oldChatId: string, newChatId: string): boolean {
    if (this.targetOf.get(this.conversationChatId(oldChatId)) === newChatId) return false;
    const conversation = this.conversationChatId(oldChatId);
    this.conversationOf.set(newChatId, conversation);
    this.targetOf.set(conversation, newChatId);
    return true;
  }

  /** Conversation chat id for a chat id seen in an update. */
  conversationChatId(platformChatId: string): string {
    return this.conversationOf.get(platformChatId) ?? platformChatId;
  }

  /** Chat id to send to for a conversation chat id. */
  targetChatId(conversationChatId: string): string {
    return this.targetOf.get(conversationChatId) ?? conversationChatId;
  }
}
