import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserModeServer, type BrowserModeServer } from '../../../src-main/browser-mode/browser-mode-server';
import { createDispatcher } from '../../../src-main/contract/dispatcher';
import { createEventHub } from '../../../src-main/core/event-hub';
import type { RequestHandlers } from '../../../src-shared/contract/bridge';
import { capturingLogger, tempDir } from '../../helpers';
import { handlerSpies, type HandlerSpies } from '../handler-spies';

const SECRET = 'test-secret-0123456789';
const agent = { state: 'offline' as const, reason: null, since: '2026-11-21T09:00:00.000Z' };

describe('the browser-mode server', () => {
  let dir: ReturnType<typeof tempDir>;
  let server: BrowserModeServer;
  let handlers: HandlerSpies;
  const events = createEventHub(() => undefined);

  beforeEach(async () => {
    dir = tempDir();
    mkdirSync(join(dir.path, 'assets'));
    writeFileSync(join(dir.path, 'index.html'), '<!doctype html><title>desk</title>');
    writeFileSync(join(dir.path, 'assets', 'app.js'), 'console.log(1)');
    handlers = handlerSpies({ 'agent.getState': () => agent, 'agent.setState': () => agent });
    server = await startBrowserModeServer({
      rendererDir: dir.path,
      dispatch: createDispatcher(handlers as unknown as RequestHandlers, capturingLogger().logger),
      events,
      logger: capturingLogger().logger,
      secret: SECRET,
    });
  });

  afterEach(async () => {
    await server.close();
    dir.remove();
  });

  function connect(options: { secret?: string | null; origin?: string | null; host?: string } = {}): Promise<WebSocket> {
    const secret = options.secret === undefined ? SECRET : options.secret;
    const query = secret === null ? '' : `?secret=${encodeURIComponent(secret)}`;
    const headers: Record<string, string> = {};
    if (options.origin !== null) headers.origin = options.origin ?? server.origin;
    if (options.host) headers.host = options.host;
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/contract${query}`, { headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(ws));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode} ${res.statusMessage}`)));
      ws.once('error', reject);
    });
  }

  function call(ws: WebSocket, message: unknown): Promise<unknown> {
    return new Promise((resolve) => {
      ws.once('message', (data) => resolve(JSON.parse(data.toString())));
      ws.send(typeof message === 'string' ? message : JSON.stringify(message));
    });
  }

  it('prints an address on 127.0.0.1 that carries the secret in the fragment only', () => {
    const url = new URL(server.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.hash).toBe(`#secret=${SECRET}`);
    expect(url.search).toBe('');
  });

  it('serves the renderer with the CSP and no-sniff headers', async () => {
    const page = await fetch(`${server.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain(`ws://127.0.0.1:${server.port}`);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${server.origin}/assets/app.js`)).headers.get('content-type')).toContain('javascript');
  });

  it('refuses a page request addressed to another host name (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port: server.port, path: '/', headers: { host: 'evil.example:80' } }, (res) => resolve(res.statusCode ?? 0)).end();
    });
    expect(status).toBe(421);
  });

  it('answers a contract request over the socket', async () => {
    const ws = await connect();
    expect(await call(ws, { type: 'request', id: 7, name: 'agent.getState', input: {} })).toEqual({
      type: 'response',
      id: 7,
      result: { ok: true, value: agent },
    });
    ws.close();
  });

  it('refuses a socket with no secret, a wrong secret, a foreign origin or no origin, before any handler runs', async () => {
    await expect(connect({ secret: null })).rejects.toThrow('HTTP 401');
    await expect(connect({ secret: 'guess' })).rejects.toThrow('HTTP 401');
    await expect(connect({ origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(connect({ origin: null })).rejects.toThrow('HTTP 403');
    for (const handler of Object.values(handlers)) expect(handler).not.toHaveBeenCalled();
  });

  it('refuses malformed messages and unknown requests with clear errors, and never reaches a handler', async () => {
    const ws = await connect();
    expect(await call(ws, 'not json')).toMatchObject({ type: 'response', id: null, result: { ok: false, error: { code: 'malformed-message' } } });
    expect(await call(ws, { type: 'request', id: 1, name: 'agent.getState' , input: {}, extra: true })).toMatchObject({
      id: 1,
      result: { ok: false, error: { code: 'malformed-message' } },
    });
    expect(await call(ws, { type: 'request', id: 2, name: 'fs.readFile', input: { path: '/etc/passwd' } })).toMatchObject({
      id: 2,
      result: { ok: false, error: { code: 'unknown-request' } },
    });
    expect(await call(ws, { type: 'request', id: 3, name: 'agent.setState', input: { state: 'break' } })).toMatchObject({
      id: 3,
      result: { ok: false, error: { code: 'invalid-input' } },
    });
    for (const handler of Object.values(handlers)) expect(handler).not.toHaveBeenCalled();
    ws.close();
  });

  it('forwards core events to connected pages', async () => {
    const ws = await connect();
    const received = new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(data.toString()))));
    events.emit('agent.stateChanged', agent);
    expect(await received).toEqual({ type: 'event', name: 'agent.stateChanged', payload: agent });
    ws.close();
  });
});
