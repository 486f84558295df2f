import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseChannelConfig } from '../../adapters/config.js';
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

  it('accepts every value in .env.example', () => {
    const env: Record<string, string> = {};
    for (const line of readFileSync('.env.example', 'utf8').split('\n')) {
      const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
      if (match) env[match[1]!] = match[2]!;
    }
    expect(Object.keys(env).length).toBeGreaterThan(90);
    const config = parseConfig(env) as Record<string, unknown>;
    const channels = parseChannelConfig(env) as Record<string, unknown>;
    // Every documented variable belongs to one of the schemas.
    const known = new Set([...Object.keys(config), ...Object.keys(channels)]);
    const unknown = Object.keys(env).filter((name) => env[name] !== '' && !known.has(name));
    expect(unknown).toEqual([]);
  });

  it('treats empty strings as unset', () => {
    expect(parseConfig({ PORT: '', OPENAI_API_KEY: '' }).OPENAI_API_KEY).toBeUndefined();
  });
});
