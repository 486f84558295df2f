import { z } from 'zod';

/** Environment variables of the handoff service, merged into the app config by src/config.ts. */
export const handoffEnv = z.object({
  /** Milliseconds a handoff may stay unclaimed (within support hours) before a reminder. */
  HANDOFF_CLAIM_TIMEOUT_MS: z.coerce.number().int().positive().default(5 * 60 * 1000),
  /** `Mon-Fri 09:00-18:00; Sat 10:00-14:00`; empty means staff are always available. */
  SUPPORT_HOURS: z.string().default(''),
  /** IANA time zone the support hours are written in. */
  SUPPORT_TIMEZONE: z.string().default('UTC'),
  /** Minutes of expected wait quoted to the customer within support hours. */
  HANDOFF_EXPECTED_WAIT_MINUTES: z.coerce.number().int().positive().default(10),
  /** Comma-separated prefixes that mark a staff thread reply as an internal note. */
  HANDOFF_NOTE_PREFIX: z.string().default('!note,//'),
});

export type HandoffEnv = z.infer<typeof handoffEnv>;

/** Split `HANDOFF_NOTE_PREFIX` into its prefixes, dropping empty entries. */
export function parseNotePrefixes(value: string): string[] {
  return value
    .split(',')
    .map((prefix) => prefix.trim())
    .filter((prefix) => prefix.length > 0);
}
