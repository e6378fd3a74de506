import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import { LIVE_BEARER_PREFIX, LIVE_PATH, LIVE_PROTOCOL, liveCloseCodes } from '../../src-shared/telephony/live-protocol';
import type { LiveEvent } from '../../src-shared/telephony/model';
import type { Access, AccessState } from '../auth/access-state';
import type { AccessClaims, TokenService, TokenSession } from '../auth/tokens';
import type { Actor } from '../store/central-store';
import { audienceAdmits } from './live-audience';
import type { LiveBus, LiveMessage } from './live-bus';

export type LiveSnapshot = Extract<LiveEvent, { type: 'snapshot' }>;
export type SnapshotFor = (actor: Actor) => Promise<LiveSnapshot>;

/** What `buildApi` takes to serve `/live`. The app owns the bus from then on and closes it when it closes. */
export interface LiveOptions {
  bus: LiveBus;
  /** The picture this person may see, sent first on every connection; an empty one when absent. */
  snapshotFor?: SnapshotFor;
  /** Ping every this often; a socket that has not answered the previous ping is cut. Default 30 s. */
  heartbeatMs?: number;
  /** A client whose unsent data passes this is dropped rather than held in memory. Default 1 MiB. */
  maxBufferedBytes?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Present when the API serves `/live`: how many desktops are connected to this instance. */
    live?: { connectionCount(): number };
  }
}

const DEFAULT_HEARTBEAT_MS = 30_000;
const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;
/** Events held for one socket while its snapshot is being made; a snapshot that slow means something is wrong. */
const MAX_BACKLOG = 1_000;
/** Clients send nothing but pongs and the close frame. */
const MAX_CLIENT_FRAME_BYTES = 1024;
/** Longest delay setTimeout takes. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Connection {
  actor: Actor;
  /** When its token was issued and in which session generation: an ending of the person's sessions closes the socket. */
  session: TokenSession;
  expiresAt: number;
  alive: boolean;
  /** False until the snapshot went out (and while a fresh one is being made): events wait in the backlog. */
  ready: boolean;
  backlog: string[];
  expiryTimer: NodeJS.Timeout;
}

/**
 * The `/live` WebSocket on the API's own HTTP server. Desktops authenticate with the same access token as the REST
 * API, offered as the `bearer.<token>` subprotocol (never in the URL, which gets logged); a bad or missing token is
 * refused at the upgrade with 401 and no socket. Each connection gets a snapshot first, then every bus message its
 * person may see. Sockets are pinged, cut when silent, closed when their token expires (the desktop reconnects
 * with a fresh one) and dropped when they read too slowly.
 */
