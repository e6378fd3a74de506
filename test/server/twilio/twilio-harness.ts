import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { buildApi } from '../../../src-server/app';
import { hashPassword } from '../../../src-server/auth/passwords';
import { createTokenService } from '../../../src-server/auth/tokens';
import type { TwilioDeps } from '../../../src-server/routes/twilio';
import type { CentralStore } from '../../../src-server/store/central-store';
import { openSqliteStore } from '../../../src-server/store/open-store';
import type { TelephonyEvents } from '../../../src-server/telephony/provider';
import { createTwilioCallStore } from '../../../src-server/telephony/twilio/twilio-call-store';
import type { TwilioConfig } from '../../../src-server/telephony/twilio/twilio-config';
import type { AddParticipantOptions, TwilioRestClient, UpdateParticipantOptions } from '../../../src-server/telephony/twilio/twilio-rest-client';
import type { Call } from '../../../src-shared/telephony/model';
import { capturingLogger, manualClock, tempDir } from '../../helpers';
import { PASSWORD, TEST_PASSWORD_COST } from '../api-harness';

/** Where Twilio would reach the API: deliberately not the loopback address the test connects to. */
export const PUBLIC_URL = 'https://care-line.example.org';

export const testTwilioConfig: TwilioConfig = {
  accountSid: `AC${'1'.repeat(32)}`,
  authToken: 'auth-token-for-tests-0123456789',
  apiKeySid: `SK${'2'.repeat(32)}`,
  apiKeySecret: 'api-key-secret-for-tests-0123456789',
  twimlAppSid: `AP${'3'.repeat(32)}`,
  callerId: '+441134960000',
  publicUrl: PUBLIC_URL,
  tokenTtlSeconds: 3600,
  holdMusicUrl: 'https://music.example.org/hold.mp3',
};

/** A call as the routing engine would return it from `callerQueued`. */
export function engineCall(id: string, providerCallId: string, overrides: Partial<Call> = {}): Call {
  return {
    id,
    providerCallId,
    provider: 'twilio',
    direction: 'inbound',
    queueId: 'general',
    caseType: null,
    from: '+447400123456',
    state: 'waiting',
    handlerId: null,
    caseId: null,
    enteredQueueAt: null,
    offeredAt: null,
    answeredAt: null,
    holdStartedAt: null,
    heldMs: 0,
    endedAt: null,
    wrapUpEndedAt: null,
    outcome: null,
    dispositionId: null,
    script: null,
    ...overrides,
  };
}

/** The routing engine's side, reduced to a record of what it was told. */
export function fakeEvents() {
  const queued: Parameters<TelephonyEvents['callerQueued']>[0][] = [];
  const hungUp: string[] = [];
  let next = 0;
  const events: TelephonyEvents = {
    callerQueued(input) {
      queued.push(input);
      next += 1;
      return engineCall(`call-${next}`, input.providerCallId, { queueId: input.queueId, from: input.from });
    },
    callerHungUp(providerCallId) {
      hungUp.push(providerCallId);
    },
  };
  return { events, queued, hungUp };
}

export type RestRequest =
  | { op: 'addParticipant'; conference: string; options: AddParticipantOptions }
  | { op: 'updateParticipant'; conferenceSid: string; participant: string; options: UpdateParticipantOptions }
  | { op: 'removeParticipant'; conferenceSid: string; participant: string }
  | { op: 'endCall'; callSid: string }
  | { op: 'findConferenceSid'; friendlyName: string };

/** Twilio's REST API, reduced to a record of the requests it was sent and made-up SIDs in return. */
export function fakeRest(options: { conferenceSid?: string | null } = {}) {
  const requests: RestRequest[] = [];
  let legs = 0;
  const conferenceSid = options.conferenceSid === undefined ? `CF${'a'.repeat(32)}` : options.conferenceSid;
  const rest: TwilioRestClient = {
    async addParticipant(conference, participantOptions) {
      requests.push({ op: 'addParticipant', conference, options: participantOptions });
      legs += 1;
      return { callSid: `CA${String(legs).padStart(32, '0')}`, conferenceSid: conferenceSid ?? `CF${'b'.repeat(32)}` };
    },
    async updateParticipant(sid, participant, update) {
      requests.push({ op: 'updateParticipant', conferenceSid: sid, participant, options: update });
    },
    async removeParticipant(sid, participant) {
      requests.push({ op: 'removeParticipant', conferenceSid: sid, participant });
    },
    async endCall(callSid) {
      requests.push({ op: 'endCall', callSid });
    },
    async findConferenceSid(friendlyName) {
      requests.push({ op: 'findConferenceSid', friendlyName });
      return conferenceSid;
    },
  };
  return { rest, requests };
}

