import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { SlackAdapter } from '../../adapters/slack/app.js';
import { slackEnv } from '../../adapters/slack/config.js';
import { handoffEnv, parseNotePrefixes } from '../../src/handoff/config.js';
import { catalogKeys } from '../../src/i18n.js';

describe('slack and handoff config', () => {
  it('parses Slack variables with defaults', () => {
    const env = slackEnv.parse({ SLACK_ADMIN_USERS: 'U1, U2,,' });
    expect(env.SLACK_ADMIN_USERS).toEqual(['U1', 'U2']);
    expect(env.SLACK_COMMAND).toBe('/frontdesk');
    expect(env.SLACK_API_URL).toBe('https://slack.com/api/');
    expect(() => slackEnv.parse({ SLACK_COMMAND: 'frontdesk' })).toThrow();
  });

  it('parses handoff variables with defaults', () => {
    const env = handoffEnv.parse({ HANDOFF_CLAIM_TIMEOUT_MS: '60000' });
    expect(env.HANDOFF_CLAIM_TIMEOUT_MS).toBe(60_000);
    expect(env.HANDOFF_EXPECTED_WAIT_MINUTES).toBe(10);
    expect(parseNotePrefixes(env.HANDOFF_NOTE_PREFIX)).toEqual(['!note', '//']);
  });

  it('ships every handoff text in every locale', () => {
    const handoffKeys = (locale: 'en' | 'pt-BR' | 'es') => catalogKeys(locale).filter((key) => key.startsWith('handoff.'));
    expect(handoffKeys('en').length).toBeGreaterThan(0);
    expect(handoffKeys('pt-BR')).toEqual(handoffKeys('en'));
    expect(handoffKeys('es')).toEqual(handoffKeys('en'));
  });

  it('requires a signing secret in HTTP mode', () => {
    expect(() => new SlackAdapter({ botToken: 'xoxb-1', staffChannel: 'C1' })).toThrow(/SLACK_SIGNING_SECRET/);
  });

  // Socket Mode needs a live Slack connection to start, so only construction is checked.
  it('builds Socket Mode without an HTTP route', async () => {
    const adapter = new SlackAdapter({ botToken: 'xoxb-1', appToken: 'xapp-1', staffChannel: 'C1' });
    const server = Fastify();
    adapter.mount(server);
    await server.ready();
    expect(server.hasRoute({ method: 'POST', url: '/slack/events' })).toBe(false);
    await server.close();
  });
});
