import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, slackToPlainText } from '../../adapters/slack/text.js';

describe('slack text conversion', () => {
  it('escapes markup in customer text', () => {
    expect(escapeMrkdwn('<!channel> a & b > c')).toBe('&lt;!channel&gt; a &amp; b &gt; c');
  });

  it.each([
    ['Fish &amp; chips &lt;3', 'Fish & chips <3'],
    ['see <https://example.com/help|the help page>', 'see the help page (https://example.com/help)'],
    ['see <https://example.com/help>', 'see https://example.com/help'],
    ['ask <@U123|bea>', 'ask @bea'],
    ['in <#C1|billing>', 'in #billing'],
    ['literal &lt;b&gt;', 'literal <b>'],
  ])('converts %s', (input, expected) => {
    expect(slackToPlainText(input)).toBe(expected);
  });
});
