import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { wsClientMessageSchema, WS_PATH, WS_SECRET_PARAM, type WsServerMessage } from '../../src-shared/contract/ws-protocol';
import { fail } from '../../src-shared/result';
import { buildContentSecurityPolicy } from '../../src-shared/security/content-security-policy';
import type { Dispatch } from '../contract/dispatcher';
import type { EventHub } from '../core/event-hub';
import type { Logger } from '../core/logger';
import { rendererResponseHeaders, resolveRendererAsset } from '../renderer-assets';

/** Frames above this size are refused before parsing; no contract request comes near it. */
const MAX_FRAME_BYTES = 256 * 1024;

export interface BrowserModeServer {
  /** The address to open, with the per-run secret in the fragment (never sent to the server in a page request). */
  url: string;
  origin: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Browser mode: the built renderer over HTTP and the desktop contract over a WebSocket, both on 127.0.0.1 only.
 * A socket is accepted only from the page's own origin and with this run's secret; a refused socket never reaches
 * the dispatcher. The Host header is checked too, so a DNS-rebinding page cannot talk to it.
 */
export async function startBrowserModeServer(options: {
  rendererDir: string;
  dispatch: Dispatch;
  events: EventHub;
  logger: Logger;
  port?: number;
  secret?: string;
}): Promise<BrowserModeServer> {
  const log = options.logger.child({ component: 'browser-mode' });
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  const sockets = new Set<WebSocket>();
  let origin = '';
  let csp = '';
  let allowedHosts: string[] = [];

  const http = createServer((request, response) => {
    void serveAsset(request, response);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  async function serveAsset(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!allowedHosts.includes(request.headers.host ?? '')) return end(response, 421, 'Misdirected request');
    if (request.method !== 'GET' && request.method !== 'HEAD') return end(response, 405, 'Method not allowed');
    const pathname = new URL(request.url ?? '/', origin).pathname;
    const asset = resolveRendererAsset(options.rendererDir, pathname);
    if (!asset) return end(response, 404, 'Not found');
    try {
      const body = await readFile(asset.filePath);
      response.writeHead(200, rendererResponseHeaders(asset.contentType, csp));
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      end(response, 404, 'Not found. Has the renderer been built? Run npm run build.');
    }
  }

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = upgradeRefusal(request);
    if (refusal) {
      log.warn({ reason: refusal.reason }, 'contract socket refused');
      socket.end(`HTTP/1.1 ${refusal.status} ${refusal.reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => acceptSocket(ws));
  });

  function upgradeRefusal(request: IncomingMessage): { status: number; reason: string } | null {
    if (!allowedHosts.includes(request.headers.host ?? '')) return { status: 421, reason: 'Misdirected Request' };
    const url = new URL(request.url ?? '/', origin);
    if (url.pathname !== WS_PATH) return { status: 404, reason: 'Not Found' };
    if (request.headers.origin !== origin) return { status: 403, reason: 'Forbidden Origin' };
    const given = url.searchParams.get(WS_SECRET_PARAM);
    if (!given || !secretsMatch(given, secret)) return { status: 401, reason: 'Missing Or Wrong Secret' };
    return null;
  }

  function acceptSocket(ws: WebSocket): void {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data, isBinary) => {
      void answer(ws, isBinary ? null : data.toString());
    });
  }

  async function answer(ws: WebSocket, text: string | null): Promise<void> {
    let json: unknown;
    try {
      json = text === null ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const message = wsClientMessageSchema.safeParse(json);
    if (!message.success) {
      const id = typeof json === 'object' && json !== null && 'id' in json && typeof json.id === 'number' ? json.id : null;
      send(ws, { type: 'response', id, result: fail('malformed-message', 'The message is not a contract request: expected {type:"request", id, name, input}.') });
      return;
    }
    const result = await options.dispatch(message.data.name, message.data.input);
    send(ws, { type: 'response', id: message.data.id, result });
  }

  function send(ws: WebSocket, message: WsServerMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  }

  const unsubscribe = options.events.subscribe((name, payload) => {
    for (const ws of sockets) send(ws, { type: 'event', name, payload });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = http.address();
  if (address === null || typeof address === 'string') throw new Error('Browser mode did not bind to a TCP port');
  const port = address.port;
  origin = `http://127.0.0.1:${port}`;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  csp = buildContentSecurityPolicy({ connectSources: [`ws://127.0.0.1:${port}`] });

  return {
    url: `${origin}/#${WS_SECRET_PARAM}=${secret}`,
    origin,
    port,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function secretsMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function end(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  response.end(text);
}
