/**
 * Conversions between Slack message text and plain text. Slack escapes `&`, `<` and `>` as
 * HTML entities and writes links and mentions inside angle brackets.
 */

/** Escape the three characters Slack treats as markup, so customer text cannot ping or link. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Convert a staff message from Slack to plain text for the customer: `<url|label>` becomes
 * `label (url)`, `<url>` becomes `url`, `<@U1>` and `<#C1|name>` lose their brackets,
 * and entities are decoded last so that escaped brackets stay literal.
 */
export function slackToPlainText(text: string): string {
  const linked = text.replace(/<([^<>|]+)(?:\|([^<>]*))?>/g, (_whole, target: string, label?: string) => {
    if (target.startsWith('@') || target.startsWith('!')) return label ? `@${label}` : target;
    if (target.startsWith('#')) return label ? `#${label}` : target;
    return label && label !== target ? `${label} (${target})` : target;
  });
  return linked.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
