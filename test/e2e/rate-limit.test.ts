/** Rate limiting end to end: a flooding HTTP sender is limited, nothing is lost, others are served. */
import { afterEach, describe, expect, it } from 'vitest';
import { post, startTestServer, type TestServer } from '../helpers/core.js';
import { listMessages, requestLogRows } from '../helpers/e2e.js';

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('rate limiting over HTTP', () => {
  it('limits a flood and keeps serving others', async () => {
    // The rules engine answers, so the flood measures the guard and the bus, not an LLM.
    server = await startTestServer();
    const url = `${server.url}/api/messages`;
    const flood = Array.from({ length: 40 }, (_, i) => post(url, { userId: 'flooder', text: `is my parcel here yet? (${i})`, messageId: `f-${i}` }));
    const questions = ['how much is shipping?', 'what is your return policy?', 'how long does delivery take?', 'do you ship internationally?', 'how can I pay?'];
    const others: Awaited<ReturnType<typeof post>>[] = [];
    for (const text of questions) others.push(await post(url, { userId: 'patient', text }));
    const flooded = await Promise.all(flood);

    for (const response of others) {
      expect(response.status).toBe(200);
      expect(response.body.replies.length).toBeGreaterThan(0);
    }

    const limited = flooded.filter((response) => response.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    for (const response of limited) {
      expect(response.body.outcome).toBe('limited');
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    for (const response of flooded.filter((r) => r.status !== 429)) expect(response.status).toBe(200);

    const listed = await listMessages(server.url, 'http:flooder');
    const inbound = listed.messages.filter((m) => m.direction === 'in');
    const notices = listed.messages.filter((m) => m.direction === 'out' && m.kind === 'notice');
    // Every message is stored, limited or not, and the limit is announced once per window.
    expect(inbound).toHaveLength(40);
    expect(notices).toHaveLength(1);
    const repliesWithNotice = limited.filter((response) => response.body.replies.length > 0);
    expect(repliesWithNotice).toHaveLength(1);

    const flooderRows = requestLogRows(server.core).filter((row) => row.conversationId === 'http:flooder');
    expect(flooderRows).toHaveLength(40);
    expect(flooderRows.filter((row) => row.rateLimitOutcome === 'limited')).toHaveLength(limited.length);
  });
});
