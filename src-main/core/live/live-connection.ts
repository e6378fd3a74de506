import WebSocket from 'ws';
import type { LiveConnectionState } from '../../../src-shared/contract/live';
import { LIVE_PATH, liveCloseCodes, liveProtocols } from '../../../src-shared/telephony/live-protocol';
import { liveEventSchema, type LiveEvent } from '../../../src-shared/telephony/model';
import type { Clock, Timers } from '../clock';
import { RefusedError } from '../errors';
import type { Logger } from '../logger';

export interface LiveConnectionOptions {
  timers?: Timers;
  /** Jitter source in [0, 1); injected so tests can check the delays. */
  random?: () => number;
  /** First retry delay and the cap; each failed attempt doubles it. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** A connection that brings nothing (no event, no ping) for this long is taken for dead. The API pings every 30 s. */
  heartbeatTimeoutMs?: number;
  /** How long the opening handshake may take. */
  connectTimeoutMs?: number;
}

export interface LiveConnectionDeps extends LiveConnectionOptions {
  /** The central API's base URL (http or https); the socket goes to its `/live`. */
  baseUrl: string;
  /** A current access token; renewed by the session when it is near its end. */
  getAccessToken(): Promise<string>;
  /** The server said the token is no good: the next `getAccessToken` renews it. */
  invalidateAccessToken(): void;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  onEvent(event: LiveEvent): void;
  onStateChange(state: LiveConnectionState): void;
}

const DEFAULT_BASE_MS = 1_000;
const DEFAULT_MAX_MS = 30_000;
const DEFAULT_HEARTBEAT_TIMEOUT_MS = 75_000;
/** A snapshot of a whole floor is far below this; anything bigger is not from our API. */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** The reason shown to the handler for each way a connection ends. */
function closeReason(code: number): string {
  if (code === liveCloseCodes.goingAway) return 'The central service is restarting.';
  if (code === 1011) return 'The central service had a problem.';
  return 'Lost the connection to the central service.';
}

/**
 * The desk's live link to the central API, held in the main process (the renderer never holds the token).
 *
 * It connects with the session's access token, passes on each event once validated, and keeps trying when the link
 * fails: exponential backoff with jitter, so a restarted API is not hit by every desk at once. A link that goes quiet
 * (no event and no ping within the heartbeat timeout) is cut and retried. When the server closes because the token
 * expired, the token is renewed and the desk reconnects at once. Every (re)connection starts with a snapshot from
 * the server, so whatever the desk missed while away is replaced, not patched.
 */
