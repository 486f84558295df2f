import { describe, expect, it } from 'vitest';

import type { AttachmentKind } from '../../src/bus/types.js';
import { t, SUPPORTED_LOCALES, catalogKeys } from '../../src/i18n.js';
import { checkInput, cleanText } from '../../src/guard/input.js';
import { noticeText, formatWait } from '../../src/guard/notice.js';
import type { GuardDecision, InputRejectReason } from '../../src/guard/types.js';

const KINDS: AttachmentKind[] = ['sticker', 'voice', 'audio', 'image', 'video', 'file', 'location', 'contact', 'other'];

function rejection(text: string, kinds: AttachmentKind[] = [], maxChars?: number) {
  const result = checkInput({ text, attachments: kinds.map((kind) => ({ kind })) }, { maxChars });
  if (result.ok) throw new Error(`expected a rejection for ${JSON.stringify(text)}`);
  return result;
}

describe('checkInput', () => {
  it('accepts plain text and trims it', () => {
    expect(checkInput({ text: '  where is my order?\n', attachments: [] })).toEqual({ ok: true, text: 'where is my order?' });
  });

  it('rejects empty and whitespace-only text', () => {
    expect(rejection('').reason).toBe('empty');
    expect(rejection(' \n\t  ').reason).toBe('empty');
    expect(rejection('\u3000').reason).toBe('empty');
  });

  it('rejects text over the maximum in code points', () => {
    const emoji = '😀';
    expect(checkInput({ text: emoji.repeat(4000), attachments: [] }).ok).toBe(true);
    const tooLong = rejection('a'.repeat(4001));
    expect(tooLong.reason).toBe('too_long');
    expect(tooLong.replyVars).toEqual({ max: 4000 });
    expect(rejection('abcdef', [], 5).replyVars).toEqual({ max: 5 });
  });

  it('strips a few control characters', () => {
    expect(checkInput({ text: 'hello\u0000 there\u0007 friend, how are you?', attachments: [] })).toEqual({
      ok: true,
      text: 'hello there friend, how are you?',
    });
  });

  it('turns vertical tab, form feed and NEL into line breaks', () => {
    expect(cleanText('one\u000Btwo\u000Cthree\u0085four')).toEqual({ text: 'one\ntwo\nthree\nfour', controlChars: 3 });
  });

  it('keeps tab, line feed and carriage return', () => {
    expect(cleanText('a\tb\r\nc')).toEqual({ text: 'a\tb\r\nc', controlChars: 0 });
  });

  it('rejects text made largely of control characters', () => {
    expect(rejection('ab\u0001\u0002\u0003\u0004cd').reason).toBe('control_chars');
    expect(rejection('\u0000').reason).toBe('control_chars');
    expect(rejection('\u009B\u009C').reason).toBe('control_chars');
  });

  it.each(KINDS)('rejects a %s attachment even with a caption', (kind) => {
    const result = rejection('look at this', [kind]);
    expect(result.reason).toBe(`unsupported_${kind}`);
    expect(result.replyKey).toBe(`guard.input.${kind}`);
  });
});

describe('input replies', () => {
  const reasons: { reason: InputRejectReason; replyKey: string }[] = [
    { reason: 'empty', replyKey: 'guard.input.empty' },
    { reason: 'too_long', replyKey: 'guard.input.too_long' },
    { reason: 'control_chars', replyKey: 'guard.input.control_chars' },
    ...KINDS.map((kind) => ({ reason: `unsupported_${kind}` as InputRejectReason, replyKey: `guard.input.${kind}` })),
  ];

  it.each(SUPPORTED_LOCALES)('exist for every reason in %s', (locale) => {
    for (const { reason, replyKey } of reasons) {
      const decision: GuardDecision = { action: 'reject_input', sender: 'test:1', reason, replyKey, replyVars: { max: 4000 } };
      const text = noticeText(locale, decision);
      expect(text, `${locale} ${reason}`).toBeDefined();
      expect(text, `${locale} ${reason}`).not.toContain('guard.');
      expect(text, `${locale} ${reason}`).not.toMatch(/\{\w+\}/);
    }
  });

  it('differ between locales', () => {
    for (const { replyKey } of reasons) {
      const texts = new Set(SUPPORTED_LOCALES.map((locale) => t(locale, replyKey, { max: 10 })));
      expect(texts.size, replyKey).toBe(3);
    }
  });

  it('tell a sticker sender that only text is read', () => {
    expect(t('en', 'guard.input.sticker')).toContain('I can only read text messages for now');
    expect(t('pt-BR', 'guard.input.sticker')).toContain('só consigo ler mensagens de texto');
    expect(t('es', 'guard.input.sticker')).toContain('solo puedo leer mensajes de texto');
  });

  it('fill the maximum into the too-long reply', () => {
    expect(t('en', 'guard.input.too_long', { max: 4000 })).toContain('4000 characters');
    expect(t('pt-BR', 'guard.input.too_long', { max: 4000 })).toContain('4000 caracteres');
    expect(t('es', 'guard.input.too_long', { max: 4000 })).toContain('4000 caracteres');
  });

  it('have the same guard keys in every locale', () => {
    const guardKeys = (locale: (typeof SUPPORTED_LOCALES)[number]) => catalogKeys(locale).filter((key) => key.startsWith('guard.'));
    expect(guardKeys('pt-BR')).toEqual(guardKeys('en'));
    expect(guardKeys('es')).toEqual(guardKeys('en'));
    expect(guardKeys('en').length).toBeGreaterThan(10);
  });
});

describe('notices', () => {
  const limited = (notify: boolean, retryAfterMs: number): GuardDecision => ({
    action: 'limited',
    sender: 'test:1',
    window: 'minute',
    retryAfterMs,
    notify,
    risk: 0,
  });

  it('format the wait in each locale', () => {
    expect(formatWait('en', 500)).toBe('a second');
    expect(formatWait('en', 42_100)).toBe('43 seconds');
    expect(formatWait('en', 60_000)).toBe('a minute');
    expect(formatWait('pt-BR', 150_000)).toBe('3 minutos');
    expect(formatWait('es', 30_000)).toBe('30 segundos');
  });

  it('send a limit notice only when notify is set', () => {
    expect(noticeText('en', limited(true, 30_000))).toBe(
      "You're sending messages faster than I can answer. Please wait 30 seconds and then write again.",
    );
    expect(noticeText('es', limited(true, 120_000))).toContain('2 minutos');
    expect(noticeText('en', limited(false, 30_000))).toBeUndefined();
  });

  it('send a block notice only when notify is set', () => {
    expect(noticeText('pt-BR', { action: 'blocked', sender: 'test:1', notify: true })).toContain('encerrada');
    expect(noticeText('en', { action: 'blocked', sender: 'test:1', notify: false })).toBeUndefined();
  });

  it('send nothing for an allowed message', () => {
    expect(noticeText('en', { action: 'allow', sender: 'test:1', normalizedText: 'hi', risk: 0 })).toBeUndefined();
  });
});
