import type { HistoryMessage } from '../../src/context/types.js';

/** Builds a history from short specs; ids and times increase in order. */
export function makeHistory(specs: Array<Omit<HistoryMessage, 'id' | 'createdAt'>>): HistoryMessage[] {
  return specs.map((spec, index) => ({ ...spec, id: index + 1, createdAt: 1_000 * (index + 1) }));
}

/** Builds a long alternating conversation with a fact every fifth message. */
export function longConversation(messages: number): HistoryMessage[] {
  return makeHistory(
    Array.from({ length: messages }, (_, index) => ({
      role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
      content:
        index % 5 === 2
          ? `Order #${40_000 + index} was charged $${index}.50 on 2025-03-0${(index % 9) + 1}.`
          : `This is message ${index}, a plain sentence about the delivery of a parcel to the customer.`,
    })),
  );
}