export function attachLiveSocket(
  app: FastifyInstance,
  deps: LiveOptions & { tokens: TokenService; access: AccessState; clock: { now(): number }; logger: FastifyBaseLogger },
): { connectionCount(): number } {
  const log = deps.logger.child({ component: 'live' });
  const heartbeatMs = deps.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const maxBuffered = deps.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const snapshotFor: SnapshotFor =
    deps.snapshotFor ?? (async () => ({ type: 'snapshot', handlers: [], calls: [], queues: [], at: new Date(deps.clock.now()).toISOString() }));
  const connections = new Map<WebSocket, Connection>();
  let closing = false;

  // The token rides in the offered protocols; the answer is always the plain protocol name, never the token.
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: MAX_CLIENT_FRAME_BYTES,
    handleProtocols: () => LIVE_PROTOCOL,
  });

  function onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    const path = (request.url ?? '').split('?')[0];
    if (path !== LIVE_PATH) {
      // Leave other paths to any other upgrade handler; with none, say so rather than leave the socket hanging.
      if (app.server.listenerCount('upgrade') === 1) refuse(socket, 404, 'Not Found');
      return;
    }
    if (closing) return refuse(socket, 503, 'Service Unavailable');
    const offered = String(request.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((protocol) => protocol.trim());
    const token = offered.find((protocol) => protocol.startsWith(LIVE_BEARER_PREFIX))?.slice(LIVE_BEARER_PREFIX.length);
    const claims = offered.includes(LIVE_PROTOCOL) && token ? deps.tokens.verifyAccessToken(token) : null;
    if (!claims) {
      log.info({ reason: token ? 'invalid or expired token' : 'no token offered' }, 'live socket refused');
      return refuse(socket, 401, 'Unauthorized', 'WWW-Authenticate: Bearer\r\n');
    }
    // What the person may see is what the store says now, not what the token said when it was issued.
    deps.access.current(claims.sub, claims).then(
      (access) => {
        if (!access) {
          log.info({ userId: claims.sub }, 'live socket refused: the session has ended or the account is disabled or gone');
          return refuse(socket, 401, 'Unauthorized', 'WWW-Authenticate: Bearer\r\n');
        }
        wss.handleUpgrade(request, socket, head, (ws) => accept(ws, claims, access));
      },
      (error: unknown) => {
        log.error({ err: error }, 'live socket refused: access could not be read');
        refuse(socket, 503, 'Service Unavailable');
      },
    );
  }
  app.server.on('upgrade', onUpgrade);

  function accept(ws: WebSocket, claims: AccessClaims, access: Access): void {
    const expiresAt = claims.exp * 1000;
    const connection: Connection = {
      actor: { userId: claims.sub, name: claims.name, role: access.role, teamIds: access.teamIds },
      session: { iatMs: claims.iatMs, gen: claims.gen },
      expiresAt,
      alive: true,
      ready: false,
      backlog: [],
      expiryTimer: setTimeout(() => expire(ws), Math.min(MAX_TIMER_MS, Math.max(0, expiresAt - deps.clock.now()))).unref(),
    };
    connections.set(ws, connection);
    ws.on('pong', () => {
      connection.alive = true;
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      clearTimeout(connection.expiryTimer);
      connections.delete(ws);
    });
    log.info({ userId: connection.actor.userId, role: connection.actor.role, connections: connections.size }, 'live socket opened');
    void sendSnapshot(ws, connection);
  }

  /** Sends a fresh snapshot; events raised meanwhile wait and follow it, so none is lost or overtaken by it. */
  async function sendSnapshot(ws: WebSocket, connection: Connection): Promise<void> {
    connection.ready = false;
    let snapshot: LiveSnapshot;
    try {
      snapshot = await snapshotFor(connection.actor);
    } catch (error) {
      log.error({ err: error, userId: connection.actor.userId }, 'live snapshot failed; closing the socket so the desktop retries');
      ws.close(1011, 'snapshot failed');
      return;
    }
    if (!connections.has(ws)) return;
    send(ws, connection, JSON.stringify(snapshot));
    connection.ready = true;
    const waiting = connection.backlog;
    connection.backlog = [];
    for (const text of waiting) send(ws, connection, text);
  }

  function send(ws: WebSocket, connection: Connection, text: string): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount + Buffer.byteLength(text) > maxBuffered) {
      log.warn({ userId: connection.actor.userId, bufferedBytes: ws.bufferedAmount }, 'live socket reads too slowly; dropped');
      ws.terminate();
      return;
    }
    ws.send(text);
  }

  function expire(ws: WebSocket): void {
    if (ws.readyState === ws.OPEN) ws.close(liveCloseCodes.tokenExpired, 'token expired');
  }

  const unsubscribe = deps.bus.subscribe((message: LiveMessage) => {
    let text: string | null = null;
    for (const [ws, connection] of connections) {
      if (!audienceAdmits(message.audience, connection.actor)) continue;
      text ??= JSON.stringify(message.event);
      if (connection.ready) send(ws, connection, text);
      else if (connection.backlog.push(text) > MAX_BACKLOG) {
        log.warn({ userId: connection.actor.userId }, 'live socket backlog full while its snapshot was made; dropped');
        ws.terminate();
      }
    }
  });
  // The bus may have missed messages (its link to the other instances broke): everyone gets a fresh snapshot.
  const unsubscribeGap = deps.bus.onGap?.(() => {
    for (const [ws, connection] of connections) void sendSnapshot(ws, connection);
  });

  const heartbeat = setInterval(() => {
    const now = deps.clock.now();
    for (const [ws, connection] of connections) {
      if (now >= connection.expiresAt) {
        expire(ws);
      } else if (!connection.alive) {
        log.info({ userId: connection.actor.userId }, 'live socket missed its heartbeat; cut');
        ws.terminate();
      } else {
        connection.alive = false;
        ws.ping();
        void followAccess(ws, connection);
      }
    }
  }, heartbeatMs).unref();

  /**
   * At each heartbeat: a person an administrator has disabled, or whose sessions have ended, loses the socket (closed
   * as for an expired token, so the desktop renews its sign-in, which is refused); one whose role or teams changed
   * gets a fresh snapshot of what they may now see, and only that from then on.
   */
  async function followAccess(ws: WebSocket, connection: Connection): Promise<void> {
    let access: Access | null;
    try {
      access = await deps.access.current(connection.actor.userId, connection.session);
    } catch {
      return; // Checked again at the next heartbeat.
    }
    if (!connections.has(ws)) return;
    if (!access) {
      log.info({ userId: connection.actor.userId }, 'live socket closed: the session has ended or the account is disabled or gone');
      ws.close(liveCloseCodes.tokenExpired, 'access revoked');
      return;
    }
    const { actor } = connection;
    if (access.role === actor.role && access.teamIds.join() === actor.teamIds.join()) return;
    connection.actor = { ...actor, role: access.role, teamIds: access.teamIds };
    await sendSnapshot(ws, connection);
  }

  // Upgraded sockets would keep the HTTP server from closing: say goodbye, then cut any that linger.
  app.addHook('preClose', async () => {
    closing = true;
    clearInterval(heartbeat);
    const open = [...connections.keys()];
    const allClosed = Promise.all(open.map((ws) => new Promise((resolve) => ws.once('close', resolve))));
    for (const ws of open) ws.close(liveCloseCodes.goingAway, 'server shutting down');
    await Promise.race([allClosed, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    for (const ws of connections.keys()) ws.terminate();
  });
  app.addHook('onClose', async () => {
    app.server.off('upgrade', onUpgrade);
    unsubscribe();
    unsubscribeGap?.();
    wss.close();
    await deps.bus.close();
  });

  const live = { connectionCount: () => connections.size };
  app.decorate('live', live);
  return live;
}

function refuse(socket: Duplex, status: number, reason: string, extraHeaders = ''): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n${extraHeaders}Content-Length: 0\r\n\r\n`);
}
