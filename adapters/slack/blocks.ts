/** Block Kit layouts of the handoff card. Staff-facing, so in English. */
import type { types } from '@slack/bolt';
import type { Handoff, HandoffDetails, HandoffReason } from '../../src/handoff/types.js';
import { escapeMrkdwn } from './text.js';

type KnownBlock = types.KnownBlock;

/** `action_id`s of the card buttons; the button `value` is the handoff id. */
export const CLAIM_ACTION = 'handoff_claim';
export const RESOLVE_ACTION = 'handoff_resolve';

const REASON_LABELS: Record<HandoffReason, string> = {
  customer_requested: 'customer asked for a person',
  no_answer: 'no answer was found for the question',
  frustrated: 'customer seems frustrated',
  model_requested: 'the assistant asked for help',
  validator_rejected_repeatedly: 'answers kept failing validation',
  all_providers_failed: 'all model providers failed',
  admin_forced: 'an admin handed it over',
};

/** Maximum characters of one section text here; Block Kit allows 3000, longer texts end in an ellipsis. */
const SECTION_LIMIT = 2900;

function clip(text: string, limit = SECTION_LIMIT): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

function stateLine(handoff: Handoff): string {
  if (handoff.state === 'resolved') {
    return `:white_check_mark: Resolved by <@${handoff.resolvedBy?.id ?? 'unknown'}>`;
  }
  if (handoff.state === 'staff') return `:raising_hand: Claimed by <@${handoff.claimedBy?.id ?? 'unknown'}>`;
  return handoff.reminderSentAt !== undefined ? ':rotating_light: Still waiting for staff' : ':hourglass: Waiting for staff';
}

/** One-line summary used as the notification text of the card. */
export function cardFallbackText(handoff: Handoff): string {
  return `Handoff: ${handoff.customerName} on ${handoff.channel} (${REASON_LABELS[handoff.reason]})`;
}

/** Build the card: customer, channel, reason, summary, last messages, state and buttons. */
export function handoffCardBlocks(handoff: Handoff, details?: HandoffDetails): KnownBlock[] {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`Handoff: ${handoff.customerName}`, 150) } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Customer*\n${escapeMrkdwn(handoff.customerName)}` },
        { type: 'mrkdwn', text: `*Channel*\n${handoff.channel}` },
        { type: 'mrkdwn', text: `*Reason*\n${REASON_LABELS[handoff.reason]}` },
        { type: 'mrkdwn', text: `*Conversation*\n\`${handoff.conversationId}\`` },
      ],
    },
  ];
  if (details?.summary) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`*Summary*\n${escapeMrkdwn(details.summary)}`) } });
  }
  if (details && details.lastMessages.length > 0) {
    const lines = details.lastMessages.map((line) => `*${line.role}:* ${escapeMrkdwn(line.text)}`);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`*Last messages*\n${lines.join('\n')}`) } });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: stateLine(handoff) }] });
  if (handoff.state !== 'resolved') blocks.push(cardButtons(handoff));
  return blocks;
}

function cardButtons(handoff: Handoff): KnownBlock {
  const resolve = {
    type: 'button' as const,
    action_id: RESOLVE_ACTION,
    value: handoff.id,
    style: 'danger' as const,
    text: { type: 'plain_text' as const, text: 'Resolve' },
  };
  if (handoff.state === 'staff') return { type: 'actions', elements: [resolve] };
  return {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: CLAIM_ACTION,
        value: handoff.id,
        style: 'primary',
        text: { type: 'plain_text', text: 'Claim' },
      },
      resolve,
    ],
  };
}
