import { describe, expect, it } from 'vitest';
import { escapeHtml, renderChunks, stripMarkup, toTelegramHtml } from '../../adapters/telegram/format.js';

describe('Telegram formatting', () => {
  it('escapes the three reserved characters', () => {
    expect(escapeHtml('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
  });

  it('renders bold and escapes inside it', () => {
    expect(toTelegramHtml('Total: **R$ 10 < 20 & up** now')).toBe('Total: <b>R$ 10 &lt; 20 &amp; up</b> now');
  });

  it('escapes HTML the core passed as text', () => {
    expect(toTelegramHtml('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('leaves lone asterisks as text', () => {
    expect(toTelegramHtml('2 * 3 = 6 and ** alone')).toBe('2 * 3 = 6 and ** alone');
  });

  it('strips markup for the plain fallback', () => {
    expect(stripMarkup('Your **order 42** shipped')).toBe('Your order 42 shipped');
  });

  it('keeps bold runs whole across chunks', () => {
    const text = `${'filler '.repeat(8)}**important bold words** tail`;
    const chunks = renderChunks(text, 60);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.html.match(/<b>/g)?.length ?? 0).toBe(chunk.html.match(/<\/b>/g)?.length ?? 0);
      expect(chunk.html).not.toContain('**');
    }
    expect(chunks.some((chunk) => chunk.html.includes('<b>important bold words</b>'))).toBe(true);
  });

  it('never cuts an escape sequence', () => {
    const chunks = renderChunks('&<>'.repeat(3000), 4096);
    for (const chunk of chunks) {
      expect(chunk.html).toMatch(/^(&amp;|&lt;|&gt;)+$/);
    }
  });
});
