import { vi } from 'vitest';

import type { Attachment, InboundMessage } from '../../src/bus/types.js';
import { ManualClock } from '../../src/clock.js';
import { createLogger, type Logger } from '../../src/log.js';

let nextId = 1;

/** Build an inbound message from `senderId` on the `test` channel. */
export function inbound(senderId: string, text: string, attachments: Attachment[] = []): InboundMessage {
  nextId += 1;
  return {
    channel: 'test',
    platformMessageId: `m${nextId}`,
    chatId: senderId,
    sender: { id: senderId, locale: 'en' },
    text,
    attachments,
    receivedAt: new Date(),
  };
}

/**
 * Fake time: a ManualClock that also moves `Date`, because rate-limiter-flexible's memory store reads
 * `Date.now()`. Call `restore()` after the test.
 */
export function fakeTime(start = Date.UTC(2026, 0, 1, 3, 0, 0)): {
  clock: ManualClock;
  advance(ms: number): void;
  restore(): void;
} {
  vi.useFakeTimers({ toFake: ['Date'], now: start });
  const clock = new ManualClock(start);
  return {
    clock,
    advance(ms: number) {
      clock.advance(ms);
      vi.setSystemTime(clock.now());
    },
    restore() {
      vi.useRealTimers();
    },
  };
}

/** Create an info logger that parses each line it writes into `lines`. */
export function captureLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('info', {
    write(chunk: string) {
      lines.push(JSON.parse(chunk) as Record<string, unknown>);
    },
  });
  return { logger, lines };
}
