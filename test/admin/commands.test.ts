import { beforeEach, describe, expect, it } from 'vitest';
import { AdminCommands } from '../../src/admin/commands.js';
import { toOpenHandoffSummary } from '../../src/admin/handoffs.js';
import { ManualClock } from '../../src/clock.js';
import { createLogger } from '../../src/log.js';
import { FakeAdminBackend } from './fake-backend.js';
import { LogSink } from './log-sink.js';

const ADMIN = { channel: 'slack', id: 'UADMIN', name: 'root' };
const TELEGRAM_ADMIN = { channel: 'telegram', id: '4567' };
const STRANGER = { channel: 'slack', id: 'USTAFF' };

describe('AdminCommands', () => {
  let backend: FakeAdminBackend;
  let logs: LogSink;
  let commands: AdminCommands;

  beforeEach(() => {
    backend = new FakeAdminBackend();
    logs = new LogSink();
    commands = new AdminCommands({
      backend,
      admins: { slack: ['UADMIN'], telegram: ['4567'] },
      logger: createLogger('info', logs),
      clock: new ManualClock(Date.UTC(2026, 0, 1, 0, 30)),
    });
  });

  it('refuses users outside the admin list', async () => {
    const reply = await commands.run(STRANGER, 'block telegram:1');
    expect(reply.ok).toBe(false);
    expect(reply.text).toContain('only frontdesk admins');
    expect(backend.calls).toHaveLength(0);
    const [line] = logs.withMessage('admin command rejected: user is not an admin');
    expect(line?.admin).toEqual({ channel: 'slack', id: 'USTAFF' });
    expect(line?.level).toBe(40);
  });

  it('refuses an id listed for another channel', async () => {
    const reply = await commands.run({ channel: 'telegram', id: 'UADMIN' }, 'status');
    expect(reply.ok).toBe(false);
  });

  it('status shows providers, queue, errors and latency', async () => {
    const reply = await commands.run(ADMIN, 'status');
    expect(reply.ok).toBe(true);
    expect(reply.text).toContain('`openai`: healthy, breaker closed');
    expect(reply.text).toContain('`anthropic`: unhealthy, breaker open');
    expect(reply.text).toContain('Queue depth: 3');
    expect(reply.text).toContain('Error rate: 2.5%');
    expect(reply.text).toContain('p95 latency: 1840 ms');
  });

  it('stats takes a period and defaults to 24h', async () => {
    expect((await commands.run(ADMIN, 'stats 7d')).text).toContain('last 7d');
    expect((await commands.run(ADMIN, 'stats')).text).toContain('Cost: $1.23');
    expect(backend.calls.map((c) => c.args[0])).toEqual(['7d', '24h']);
    const invalid = await commands.run(ADMIN, 'stats forever');
    expect(invalid.ok).toBe(false);
    expect(invalid.text).toContain('invalid period "forever"');
  });

  it('handoffs lists open handoffs with age', async () => {
    const reply = await commands.run(ADMIN, 'handoffs');
    expect(reply.text).toContain('`telegram:42` Ana (telegram): waiting, open 30 min');
  });

  it('block, unblock and limit call the backend with the admin', async () => {
    await commands.run(ADMIN, 'block telegram:99');
    await commands.run(ADMIN, 'unblock telegram:99');
    const limited = await commands.run(ADMIN, 'limit telegram:99 5');
    expect(limited.text).toBe('Limited `telegram:99` to 5 messages per minute.');
    expect(backend.calls).toEqual([
      { method: 'block', args: ['telegram:99'], by: 'UADMIN' },
      { method: 'unblock', args: ['telegram:99'], by: 'UADMIN' },
      { method: 'limit', args: ['telegram:99', 5], by: 'UADMIN' },
    ]);
  });

  it('budgets lists customers over budget', async () => {
    const reply = await commands.run(ADMIN, 'budgets');
    expect(reply.text).toContain('`telegram:7`');
    expect(backend.calls[0]).toEqual({ method: 'overBudget', args: ['2026-01-01'] });
    expect((await commands.run(ADMIN, 'budgets yesterday')).ok).toBe(false);
  });

  it('allow and risk call the backend', async () => {
    const allowed = await commands.run(ADMIN, 'allow telegram:9');
    expect(allowed.ok).toBe(true);
    expect(backend.calls[0]).toEqual({ method: 'allow', args: ['telegram:9'], by: 'UADMIN' });

    const risk = await commands.run(ADMIN, 'risk telegram:9');
    expect(risk.ok).toBe(true);
    expect(risk.text).toContain('0.42');
    expect(risk.text).toContain('repeat +0.30');
    expect((await commands.run(ADMIN, 'risk')).ok).toBe(false);
  });

  it('limit rejects invalid rates', async () => {
    for (const text of ['limit telegram:99', 'limit telegram:99 0', 'limit telegram:99 1.5', 'limit telegram:99 lots']) {
      const reply = await commands.run(ADMIN, text);
      expect(reply.ok, text).toBe(false);
    }
    expect(backend.calls).toHaveLength(0);
  });

  it('provider switches on and off', async () => {
    expect((await commands.run(ADMIN, 'provider openai off')).text).toBe('Provider `openai` switched off.');
    expect(backend.providers.get('openai')).toBe(false);
    expect((await commands.run(ADMIN, 'provider openai ON')).ok).toBe(true);
    expect(backend.providers.get('openai')).toBe(true);
    expect((await commands.run(ADMIN, 'provider gemini on')).text).toContain('No provider named `gemini`');
    expect((await commands.run(ADMIN, 'provider openai maybe')).ok).toBe(false);
  });

  it('pause and resume toggle maintenance mode', async () => {
    expect((await commands.run(ADMIN, 'pause')).text).toContain('Maintenance mode on');
    expect(backend.paused).toBe(true);
    expect((await commands.run(TELEGRAM_ADMIN, '/frontdesk resume')).text).toBe('Maintenance mode off.');
    expect(backend.paused).toBe(false);
    expect(backend.calls.map((c) => c.by)).toEqual(['UADMIN', '4567']);
  });

  it('handoff forces a handoff', async () => {
    expect((await commands.run(ADMIN, 'handoff telegram:42')).text).toContain('handoff `h9`');
    expect((await commands.run(ADMIN, 'handoff missing')).text).toBe('Conversation `missing` not found.');
    expect((await commands.run(ADMIN, 'handoff')).ok).toBe(false);
  });

  it('help and unknown commands list the commands', async () => {
    expect((await commands.run(ADMIN, '')).text).toContain('*Admin commands*');
    const unknown = await commands.run(ADMIN, 'reboot');
    expect(unknown.ok).toBe(false);
    expect(unknown.text).toContain('Unknown command `reboot`');
  });

  it('logs every action with the admin', async () => {
    await commands.run(ADMIN, 'block telegram:99');
    const [line] = logs.withMessage('admin command');
    expect(line?.admin).toEqual({ channel: 'slack', id: 'UADMIN' });
    expect(line?.command).toBe('block');
    expect(line?.args).toEqual(['telegram:99']);
    expect(line?.level).toBe(30);
  });

  it('reports a backend failure', async () => {
    backend.status = async () => {
      throw new Error('metrics store unavailable');
    };
    const reply = await commands.run(ADMIN, 'status');
    expect(reply.ok).toBe(false);
    expect(reply.text).toContain('metrics store unavailable');
    expect(logs.withMessage('admin command failed')).toHaveLength(1);
  });
});

describe('toOpenHandoffSummary', () => {
  it('maps a claimed handoff', () => {
    const summary = toOpenHandoffSummary({
      id: 'h1',
      conversationId: 'conv-1',
      channel: 'telegram',
      chatId: '42',
      customerName: 'Ana',
      locale: 'en',
      reason: 'frustrated',
      state: 'staff',
      claimedBy: { id: 'U1', name: 'Bea' },
      openedAt: 5,
    });
    expect(summary).toEqual({
      id: 'h1',
      conversationId: 'conv-1',
      customerName: 'Ana',
      channel: 'telegram',
      state: 'staff',
      claimedBy: 'Bea',
      openedAt: 5,
    });
  });
});