/** Signs form parameters the way Twilio does, for the given full URL. */
export function twilioSignature(url: string, params: Record<string, string>, authToken = testTwilioConfig.authToken): string {
  return getExpectedTwilioSignature(authToken, url, params);
}

export interface TwilioHarness {
  app: FastifyInstance;
  base: string;
  store: CentralStore;
  clock: ReturnType<typeof manualClock>;
  log: ReturnType<typeof capturingLogger>;
  engine: ReturnType<typeof fakeEvents>;
  cloud: ReturnType<typeof fakeRest>;
  calls: ReturnType<typeof createTwilioCallStore>;
  users: Record<'handler' | 'otherHandler' | 'supervisor' | 'admin', { id: string; email: string }>;
  /** POSTs a form to a webhook path (with query), signed for PUBLIC_URL + path unless a signature is given. */
  webhook(pathAndQuery: string, params: Record<string, string>, options?: { signature?: string | null; body?: string }): Promise<Response>;
  tokenFor(email: string): Promise<string>;
  call(method: string, path: string, options?: { token?: string; body?: unknown; rawBody?: string; contentType?: string }): Promise<Response>;
  close(): Promise<void>;
}

/** The central API with Twilio configured, on loopback over a fresh SQLite store, with fakes for Twilio's cloud and the engine. */
export async function startTwilioApi(options: { config?: Partial<TwilioConfig>; twilio?: false } = {}): Promise<TwilioHarness> {
  const dir = tempDir();
  const clock = manualClock(Date.now());
  const log = capturingLogger('central-api');
  const store = await openSqliteStore(join(dir.path, 'central.sqlite3'), clock);
  const team = await store.createTeam('Team A');
  const passwordHash = await hashPassword(PASSWORD, TEST_PASSWORD_COST);
  const make = async (email: string, role: 'handler' | 'supervisor' | 'admin') => ({
    id: (await store.createUser({ email, name: email.split('@')[0]!, role, teamIds: role === 'admin' ? [] : [team.id], passwordHash })).id,
    email,
  });
  const users = {
    handler: await make('handler@a.test', 'handler'),
    otherHandler: await make('other@a.test', 'handler'),
    supervisor: await make('supervisor@a.test', 'supervisor'),
    admin: await make('admin@org.test', 'admin'),
  };
  const engine = fakeEvents();
  const cloud = fakeRest();
  const twilio: TwilioDeps = { config: { ...testTwilioConfig, ...options.config }, events: engine.events, rest: cloud.rest };
  const app = buildApi({
    logger: log.logger,
    version: '1.0.0',
    clock,
    store,
    tokens: createTokenService(randomBytes(32), clock),
    passwordCost: TEST_PASSWORD_COST,
    ...(options.twilio === false ? {} : { twilio }),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const base = `http://127.0.0.1:${address.port}`;

  const call: TwilioHarness['call'] = (method, path, callOptions = {}) => {
    const body = callOptions.rawBody ?? (callOptions.body !== undefined ? JSON.stringify(callOptions.body) : undefined);
    return fetch(`${base}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': callOptions.contentType ?? 'application/json' } : {}),
        ...(callOptions.token ? { authorization: `Bearer ${callOptions.token}` } : {}),
      },
      ...(body !== undefined ? { body } : {}),
    });
  };
  return {
    app,
    base,
    store,
    clock,
    log,
    engine,
    cloud,
    calls: createTwilioCallStore(store.db, clock),
    users,
    webhook(pathAndQuery, params, webhookOptions = {}) {
      const signature = webhookOptions.signature === undefined ? twilioSignature(`${PUBLIC_URL}${pathAndQuery}`, params) : webhookOptions.signature;
      return fetch(`${base}${pathAndQuery}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature !== null ? { 'x-twilio-signature': signature } : {}) },
        body: webhookOptions.body ?? new URLSearchParams(params).toString(),
      });
    },
    async tokenFor(email) {
      const response = await call('POST', '/auth/sign-in', { body: { email, password: PASSWORD } });
      if (response.status !== 200) throw new Error(`sign-in failed for ${email}: ${response.status}`);
      return ((await response.json()) as { accessToken: string }).accessToken;
    },
    call,
    async close() {
      await app.close();
      await store.close();
      dir.remove();
    },
  };
}

/** A CallSid-shaped id. */
export function callSid(n: number): string {
  return `CA${n.toString(16).padStart(32, 'f')}`;
}