export function createLiveConnection(deps: LiveConnectionDeps) {
  const log = deps.logger.child({ component: 'live' });
  const random = deps.random ?? Math.random;
  const baseMs = deps.backoff?.baseMs ?? DEFAULT_BASE_MS;
  const maxMs = deps.backoff?.maxMs ?? DEFAULT_MAX_MS;
  const heartbeatTimeoutMs = deps.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
  const url = new URL(LIVE_PATH, deps.baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';

  let running = false;
  /** Bumped on every attempt and on stop, so callbacks of an older socket change nothing. */
  let generation = 0;
  let socket: WebSocket | null = null;
  let retryTimer: unknown = null;
  let watchdog: unknown = null;
  /** Failed attempts since the last good connection (one that delivered its snapshot). */
  let attempt = 0;
  /** True after a token-expiry close until a snapshot arrives, so a server that keeps refusing cannot spin us. */
  let renewing = false;
  /** Set when the watchdog cut the socket, so the handler is told why. */
  let silent = false;
  let current: LiveConnectionState = { state: 'offline', reason: 'Not connected yet.', nextRetryAt: null, since: iso(deps.clock.now()) };

  function iso(ms: number): string {
    return new Date(ms).toISOString();
  }

  function setState(state: LiveConnectionState['state'], reason: string | null, nextRetryAt: number | null = null): void {
    const next = { state, reason, nextRetryAt: nextRetryAt === null ? null : iso(nextRetryAt) };
    if (next.state === current.state && next.reason === current.reason && next.nextRetryAt === current.nextRetryAt) return;
    current = { ...next, since: iso(deps.clock.now()) };
    deps.onStateChange(current);
  }

  function clearTimer(handle: unknown): null {
    if (handle !== null) deps.timers.clearTimeout(handle);
    return null;
  }

  /** The delay before the next attempt: doubling from the base to the cap, of which the upper half is random. */
  function backoffDelay(): number {
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 30));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }

  function scheduleRetry(reason: string): void {
    if (!running) return;
    attempt += 1;
    const delay = backoffDelay();
    log.info({ attempt, retryInMs: delay, reason }, 'live connection down; retrying');
    setState('offline', reason, deps.clock.now() + delay);
    retryTimer = clearTimer(retryTimer);
    retryTimer = deps.timers.setTimeout(() => {
      retryTimer = null;
      void connect();
    }, delay);
  }

  function armWatchdog(ws: WebSocket, mine: number): void {
    watchdog = clearTimer(watchdog);
    watchdog = deps.timers.setTimeout(() => {
      watchdog = null;
      if (mine !== generation) return;
      log.warn({ heartbeatTimeoutMs }, 'live connection silent past its heartbeat; cutting it');
      silent = true;
      ws.terminate();
    }, heartbeatTimeoutMs);
  }

  async function connect(): Promise<void> {
    if (!running) return;
    const mine = ++generation;
    setState('connecting', attempt === 0 && !renewing ? null : current.reason);
    let token: string;
    try {
      token = await deps.getAccessToken();
    } catch (error) {
      if (mine !== generation) return;
      if (error instanceof RefusedError && error.code === 'forbidden') {
        // The session has ended; the core stops this connection when it hears so. Nothing to retry with.
        setState('offline', 'Sign in again to receive calls.');
        return;
      }
      scheduleRetry('The central service cannot be reached.');
      return;
    }
    if (mine !== generation || !running) return;

    silent = false;
    let refusedStatus: number | null = null;
    const ws = new WebSocket(url, liveProtocols(token), {
      handshakeTimeout: deps.connectTimeoutMs ?? 10_000,
      maxPayload: MAX_FRAME_BYTES,
      perMessageDeflate: false,
    });
    socket = ws;
    ws.on('unexpected-response', (_request, response) => {
      refusedStatus = response.statusCode ?? 0;
      response.resume();
      ws.terminate();
    });
    ws.on('error', () => undefined); // every failure also ends in 'close', handled there
    ws.on('open', () => {
      if (mine !== generation) return;
      armWatchdog(ws, mine);
      setState('connected', null);
      log.info('live connection open');
    });
    ws.on('ping', () => {
      if (mine === generation) armWatchdog(ws, mine);
    });
    ws.on('message', (data, isBinary) => {
      if (mine !== generation) return;
      armWatchdog(ws, mine);
      receive(isBinary ? null : data.toString());
    });
    ws.on('close', (code) => {
      if (mine !== generation) return;
      socket = null;
      watchdog = clearTimer(watchdog);
      if (!running) return;
      if (code === liveCloseCodes.tokenExpired && !renewing) {
        log.info('live connection closed for token expiry; renewing and reconnecting');
        renewing = true;
        deps.invalidateAccessToken();
        setState('connecting', 'Renewing the sign-in.');
        void connect();
      } else if (refusedStatus === 401) {
        deps.invalidateAccessToken();
        scheduleRetry('The central service did not accept the sign-in; renewing it.');
      } else if (refusedStatus !== null) {
        scheduleRetry(`The central service refused the live connection (HTTP ${refusedStatus}).`);
      } else {
        scheduleRetry(silent ? 'No heartbeat from the central service.' : closeReason(code));
      }
    });
  }

  function receive(text: string | null): void {
    let raw: unknown;
    try {
      raw = text === null ? undefined : JSON.parse(text);
    } catch {
      raw = undefined;
    }
    const parsed = liveEventSchema.safeParse(raw);
    if (!parsed.success) {
      // The type and where the shape is wrong, never the values: they may be a caller's number or words.
      const type = typeof raw === 'object' && raw !== null && 'type' in raw && typeof raw.type === 'string' ? raw.type.slice(0, 40) : null;
      log.warn({ type, issues: parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.code}`) }, 'live event dropped: not valid');
      return;
    }
    if (parsed.data.type === 'snapshot') {
      attempt = 0;
      renewing = false;
    }
    deps.onEvent(parsed.data);
  }

  return {
    /** Connect, and keep connected until `stop`. Calling it while running does nothing. */
    start(): void {
      if (running) return;
      running = true;
      attempt = 0;
      renewing = false;
      void connect();
    },
    /** Disconnect and stop retrying (sign-out, app closing). */
    stop(reason = 'Signed out.'): void {
      if (!running) return;
      running = false;
      generation += 1;
      retryTimer = clearTimer(retryTimer);
      watchdog = clearTimer(watchdog);
      socket?.close(1000, 'signed out');
      socket = null;
      setState('offline', reason);
    },
    state: (): LiveConnectionState => current,
    running: (): boolean => running,
  };
}

export type LiveConnection = ReturnType<typeof createLiveConnection>;
