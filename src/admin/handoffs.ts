import type { Handoff } from '../handoff/types.js';
import type { OpenHandoffSummary } from './backend.js';

/** Convert an open handoff record to the summary `AdminBackend.openHandoffs()` returns. */
export function toOpenHandoffSummary(handoff: Handoff): OpenHandoffSummary {
  if (handoff.state === 'resolved') throw new Error(`handoff ${handoff.id} is resolved, not open`);
  return {
    id: handoff.id,
    conversationId: handoff.conversationId,
    customerName: handoff.customerName,
    channel: handoff.channel,
    state: handoff.state,
    claimedBy: handoff.claimedBy?.name ?? handoff.claimedBy?.id,
    openedAt: handoff.openedAt,
  };
}
