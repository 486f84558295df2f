import type { webApi } from '@slack/bolt';
import { systemClock, type Clock } from '../../src/clock.js';
import type { Handoff, HandoffDetails, StaffConsole, ThreadRef } from '../../src/handoff/types.js';
import { cardFallbackText, handoffCardBlocks } from './blocks.js';
import { escapeMrkdwn } from './text.js';

/** Card details kept for redraws; older entries are dropped first. */
const MAX_CACHED_DETAILS = 1000;

/**
 * The staff console on Slack: a Block Kit card per handoff in the staff channel, with
 * customer messages in the card's thread.
 */
export class SlackStaffConsole implements StaffConsole {
  // NOTE: details live only in memory, so a card redrawn after a restart loses its
  // summary and last messages. The state line and buttons stay correct.
  private readonly details = new Map<string, HandoffDetails>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly staffChannel: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async postCard(handoff: Handoff, details: HandoffDetails): Promise<ThreadRef> {
    this.remember(handoff.id, details);
    const result = await this.client.chat.postMessage({
      channel: this.staffChannel,
      text: cardFallbackText(handoff),
      blocks: handoffCardBlocks(handoff, details),
    });
    if (!result.ts) throw new Error('Slack chat.postMessage returned no ts for the handoff card');
    return { channel: result.channel ?? this.staffChannel, ts: result.ts };
  }

  /** Post `text` in the thread; `&`, `<` and `>` are escaped, so `*bold*` and `_italic_` still work. */
  async postToThread(thread: ThreadRef, text: string): Promise<void> {
    await this.client.chat.postMessage({
      channel: thread.channel,
      thread_ts: thread.ts,
      text: escapeMrkdwn(text),
      unfurl_links: false,
      unfurl_media: false,
    });
  }

  async updateCard(handoff: Handoff): Promise<void> {
    if (!handoff.thread) return;
    await this.client.chat.update({
      channel: handoff.thread.channel,
      ts: handoff.thread.ts,
      text: cardFallbackText(handoff),
      blocks: handoffCardBlocks(handoff, this.details.get(handoff.id)),
    });
    if (handoff.state === 'resolved') this.details.delete(handoff.id);
  }

  async remind(handoff: Handoff): Promise<void> {
    if (!handoff.thread) return;
    const minutes = Math.round(((handoff.reminderSentAt ?? this.clock.now()) - handoff.openedAt) / 60_000);
    await this.client.chat.postMessage({
      channel: handoff.thread.channel,
      thread_ts: handoff.thread.ts,
      // Broadcast so the reminder shows in the channel, not only inside the thread.
      reply_broadcast: true,
      text: `<!here> ${handoff.customerName} is still waiting for staff (open about ${minutes} min). Press Claim on the card to take it.`,
    });
    await this.updateCard(handoff);
  }

  private remember(handoffId: string, details: HandoffDetails): void {
    if (this.details.size >= MAX_CACHED_DETAILS) {
      const oldest = this.details.keys().next().value;
      if (oldest !== undefined) this.details.delete(oldest);
    }
    this.details.set(handoffId, details);
  }
}
