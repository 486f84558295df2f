import { describe, expect, it } from 'vitest';
import { whatsappEnv } from '../../adapters/whatsapp/config.js';
import { catalogKeys } from '../../src/i18n.js';

describe('whatsappEnv', () => {
  it('applies defaults', () => {
    const env = whatsappEnv.parse({});
    expect(env.WHATSAPP_MODE).toBeUndefined();
    expect(env.WHATSAPP_SESSION_DIR).toBe('data/whatsapp-session');
    expect(env.WHATSAPP_CLOUD_API_URL).toBe('https://graph.facebook.com/v21.0');
    expect(env.WHATSAPP_MAX_TEXT_LENGTH).toBe(4096);
  });

  it('normalizes the pairing phone', () => {
    expect(whatsappEnv.parse({ WHATSAPP_PAIRING_PHONE: '+55 11 99999-0000' }).WHATSAPP_PAIRING_PHONE).toBe('5511999990000');
    expect(whatsappEnv.safeParse({ WHATSAPP_PAIRING_PHONE: '12ab' }).success).toBe(false);
  });

  it('requires credentials in cloud mode', () => {
    const result = whatsappEnv.safeParse({ WHATSAPP_MODE: 'cloud', WHATSAPP_CLOUD_TOKEN: 't' });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(['WHATSAPP_CLOUD_PHONE_ID', 'WHATSAPP_CLOUD_APP_SECRET', 'WHATSAPP_CLOUD_VERIFY_TOKEN']);
  });
});

describe('whatsapp locale texts', () => {
  it('exist in every locale', () => {
    const keys = (locale: 'en' | 'pt-BR' | 'es') => catalogKeys(locale).filter((key) => key.startsWith('whatsapp.'));
    expect(keys('en')).toEqual(['whatsapp.replyOption']);
    expect(keys('pt-BR')).toEqual(keys('en'));
    expect(keys('es')).toEqual(keys('en'));
  });
});
