/** A Fastify server with the real Bolt app mounted, wired to in-memory handoff ports and the fake API. */
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { SlackAdapter } from '../../adapters/slack/app.js';
import { AdminCommands } from '../../src/admin/commands.js';
import { ManualClock } from '../../src/clock.js';
import { InMemoryHandoffRepository } from '../../src/handoff/repository.js';
import { HandoffService } from '../../src/handoff/service.js';
import { createLogger, type Logger } from '../../src/log.js';
import { FakeAdminBackend } from '../admin/fake-backend.js';
import { FakeSlackApi, postToBolt, type BoltDelivery, type PostToBoltOptions } from '../fakes/slack-api.js';
import { MemoryStates, RecordingSender } from '../handoff/ports.js';
import { LogSink } from '../admin/log-sink.js';

export const SIGNING_SECRET = 'test-signing-secret';
export const STAFF_CHANNEL = 'CSTAFF';
export const MONDAY_10 = Date.UTC(2026, 0, 5, 10);

export interface Harness {
  api: FakeSlackApi;
  server: FastifyInstance;
  adapter: SlackAdapter;
  handoffs: HandoffService;
  sender: RecordingSender;
  states: MemoryStates;
  backend: FakeAdminBackend;
  clock: ManualClock;
  logs: LogSink;
  url: string;
  post(delivery: BoltDelivery, options?: Partial<PostToBoltOptions>): Promise<Response>;
  close(): Promise<void>;
}

export async function startHarness(options: { maxRetries?: number } = {}): Promise<Harness> {
  const api = new FakeSlackApi({
    users: { USTAFF: { name: 'bea', displayName: 'Bea' }, UADMIN: { name: 'root', displayName: 'Root' } },
  });
  await api.start();
  // Signatures are checked against this clock, so it starts at the real time.
  const clock = new ManualClock(Date.now());
  const logs = new LogSink();
  const logger: Logger = createLogger('info', logs);
  const adapter = new SlackAdapter({
    botToken: api.token,
    signingSecret: SIGNING_SECRET,
    apiUrl: api.apiUrl,
    staffChannel: STAFF_CHANNEL,
    adminUsers: ['UADMIN'],
    processBeforeResponse: true,
    maxRetries: options.maxRetries ?? 2,
    clock,
    logger,
  });
  const sender = new RecordingSender();
  const states = new MemoryStates();
  const handoffs = new HandoffService({
    repository: new InMemoryHandoffRepository(),
    sender,
    states,
    console: adapter.console,
    claimTimeoutMs: 5 * 60_000,
    expectedWaitMinutes: 10,
    clock,
    logger,
  });
  const backend = new FakeAdminBackend();
  const admin = new AdminCommands({ backend, admins: { slack: ['UADMIN'] }, logger, clock });
  adapter.connect({ handoffs, admin });

  const server = Fastify();
  adapter.mount(server);
  await server.listen({ port: 0, host: '127.0.0.1' });
  await adapter.start();
  const address = server.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${address.port}/slack/events`;

  return {
    api,
    server,
    adapter,
    handoffs,
    sender,
    states,
    backend,
    clock,
    logs,
    url,
    post: (delivery, postOptions = {}) =>
      postToBolt(url, delivery, {
        signingSecret: SIGNING_SECRET,
        timestampSec: Math.floor(clock.now() / 1000),
        ...postOptions,
      }),
    close: async () => {
      await adapter.stop();
      await server.close();
      await api.stop();
    },
  };
}

let eventCounter = 0;

/** Build an Events API envelope for a message event in the staff channel. */
export function messageEvent(fields: Record<string, unknown>, eventId = `Ev${++eventCounter}`): BoltDelivery {
  return {
    kind: 'event',
    payload: {
      token: 'legacy',
      team_id: 'T0001',
      api_app_id: 'A0001',
      type: 'event_callback',
      event_id: eventId,
      event_time: 1767600000,
      authorizations: [{ team_id: 'T0001', user_id: 'UBOT', is_bot: true }],
      event: { type: 'message', channel: STAFF_CHANNEL, channel_type: 'channel', ...fields },
    },
  };
}

/** Build a block_actions payload for a press of a card button. */
export function buttonPress(actionId: string, handoffId: string, userId: string, messageTs: string): BoltDelivery {
  return {
    kind: 'interactivity',
    payload: {
      type: 'block_actions',
      team: { id: 'T0001', domain: 'test' },
      user: { id: userId, username: 'bea', team_id: 'T0001' },
      api_app_id: 'A0001',
      token: 'legacy',
      trigger_id: '1.2.3',
      channel: { id: STAFF_CHANNEL, name: 'staff' },
      container: { type: 'message', message_ts: messageTs, channel_id: STAFF_CHANNEL },
      message: { type: 'message', ts: messageTs, text: 'card' },
      actions: [
        { type: 'button', action_id: actionId, block_id: 'b1', value: handoffId, action_ts: '1767600000.1' },
      ],
    },
  };
}

/** Build a slash command delivery, form-encoded as Slack sends it. */
export function slashCommand(userId: string, text: string, responseUrl: string): BoltDelivery {
  return {
    kind: 'command',
    fields: {
      token: 'legacy',
      team_id: 'T0001',
      team_domain: 'test',
      channel_id: STAFF_CHANNEL,
      channel_name: 'staff',
      user_id: userId,
      user_name: userId.toLowerCase(),
      command: '/frontdesk',
      text,
      api_app_id: 'A0001',
      response_url: responseUrl,
      trigger_id: '1.2.3',
    },
  };
}
