import { LRUCache } from 'lru-cache';
import type { Button } from '../../src/bus/types.js';
import { systemClock, type Clock } from '../../src/clock.js';
import { t } from '../../src/i18n.js';

/**
 * Render buttons as numbered text lines ("Reply 1 for Track my order"), for chats that show
 * no native buttons. The customer answers with the number; see {@link OfferedButtons}.
 */
export function renderNumberedButtons(buttons: readonly Button[], locale: string): string {
  return buttons
    .map((button, index) =>
      t(locale, 'whatsapp.replyOption', { number: index + 1, label: button.label }),
    )
    .join('\n');
}

/** Append the numbered button list to `text`, separated by a blank line. */
export function withNumberedButtons(text: string, buttons: readonly Button[], locale: string): string {
  const list = renderNumberedButtons(buttons, locale);
  return text.trim().length > 0 ? `${text}\n\n${list}` : list;
}

export interface OfferedButtonsOptions {
  /** How long a numbered reply still counts as a button press, in ms. Default 30 minutes. */
  ttlMs?: number;
  /** Most chats remembered at once; the least recently offered are dropped. Default 10000. */
  maxChats?: number;
  clock?: Clock;
}

interface Offer {
  buttons: readonly Button[];
  expiresAt: number;
}

/**
 * The buttons last offered in each chat, so that a reply of "2" can be turned into a press
 * of the second button. A newer offer replaces the older one; an offer expires after its TTL.
 */
export class OfferedButtons {
  private readonly offers: LRUCache<string, Offer>;
  private readonly ttlMs: number;
  private readonly clock: Clock;

  constructor(options: OfferedButtonsOptions = {}) {
    this.ttlMs = options.ttlMs ?? 30 * 60_000;
    this.clock = options.clock ?? systemClock;
    this.offers = new LRUCache({ max: options.maxChats ?? 10_000 });
  }

  remember(chatId: string, buttons: readonly Button[]): void {
    if (buttons.length === 0) return;
    this.offers.set(chatId, { buttons, expiresAt: this.clock.now() + this.ttlMs });
  }

  /**
   * Return the button a numbered reply picks and forget the offer, or undefined when `text`
   * is not a number within the chat's current offer.
   */
  take(chatId: string, text: string): Button | undefined {
    const match = /^\s*(\d{1,2})\s*[.)]?\s*$/.exec(text);
    if (!match) return undefined;
    const offer = this.offers.get(chatId);
    if (!offer) return undefined;
    if (offer.expiresAt <= this.clock.now()) {
      this.offers.delete(chatId);
      return undefined;
    }
    const button = offer.buttons[Number(match[1]) - 1];
    if (button) this.offers.delete(chatId);
    return button;
  }
}
