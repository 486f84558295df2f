import type { Attachment } from '../bus/types.js';

function describeOne(attachment: Attachment): string {
  const details: string[] = [];
  if (attachment.mimeType) details.push(attachment.mimeType);
  const meta = attachment.meta ?? {};
  for (const key of ['fileName', 'name', 'duration', 'latitude', 'longitude']) {
    const value = meta[key];
    if (typeof value === 'string' || typeof value === 'number') details.push(`${key}: ${value}`);
  }
  return details.length > 0 ? `${attachment.kind} (${details.join(', ')})` : attachment.kind;
}

/**
 * Describe the attachments a customer sent, for staff who cannot open platform files from
 * Slack: one line such as `_sent: image (image/png), file (application/pdf, fileName: a.pdf)_`.
 * Returns an empty string when there are none.
 */
export function describeAttachments(attachments: readonly Attachment[]): string {
  if (attachments.length === 0) return '';
  return `_sent: ${attachments.map(describeOne).join(', ')}_`;
}
