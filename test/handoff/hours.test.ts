import { describe, expect, it } from 'vitest';
import { parseSupportHours, SupportHours, SupportHoursError } from '../../src/handoff/hours.js';

// 2026-01-05 is a Monday.
const MONDAY_UTC = (hour: number, minute = 0) => Date.UTC(2026, 0, 5, hour, minute);

describe('parseSupportHours', () => {
  it('parses day ranges and single days', () => {
    const windows = parseSupportHours('Mon-Fri 09:00-18:00; Sat 10:00-14:00');
    expect(windows).toHaveLength(2);
    expect([...windows[0]!.days].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(windows[0]!.startMinute).toBe(540);
    expect(windows[1]!.endMinute).toBe(840);
  });

  it('rejects invalid entries', () => {
    expect(() => parseSupportHours('Mon-Fri 9-18')).toThrow(SupportHoursError);
    expect(() => parseSupportHours('Funday 09:00-10:00')).toThrow(/invalid day/);
    expect(() => parseSupportHours('Mon 18:00-09:00')).toThrow(/ends before/);
  });

  it('treats an empty spec as always open', () => {
    expect(new SupportHours('').isOpen(MONDAY_UTC(3))).toBe(true);
  });
});

describe('SupportHours', () => {
  it('is open inside and closed outside', () => {
    const hours = new SupportHours('Mon-Fri 09:00-18:00', 'UTC');
    expect(hours.isOpen(MONDAY_UTC(9))).toBe(true);
    expect(hours.isOpen(MONDAY_UTC(17, 59))).toBe(true);
    expect(hours.isOpen(MONDAY_UTC(18))).toBe(false);
    expect(hours.isOpen(Date.UTC(2026, 0, 3, 12))).toBe(false);
  });

  it('finds the next opening across a weekend', () => {
    const hours = new SupportHours('Mon-Fri 09:00-18:00', 'UTC');
    const fridayEvening = Date.UTC(2026, 0, 2, 20);
    expect(hours.nextOpening(fridayEvening)).toBe(MONDAY_UTC(9));
  });

  it('applies the time zone', () => {
    // São Paulo is UTC-3 in January: 09:00 local is 12:00 UTC.
    const hours = new SupportHours('Mon-Fri 09:00-18:00', 'America/Sao_Paulo');
    expect(hours.isOpen(MONDAY_UTC(11))).toBe(false);
    expect(hours.isOpen(MONDAY_UTC(12))).toBe(true);
    expect(hours.nextOpening(MONDAY_UTC(5))).toBe(MONDAY_UTC(12));
  });

  it('rejects an unknown time zone', () => {
    expect(() => new SupportHours('Mon 09:00-10:00', 'Mars/Olympus')).toThrow(RangeError);
  });
});
