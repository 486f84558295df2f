/**
 * Support hours such as `Mon-Fri 09:00-18:00; Sat 10:00-14:00`, evaluated in one IANA time
 * zone. An empty specification means staff are always available.
 */

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

/** One opening window: the days it applies to (0 = Sunday) and minutes since local midnight. */
export interface SupportWindow {
  days: Set<number>;
  startMinute: number;
  endMinute: number;
}

export class SupportHoursError extends Error {
  override readonly name = 'SupportHoursError';
  readonly code = 'invalid_support_hours';
}

function parseDay(name: string, spec: string): number {
  const index = DAY_NAMES.indexOf(name.toLowerCase().slice(0, 3) as (typeof DAY_NAMES)[number]);
  if (index < 0) throw new SupportHoursError(`invalid day "${name}" in SUPPORT_HOURS "${spec}"; use Mon..Sun`);
  return index;
}

function parseTime(value: string, spec: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(value);
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || hours > 24 || minutes > 59 || (hours === 24 && minutes > 0)) {
    throw new SupportHoursError(`invalid time "${value}" in SUPPORT_HOURS "${spec}"; use HH:MM`);
  }
  return hours * 60 + minutes;
}

function parseWindow(part: string, spec: string): SupportWindow {
  const match = /^([A-Za-z]{3,})(?:\s*-\s*([A-Za-z]{3,}))?\s+(\S+)\s*-\s*(\S+)$/.exec(part.trim());
  if (!match) throw new SupportHoursError(`invalid SUPPORT_HOURS entry "${part}"; expected "Mon-Fri 09:00-18:00"`);
  const first = parseDay(match[1]!, spec);
  const last = match[2] ? parseDay(match[2], spec) : first;
  const days = new Set<number>();
  // Ranges may wrap around the week, as in `Sat-Mon`.
  for (let day = first; ; day = (day + 1) % 7) {
    days.add(day);
    if (day === last) break;
  }
  const startMinute = parseTime(match[3]!, spec);
  const endMinute = parseTime(match[4]!, spec);
  if (endMinute <= startMinute) {
    throw new SupportHoursError(`SUPPORT_HOURS entry "${part}" ends before it starts`);
  }
  return { days, startMinute, endMinute };
}

/**
 * Parse a support-hours specification: entries separated by `;` or `,`, each a day or day
 * range and a time range. Throws `SupportHoursError` on invalid input.
 */
export function parseSupportHours(spec: string): SupportWindow[] {
  if (!spec.trim()) return [];
  return spec
    .split(/[;,]/)
    .filter((part) => part.trim())
    .map((part) => parseWindow(part, spec));
}

/** Support hours in a time zone: whether staff are available now and when they return. */
export class SupportHours {
  private readonly windows: SupportWindow[];
  private readonly formatter: Intl.DateTimeFormat;

  constructor(spec: string, readonly timeZone = 'UTC') {
    this.windows = parseSupportHours(spec);
    // Throws a RangeError for an unknown zone, so a typo fails at start-up.
    this.formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
  }

  /** True when no hours are configured or `now` falls inside a window. */
  isOpen(now: number): boolean {
    if (this.windows.length === 0) return true;
    const wall = this.wallClock(now);
    const day = new Date(wall).getUTCDay();
    const minute = Math.floor((wall % DAY_MS) / MINUTE_MS);
    return this.windows.some((w) => w.days.has(day) && minute >= w.startMinute && minute < w.endMinute);
  }

  /** Return the next instant (epoch ms) at which a window opens, or `now` when already open. */
  nextOpening(now: number): number {
    if (this.isOpen(now)) return now;
    const wall = this.wallClock(now);
    const midnight = Math.floor(wall / DAY_MS) * DAY_MS;
    let best: number | undefined;
    for (let offset = 0; offset <= 7; offset++) {
      const dayStart = midnight + offset * DAY_MS;
      const weekday = new Date(dayStart).getUTCDay();
      for (const window of this.windows) {
        const opening = dayStart + window.startMinute * MINUTE_MS;
        if (window.days.has(weekday) && opening > wall && (best === undefined || opening < best)) {
          best = opening;
        }
      }
      if (best !== undefined) break;
    }
    return this.toInstant(best ?? wall);
  }

  /** Local wall-clock time in the zone, expressed as if it were UTC epoch milliseconds. */
  private wallClock(instant: number): number {
    const parts = Object.fromEntries(
      this.formatter.formatToParts(new Date(instant)).map((part) => [part.type, part.value]),
    );
    const wall = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
    );
    return wall + (instant % MINUTE_MS);
  }

  private toInstant(wall: number): number {
    // The zone offset can differ between now and the opening (daylight saving), so it is
    // measured once at a first guess and again at the corrected instant.
    const guess = wall - (this.wallClock(wall) - wall);
    return wall - (this.wallClock(guess) - guess);
  }
}
