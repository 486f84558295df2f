import { t } from '../i18n.js';
import type { GuardDecision } from './types.js';

/** Localized wait such as "2 minutes", rounded up so the customer never writes too early. */
export function formatWait(locale: string, retryAfterMs: number): string {
  if (retryAfterMs < 60_000) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    return seconds === 1 ? t(locale, 'guard.wait.one_second') : t(locale, 'guard.wait.seconds', { n: seconds });
  }
  const minutes = Math.ceil(retryAfterMs / 60_000);
  return minutes === 1 ? t(locale, 'guard.wait.one_minute') : t(locale, 'guard.wait.minutes', { n: minutes });
}

/**
 * Text to send the customer for a decision, or undefined when nothing must be sent:
 * allowed messages go on to the agent, and limited or blocked ones get a notice only when
 * `notify` is true.
 */
export function noticeText(locale: string, decision: GuardDecision): string | undefined {
  switch (decision.action) {
    case 'reject_input':
      return t(locale, decision.replyKey, decision.replyVars);
    case 'limited':
      return decision.notify ? t(locale, 'guard.limited', { wait: formatWait(locale, decision.retryAfterMs) }) : undefined;
    case 'blocked':
      return decision.notify ? t(locale, 'guard.blocked') : undefined;
    case 'allow':
      return undefined;
  }
}
