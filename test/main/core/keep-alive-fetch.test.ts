import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeepAliveFetch, type KeepAliveFetch } from '../../../src-main/core/api/keep-alive-fetch';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP server on loopback: records each request and its connection, answers with `handler`. */
async function listen(handler: (req: IncomingMessage, res: ServerResponse, seen: Seen, index: number) => void) {
  const seen: Seen[] = [];
  let connections = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(entry);
      handler(req, res, entry, seen.length - 1);
    });
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    seen,
    connections: () => connections,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('createKeepAliveFetch', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  async function setUp(handler: Parameters<typeof listen>[0]) {
    const server = await listen(handler);
    const fetch: KeepAliveFetch = createKeepAliveFetch();
    cleanup.push(server.close, () => fetch.close());
    return { server, fetch };
  }

  it('posts a JSON body with its headers and hands back the status, headers and body as a Response', async () => {
    const { server, fetch } = await setUp((_req, res, seen) => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-answer': 'yes' });
      res.end(JSON.stringify({ echoed: JSON.parse(seen.body) as unknown }));
    });
    const response = await fetch(new URL('/sync/push', server.base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer abc' },
      body: JSON.stringify({ note: 'Ward 7 — £12' }),
    });
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get('x-answer')).toBe('yes');
    expect(await response.json()).toEqual({ echoed: { note: 'Ward 7 — £12' } });
    expect(server.seen[0]).toMatchObject({ method: 'POST', url: '/sync/push', body: JSON.stringify({ note: 'Ward 7 — £12' }) });
    expect(server.seen[0]!.headers.authorization).toBe('Bearer abc');
    expect(server.seen[0]!.headers['content-length']).toBe(String(Buffer.byteLength(JSON.stringify({ note: 'Ward 7 — £12' }))));
  });

  it('sends many requests over one kept connection', async () => {
    const { server, fetch } = await setUp((_req, res) => res.end('ok'));
    for (let i = 0; i < 20; i++) expect(await (await fetch(`${server.base}/health`)).text()).toBe('ok');
    expect(server.seen).toHaveLength(20);
    expect(server.connections()).toBe(1);
  });

  it('answers a refusal and an empty answer as fetch does', async () => {
    const { server, fetch } = await setUp((req, res) => {
      if (req.url === '/empty') {
        res.writeHead(204);
        res.end();
        return;
      }
      res.writeHead(409, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ title: 'Out of order' }));
    });
    const refused = await fetch(`${server.base}/sync/push`, { method: 'POST', body: '{}' });
    expect(refused.ok).toBe(false);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({ title: 'Out of order' });
    const empty = await fetch(`${server.base}/empty`);
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
  });

  it('rejects with the signal\'s TimeoutError when the server does not answer in time, and drops the request', async () => {
    let closed = false;
    const { server, fetch } = await setUp((req) => {
      req.socket.on('close', () => (closed = true));
    });
    const error = await fetch(`${server.base}/slow`, { signal: AbortSignal.timeout(50) }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('TimeoutError');
    await expect.poll(() => closed).toBe(true);
  });

  it('rejects with a TypeError when nothing listens', async () => {
    const { server, fetch } = await setUp((_req, res) => res.end());
    const port = new URL(server.base).port;
    await server.close();
    const error = await fetch(`http://127.0.0.1:${port}/health`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
  });

  it('sends a request again on a new connection when the kept one was closed under it', async () => {
    // The server drops the second request that arrives on a connection without answering: the keep-alive race.
    const perSocket = new WeakMap<object, number>();
    const { server, fetch } = await setUp((req, res) => {
      const count = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, count);
      if (count === 2) {
        req.socket.destroy();
        return;
      }
      res.end(`answer ${count}`);
    });
    expect(await (await fetch(`${server.base}/a`)).text()).toBe('answer 1');
    expect(await (await fetch(`${server.base}/b`)).text()).toBe('answer 1');
    expect(server.seen.map((entry) => entry.url)).toEqual(['/a', '/b', '/b']);
    expect(server.connections()).toBe(2);
  });
});
