import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolError } from '../../src/agent/errors.js';
import { createHttpTool } from '../../src/agent/http-tool.js';
import { checkSchema } from '../../src/agent/schema-check.js';
import { loadToolModule, loadToolModules } from '../../src/agent/tool-loader.js';
import { type Tool, ToolRegistry } from '../../src/agent/tools.js';

const context = { customerId: 'cust-1', conversationId: 'conv-1' };

const orderStatus: Tool = {
  spec: {
    name: 'order_status',
    description: 'Status of one order',
    parameters: {
      type: 'object',
      properties: { orderId: { type: 'string' }, verbose: { type: 'boolean' } },
      required: ['orderId'],
      additionalProperties: false,
    },
  },
  personal: true,
  async run(args, ctx) {
    return { orderId: args.orderId, customer: ctx.customerId, status: 'shipped' };
  },
};

describe('checkSchema', () => {
  const schema = orderStatus.spec.parameters;

  it('accepts valid arguments', () => {
    expect(checkSchema({ orderId: 'A1', verbose: true }, schema)).toEqual([]);
  });

  it('lists missing, mistyped and unknown fields', () => {
    expect(checkSchema({ verbose: 'yes', extra: 1 }, schema)).toEqual([
      'arguments.orderId is missing',
      'arguments.verbose must be of type boolean, got string',
      'arguments.extra is not allowed',
    ]);
  });

  it('checks enum, integer and array items', () => {
    const itemSchema = {
      type: 'object',
      properties: { kind: { enum: ['a', 'b'] }, count: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } },
    };
    expect(checkSchema({ kind: 'c', count: 1.5, tags: ['x', 2] }, itemSchema)).toEqual([
      'arguments.kind must be one of "a", "b"',
      'arguments.count must be of type integer, got number',
      'arguments.tags[1] must be of type string, got number',
    ]);
  });
});

describe('ToolRegistry', () => {
  it('runs a tool and records a fact', async () => {
    const registry = new ToolRegistry([orderStatus]);
    const execution = await registry.execute({ id: 'c1', name: 'order_status', arguments: { orderId: 'A1' } }, context);
    expect(execution.ok).toBe(true);
    if (!execution.ok) return;
    expect(execution.fact).toEqual({
      tool: 'order_status',
      args: { orderId: 'A1' },
      result: { orderId: 'A1', customer: 'cust-1', status: 'shipped' },
      personal: true,
    });
    expect(JSON.parse(execution.content)).toEqual(execution.fact.result);
  });

  it('reports invalid arguments to the model', async () => {
    const registry = new ToolRegistry([orderStatus]);
    const execution = await registry.execute({ id: 'c1', name: 'order_status', arguments: {} }, context);
    expect(execution.ok).toBe(false);
    expect(JSON.parse(execution.content)).toMatchObject({ error: 'invalid_arguments', details: ['arguments.orderId is missing'] });
  });

  it('reports an unknown tool', async () => {
    const execution = await new ToolRegistry().execute({ id: 'c1', name: 'nope', arguments: {} }, context);
    expect(execution.ok).toBe(false);
    if (!execution.ok) expect(execution.error.code).toBe('unknown_tool');
  });

  it('turns a throwing tool into failed', async () => {
    const broken: Tool = { ...orderStatus, run: () => Promise.reject(new Error('database is locked')) };
    const execution = await new ToolRegistry([broken]).execute({ id: 'c1', name: 'order_status', arguments: { orderId: 'A1' } }, context);
    expect(execution.ok).toBe(false);
    if (!execution.ok) expect(execution.error.code).toBe('failed');
  });

  it('times out a tool that ignores its signal', async () => {
    const slow: Tool = { ...orderStatus, run: () => new Promise(() => undefined) };
    const registry = new ToolRegistry([slow], { timeoutMs: 20 });
    const execution = await registry.execute({ id: 'c1', name: 'order_status', arguments: { orderId: 'A1' } }, context);
    expect(execution.ok).toBe(false);
    if (!execution.ok) expect(execution.error.code).toBe('timeout');
  });

  it('rejects duplicate and invalid names', () => {
    const registry = new ToolRegistry([orderStatus]);
    expect(() => registry.register(orderStatus)).toThrow(/already registered/);
    expect(() => registry.register({ ...orderStatus, spec: { ...orderStatus.spec, name: 'has space' } })).toThrow(/invalid/);
  });

  it('lists specs', () => {
    expect(new ToolRegistry([orderStatus]).specs()).toEqual([orderStatus.spec]);
  });
});

describe('createHttpTool', () => {
  let server: Server;
  let url: string;
  const received: { headers: IncomingMessage['headers']; body: unknown }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(raw) });
        if (req.url === '/slow') return; // never answers
        if (req.url === '/broken') {
          res.writeHead(502).end('bad gateway');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ points: 120 }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const parameters = { type: 'object', properties: { program: { type: 'string' } } };

  it('posts arguments and the customer id', async () => {
    const tool = createHttpTool({ name: 'loyalty_points', description: 'Points', parameters, url: `${url}/points`, headers: { authorization: 'Bearer op' } });
    await expect(tool.run({ program: 'gold' }, context)).resolves.toEqual({ points: 120 });
    const last = received.at(-1)!;
    expect(last.body).toEqual({ tool: 'loyalty_points', customerId: 'cust-1', conversationId: 'conv-1', arguments: { program: 'gold' } });
    expect(last.headers.authorization).toBe('Bearer op');
    expect(tool.personal).toBe(true);
  });

  it('fails on an error status', async () => {
    const tool = createHttpTool({ name: 'loyalty_points', description: 'Points', parameters, url: `${url}/broken` });
    await expect(tool.run({}, context)).rejects.toMatchObject({ code: 'http_error' });
  });

  it('times out', async () => {
    const tool = createHttpTool({ name: 'loyalty_points', description: 'Points', parameters, url: `${url}/slow`, timeoutMs: 30 });
    await expect(tool.run({}, context)).rejects.toMatchObject({ code: 'timeout' });
  });
});

describe('loadToolModule', () => {
  const fixtures = join(import.meta.dirname, 'fixtures');

  it('loads a default export of tools', async () => {
    const tools = await loadToolModule('operator-tools.ts', fixtures);
    expect(tools.map((tool) => tool.spec.name)).toEqual(['store_hours']);
    expect(tools[0]?.personal).toBe(false);
    await expect(tools[0]?.run({ city: 'Lisbon' }, context)).resolves.toMatchObject({ opens: '09:00' });
  });

  it('rejects an export that is not a tool', async () => {
    await expect(loadToolModule('not-a-tool.ts', fixtures)).rejects.toBeInstanceOf(ToolError);
  });

  it('rejects a missing module', async () => {
    await expect(loadToolModules(['missing.ts'], fixtures)).rejects.toMatchObject({ code: 'invalid_module' });
  });
});
