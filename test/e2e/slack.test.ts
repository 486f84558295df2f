/**
 * The Slack staff console end to end: an HTTP-channel customer, the core with the real Bolt
 * app mounted on the same server, and the fake Slack Web API.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RESOLVE_ACTION } from '../../adapters/slack/blocks.js';
import { FakeSlackApi, postToBolt, type BoltDelivery } from '../fakes/slack-api.js';
import { startFakeLlm, type FakeLlm } from '../fakes/llm-server.js';
import { post } from '../helpers/core.js';
import { fakeLlmEnv, listMessages, requestLogRows, startAppServer, waitUntil, type AppServer } from '../helpers/e2e.js';
import { buttonPress, messageEvent, slashCommand, STAFF_CHANNEL } from '../slack/harness.js';

const SIGNING_SECRET = 'e2e-signing-secret';
let server: AppServer | undefined;
let slack: FakeSlackApi | undefined;
let fake: FakeLlm | undefined;

afterEach(async () => {
  await server?.close();
  await slack?.stop();
  await fake?.close();
  server = undefined;
  slack = undefined;
  fake = undefined;
});

async function start(env: Record<string, string> = {}): Promise<{ server: AppServer; slack: FakeSlackApi }> {
  slack = new FakeSlackApi({ users: { USTAFF: { name: 'bea', displayName: 'Bea' }, UADMIN: { name: 'root' } } });
  await slack.start();
  server = await startAppServer({
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    SLACK_STAFF_CHANNEL: STAFF_CHANNEL,
    SLACK_ADMIN_USERS: 'UADMIN',
    ...env,
  });
  return { server, slack };
}

function toBolt(delivery: BoltDelivery): Promise<Response> {
  return postToBolt(`${server!.url}/slack/events`, delivery, { signingSecret: SIGNING_SECRET });
}

async function runCommand(userId: string, text: string): Promise<string> {
  const response = await toBolt(slashCommand(userId, text, `${slack!.origin}/response/1`));
  expect(response.status).toBe(200);
  return ((await response.json()) as { text: string }).text;
}

describe('slack staff console', () => {
  it('relays a handoff both ways and collects a rating', async () => {
    const { server, slack } = await start();
    const url = `${server.url}/api/messages`;

    const handoffRequest = await post(url, { userId: 'jade', text: 'I want to talk to a human' });
    expect(handoffRequest.body.outcome).toBe('handoff');
    expect(handoffRequest.body.replies[0].kind).toBe('handoff');
    const [card] = slack.callsOf('chat.postMessage');
    expect(card!.params.channel).toBe(STAFF_CHANNEL);
    expect(JSON.stringify(card!.params.blocks)).toContain('http:jade');
    const [handoff] = await server.core.handoff.service!.listOpen();
    const cardTs = handoff!.thread!.ts;

    // While the handoff is open, the customer's messages go into the card's thread.
    const followUp = await post(url, { userId: 'jade', text: 'My order arrived broken.' });
    expect(followUp.body.outcome).toBe('relay');
    const relayed = slack.callsOf('chat.postMessage')[1]!;
    expect(relayed.params.thread_ts).toBe(cardTs);
    expect(String(relayed.params.text)).toContain('My order arrived broken.');

    const reply = await toBolt(messageEvent({ user: 'USTAFF', text: 'Sorry Jade, a new one is on its way.', ts: '1767600001.000200', thread_ts: cardTs }));
    expect(reply.status).toBe(200);
    await waitUntil(async () => (await listMessages(server.url, 'http:jade')).messages.some((m) => m.kind === 'relay'), 'the staff reply');
    const afterReply = await listMessages(server.url, 'http:jade');
    const staffLine = afterReply.messages.find((m) => m.kind === 'relay')!;
    expect(staffLine.text).toBe('Sorry Jade, a new one is on its way.');
    expect(staffLine.author).toMatch(/^staff/);
    expect(afterReply.state).toBe('staff');

    const resolved = await toBolt(buttonPress(RESOLVE_ACTION, handoff!.id, 'USTAFF', cardTs));
    expect(resolved.status).toBe(200);
    await waitUntil(async () => (await listMessages(server.url, 'http:jade')).messages.some((m) => m.kind === 'rating'), 'the rating prompt');
    const afterResolve = await listMessages(server.url, 'http:jade');
    expect(afterResolve.state).toBe('bot');
    expect(afterResolve.messages.find((m) => m.kind === 'rating')!.text).toMatch(/rate/i);

    const rating = await post(`${server.url}/api/feedback`, { userId: 'jade', value: 5 });
    expect(rating.status).toBe(202);
    const stored = await server.core.ops!.feedback.listSince(0);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.kind).toBe('rating');
    expect(stored[0]!.value).toBe(5);
    expect(stored[0]!.conversationId).toBe('http:jade');

    // Back in bot state, the next question is answered by the bot again.
    const after = await post(url, { userId: 'jade', text: 'how much is shipping?' });
    expect(after.body.outcome).toBe('answer');
  });
});

describe('admin commands over slack', () => {
  it('shows status to an admin only', async () => {
    fake = await startFakeLlm();
    await start(fakeLlmEnv(fake));

    const status = await runCommand('UADMIN', 'status');
    expect(status).toContain('openai');
    expect(status).toContain('anthropic');
    expect(status).toContain('Queue depth');

    const denied = await runCommand('USTAFF', 'status');
    expect(denied).not.toContain('Queue depth');
    expect(denied).toMatch(/not allowed|admin/i);
  });

  it('pause sends answers to the rules engine', async () => {
    fake = await startFakeLlm();
    const { server } = await start(fakeLlmEnv(fake));

    const paused = await runCommand('UADMIN', 'pause');
    expect(paused).toMatch(/maintenance mode on/i);
    const response = await post(`${server.url}/api/messages`, { userId: 'kai', text: 'how much is shipping?' });

    expect(response.body.replies[0].text).toContain('$4.99');
    expect(fake.requests).toHaveLength(0);
    const [row] = requestLogRows(server.core);
    expect(row!.fallbackLevel).toBe(2);
    expect(row!.provider).toBe('rules');
  });
});
