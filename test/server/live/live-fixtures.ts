import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { createTokenService } from '../../../src-server/auth/tokens';
import type { LiveAudience, LiveBus, LiveMessage } from '../../../src-server/live/live-bus';
import type { LiveOptions } from '../../../src-server/live/live-socket';
import type { CentralStore } from '../../../src-server/store/central-store';
import { LIVE_PATH, liveProtocols } from '../../../src-shared/telephony/live-protocol';
import { blankCall, liveEventSchema, type Call, type LiveEvent, type QueueFigures } from '../../../src-shared/telephony/model';
import { capturingLogger } from '../../helpers';
import { listenTestApi, personMaker, type TestApi } from '../api-harness';

export const AT = '2026-11-21T09:00:00.000Z';

export function call(overrides: Partial<Call> = {}): Call {
  return blankCall({
    id: 'call-1',
    providerCallId: 'SIM-1',
    provider: 'simulator',
    direction: 'inbound',
    queueId: 'feedback',
    caseType: 'feedback',
    from: '+447700900123',
    state: 'offered',
    enteredQueueAt: AT,
    offeredAt: AT,
    ...overrides,
  });
}

export function offer(handlerId: string, callId = 'call-1'): LiveEvent {
  return { type: 'offer', offer: { call: call({ id: callId, handlerId }), handlerId, expiresAt: AT } };
}

export function queueEvent(queueId: string, waiting = 1): LiveEvent {
  return { type: 'queue', figures: queueFigures(queueId, waiting) };
}

export function queueFigures(queueId: string, waiting = 1): QueueFigures {
  return {
    queueId,
    name: queueId,
    waiting,
    longestWaitingSince: AT,
    answeredToday: 0,
    abandonedToday: 0,
    answeredWithinTargetToday: 0,
    totalAnswerWaitMsToday: 0,
    handlersByState: { available: 1, ringing: 0, 'on-call': 0, 'wrap-up': 0, break: 0, offline: 0, 'not-responding': 0 },
  };
}

/** A call event whose caller script makes it about `bytes` long, with multi-byte characters in it. */
export function bigCallEvent(bytes: number, id = 'call-big'): LiveEvent {
  const line = 'Caller says: my appointment at the café was moved 🙁 and nobody told me. ';
  const lines = Array.from({ length: Math.ceil(bytes / Buffer.byteLength(line)) }, (_, i) => `${i} ${line}`);
  return { type: 'call', call: call({ id, state: 'connected', script: { scenario: 'training', lines } }) };
}

export function message(event: LiveEvent, audience: Partial<LiveAudience> = {}): LiveMessage {
  return { event, audience: { userId: null, teamIds: null, minRole: 'handler', ...audience } };
}

/** Two teams and one person of each kind, as the REST tests have them. */
export async function seedPeople(store: CentralStore) {
  const a = await store.createTeam('Team A');
  const b = await store.createTeam('Team B');
  const make = await personMaker(store);
  return {
    teams: { a: a.id, b: b.id },
    handler: await make('handler@a.test', 'handler', [a.id]),
    otherHandler: await make('handler@b.test', 'handler', [b.id]),
    supervisor: await make('supervisor@a.test', 'supervisor', [a.id]),
  };
}
export type People = Awaited<ReturnType<typeof seedPeople>>;

export type LiveApi = TestApi;

/** The API with `/live` on loopback. */
export function startLiveApi(options: {
  store: CentralStore;
  live: LiveOptions;
  clock: { now(): number };
  secret?: Buffer;
  port?: number;
  logger?: ReturnType<typeof capturingLogger>;
}): Promise<LiveApi> {
  return listenTestApi(
    {
      logger: (options.logger ?? capturingLogger('api')).logger,
      clock: options.clock,
      store: options.store,
      tokens: createTokenService(options.secret ?? randomBytes(32), options.clock),
      live: options.live,
    },
    { port: options.port },
  );
}

export function tokenFor(api: LiveApi, person: People['handler']): string {
  // The people the fixtures made have never had their sessions ended: their first generation.
  return api.tokens.issueAccessToken(person, 0).token;
}

/** A test's view of one `/live` socket: every event received in order, and a way to wait for the next ones. */
export interface LiveClient {
  ws: WebSocket;
  events: LiveEvent[];
  /** Resolves with the first received event (from the start) that matches and was not taken before. */
  next(match?: (event: LiveEvent) => boolean): Promise<LiveEvent>;
  closed: Promise<{ code: number; reason: string }>;
}

export function connectLive(base: string, protocols: string[] | null, options: WebSocket.ClientOptions = {}, query = ''): Promise<LiveClient> {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}${LIVE_PATH}${query}`, protocols ?? [], options);
  const events: LiveEvent[] = [];
  let taken = 0;
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    events.push(liveEventSchema.parse(JSON.parse(data.toString())));
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const client: LiveClient = {
    ws,
    events,
    closed,
    next(match = () => true) {
      return new Promise((resolve) => {
        const look = () => {
          for (let i = taken; i < events.length; i++) {
            if (match(events[i]!)) {
              taken = i + 1;
              resolve(events[i]!);
              return;
            }
          }
          waiters.push(look);
        };
        look();
      });
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    ws.once('error', reject);
  });
}

export function connectAs(api: LiveApi, person: People['handler'], options: WebSocket.ClientOptions = {}): Promise<LiveClient> {
  return connectLive(api.base, liveProtocols(tokenFor(api, person)), options);
}

/** Waits until `check` holds, looking again on every turn of the event loop (no fixed sleeps). */
export async function until(check: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
  for (let i = 0; i < 20_000; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export type { LiveBus };
