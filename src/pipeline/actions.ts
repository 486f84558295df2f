import type { ChannelAction } from '../bus/types.js';
import { parseRatingAction } from '../handoff/service.js';
import type { Logger } from '../log.js';
import type { MonitorSink } from '../monitor/record.js';
import { conversationIdFor, customerIdFor } from '../store/sqlite-store.js';
import type { FeedbackStore } from '../store/sqlite/feedback-store.js';
import type { Store } from '../store/types.js';
import type { HandoffWiring } from './handoff-wiring.js';
import { FEEDBACK_DOWN, FEEDBACK_UP } from './pipeline.js';

export interface FeedbackActionsOptions {
  store: Store;
  monitor: MonitorSink;
  handoff: HandoffWiring;
  logger: Logger;
  feedbackStore?: FeedbackStore;
  now?: () => number;
}

/** Button presses from customers: thumbs under answers and the 1-5 rating after a handoff. */
export class FeedbackActions {
  constructor(private readonly options: FeedbackActionsOptions) {}

  async handle(action: ChannelAction): Promise<void> {
    const conversationId = conversationIdFor(action.channel, action.chatId);
    const customerId = customerIdFor(action.channel, action.sender.id);
    const rating = parseRatingAction(action.actionId);
    let feedback: { kind: 'thumb' | 'rating'; value: number } | undefined;
    if (action.actionId === FEEDBACK_UP) feedback = { kind: 'thumb', value: 1 };
    else if (action.actionId === FEEDBACK_DOWN) feedback = { kind: 'thumb', value: 0 };
    else if (rating !== undefined) feedback = { kind: 'rating', value: rating };

    if (!feedback) {
      this.options.logger.warn({ channel: action.channel, actionId: action.actionId }, 'unknown button action ignored');
      return;
    }
    this.options.monitor.recordFeedback({ conversationId, customerId, ...feedback });
    await this.options.feedbackStore?.add({
      conversationId,
      customerId,
      messageId: null,
      ...feedback,
      createdAt: this.options.now?.() ?? Date.now(),
    });
    this.options.logger.info({ conversationId, kind: feedback.kind, value: feedback.value }, 'feedback recorded');
  }
}
