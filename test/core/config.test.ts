import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';

describe('parseConfig', () => {
  it('uses the documented defaults with an empty environment', () => {
    const config = parseConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.DATABASE_URL).toBe('file:data/frontdesk.db');
    expect(config.MAX_MESSAGE_CHARS).toBe(4000);
  });

  it('names the variable and the expectation for an invalid value', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT: .*number.*\(got "eighty"\)/);
    expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: expected file:PATH or postgres/);
    expect(() => parseConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('never echoes a secret value', () => {
    let message = '';
    try {
      parseConfig({ REDIS_URL: 'not a url with secret@host' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('REDIS_URL');
    expect(message).not.toContain('secret@host');
  });

  it('treats empty strings as unset', () => {
    expect(parseConfig({ PORT: '', OPENAI_API_KEY: '' }).OPENAI_API_KEY).toBeUndefined();
  });
});
