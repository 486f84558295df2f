import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { HandoffError } from '../../src/handoff/errors.js';
import { SupportHours } from '../../src/handoff/hours.js';
import { InMemoryHandoffRepository } from '../../src/handoff/repository.js';
import { HandoffService, parseRatingAction, RATING_BUTTONS } from '../../src/handoff/service.js';
import type { EscalateRequest } from '../../src/handoff/types.js';
import { MemoryStates, RecordingConsole, RecordingSender } from './ports.js';

// 2026-01-05 is a Monday.
const MONDAY_10 = Date.UTC(2026, 0, 5, 10);
const SATURDAY_10 = Date.UTC(2026, 0, 3, 10);
const MINUTE = 60_000;

function request(overrides: Partial<EscalateRequest> = {}): EscalateRequest {
  return {
    conversation: { id: 'conv-1', channel: 'telegram', chatId: '42', customerName: 'Ana' },
    reason: 'customer_requested',
    summary: 'Asks about a refund',
    lastMessages: [{ role: 'customer', text: 'where is my refund' }],
    locale: 'en',
    ...overrides,
  };
}

describe('HandoffService', () => {
  let clock: ManualClock;
  let sender: RecordingSender;
  let states: MemoryStates;
  let staffConsole: RecordingConsole;
  let service: HandoffService;

  beforeEach(() => {
    clock = new ManualClock(MONDAY_10);
    sender = new RecordingSender();
    states = new MemoryStates();
    staffConsole = new RecordingConsole();
    service = new HandoffService({
      repository: new InMemoryHandoffRepository(),
      sender,
      states,
      console: staffConsole,
      claimTimeoutMs: 5 * MINUTE,
      expectedWaitMinutes: 7,
      supportHours: new SupportHours('Mon-Fri 09:00-18:00', 'UTC'),
      clock,
    });
  });

  it('escalate notifies with the expected wait', async () => {
    const handoff = await service.escalate(request({ locale: 'pt-BR' }));
    expect(handoff.state).toBe('waiting');
    expect(states.states.get('conv-1')).toBe('waiting');
    expect(staffConsole.cards).toHaveLength(1);
    expect(staffConsole.cards[0]!.details.summary).toBe('Asks about a refund');
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]!.kind).toBe('handoff');
    expect(sender.sent[0]!.text).toContain('7 minutos');
  });

  it('escalate outside hours says when staff return', async () => {
    clock.set(SATURDAY_10);
    await service.escalate(request());
    expect(states.states.get('conv-1')).toBe('waiting');
    expect(sender.sent[0]!.text).toContain('will be back');
    expect(sender.sent[0]!.text).toContain('Monday');
    expect(sender.sent[0]!.text).toContain('09:00');
  });

  it('escalate twice keeps one handoff', async () => {
    const first = await service.escalate(request());
    const second = await service.escalate(request());
    expect(second.id).toBe(first.id);
    expect(staffConsole.cards).toHaveLength(1);
    expect(sender.sent[1]!.text).toContain('already in the queue');
  });

  it('relays customer messages and describes attachments', async () => {
    await service.escalate(request());
    const relayed = await service.relayCustomerMessage('conv-1', {
      text: 'here is the receipt',
      sender: { id: '42', displayName: 'Ana P.' },
      attachments: [{ kind: 'image', mimeType: 'image/jpeg', meta: { fileName: 'receipt.jpg' } }],
    });
    expect(relayed).toBe(true);
    expect(staffConsole.threadPosts[0]!.text).toBe(
      '*Ana P.:* here is the receipt\n_sent: image (image/jpeg, fileName: receipt.jpg)_',
    );
    expect(await service.relayCustomerMessage('conv-other', { text: 'hi', sender: { id: '1' }, attachments: [] })).toBe(false);
  });

  it('staff reply claims, relays, and keeps notes', async () => {
    const handoff = await service.escalate(request());
    const thread = { channel: 'CSTAFF', ts: '1000.1' };
    const note = await service.onStaffReply(thread, { id: 'U1' }, '!note checking the ledger');
    expect(note.status).toBe('note');
    const slashNote = await service.onStaffReply(thread, { id: 'U1' }, '// internal');
    expect(slashNote.status).toBe('note');
    expect(sender.sent.filter((m) => m.kind === 'relay')).toHaveLength(0);

    const reply = await service.onStaffReply(thread, { id: 'U1', name: 'Bea' }, 'Hi Ana, looking now');
    expect(reply).toEqual({ status: 'relayed', handoffId: handoff.id });
    const relay = sender.sent.find((m) => m.kind === 'relay');
    expect(relay?.text).toBe('Hi Ana, looking now');
    expect(relay?.chatId).toBe('42');
    expect(states.states.get('conv-1')).toBe('staff');
    expect(staffConsole.updates[0]!.claimedBy).toEqual({ id: 'U1', name: 'Bea' });
  });

  it('claim by a second user keeps the first', async () => {
    const handoff = await service.escalate(request());
    await service.claim(handoff.id, { id: 'U1' });
    const second = await service.claim(handoff.id, { id: 'U2' });
    expect(second.status).toBe('already_claimed');
    expect(second.handoff.claimedBy?.id).toBe('U1');
  });

  it('resolve returns to bot and asks for a rating', async () => {
    const handoff = await service.escalate(request({ locale: 'es' }));
    await service.resolve(handoff.id, { id: 'U1' });
    expect(states.states.get('conv-1')).toBe('bot');
    const rating = sender.sent.at(-1)!;
    expect(rating.kind).toBe('rating');
    expect(rating.text).toContain('1 (mala) a 5 (excelente)');
    expect(rating.buttons?.map((b) => b.id)).toEqual(['rate:1', 'rate:2', 'rate:3', 'rate:4', 'rate:5']);
    expect(RATING_BUTTONS).toHaveLength(5);
    await expect(service.claim(handoff.id, { id: 'U2' })).rejects.toBeInstanceOf(HandoffError);
    expect((await service.onStaffReply({ channel: 'CSTAFF', ts: '1000.1' }, { id: 'U1' }, 'late')).status).toBe('closed');
  });

  it('tick reminds once after the timeout', async () => {
    await service.escalate(request());
    clock.advance(4 * MINUTE);
    await service.tick();
    expect(staffConsole.reminders).toHaveLength(0);
    clock.advance(MINUTE);
    await service.tick();
    await service.tick();
    expect(staffConsole.reminders).toHaveLength(1);
    expect(sender.sent.filter((m) => m.text.includes('Sorry for the wait'))).toHaveLength(1);
  });

  it('tick counts from the next opening', async () => {
    clock.set(SATURDAY_10);
    await service.escalate(request());
    clock.set(Date.UTC(2026, 0, 5, 9, 4));
    await service.tick();
    expect(staffConsole.reminders).toHaveLength(0);
    clock.set(Date.UTC(2026, 0, 5, 9, 5));
    await service.tick();
    expect(staffConsole.reminders).toHaveLength(1);
  });

  it('tick posts a card that failed before', async () => {
    staffConsole.failPosts = true;
    await service.escalate(request());
    expect(sender.sent).toHaveLength(1);
    staffConsole.failPosts = false;
    await service.tick();
    expect(staffConsole.cards).toHaveLength(1);
    const [open] = await service.listOpen();
    expect(open?.thread).toEqual({ channel: 'CSTAFF', ts: '1000.1' });
  });

  it('claim of an unknown id raises not_found', async () => {
    await expect(service.claim('missing', { id: 'U1' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('parseRatingAction', () => {
  it('reads rate buttons only', () => {
    expect(parseRatingAction('rate:1')).toBe(1);
    expect(parseRatingAction('rate:5')).toBe(5);
    expect(parseRatingAction('rate:6')).toBeUndefined();
    expect(parseRatingAction('claim')).toBeUndefined();
  });
});
