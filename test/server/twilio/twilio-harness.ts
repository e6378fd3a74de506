import { join } from 'node:path';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import type { TwilioDeps } from '../../../src-server/routes/twilio';
import type { CentralStore } from '../../../src-server/store/central-store';
import { openSqliteStore } from '../../../src-server/store/open-store';
import type { TelephonyEvents } from '../../../src-server/telephony/provider';
import { createTwilioCallStore } from '../../../src-server/telephony/twilio/twilio-call-store';
import type { TwilioConfig } from '../../../src-server/telephony/twilio/twilio-config';
import type { AddParticipantOptions, TwilioRestClient, UpdateParticipantOptions } from '../../../src-server/telephony/twilio/twilio-rest-client';
import { blankCall, type Call } from '../../../src-shared/telephony/model';
import { capturingLogger, manualClock, tempDir } from '../../helpers';
import { listenTestApi, personMaker, type TestApi, type TestPerson } from '../api-harness';

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
  return blankCall({ id, providerCallId, provider: 'twilio', direction: 'inbound', queueId: 'general', from: '+447400123456', ...overrides });
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

export interface TwilioHarness extends TestApi {
  store: CentralStore;
  clock: ReturnType<typeof manualClock>;
  log: ReturnType<typeof capturingLogger>;
  engine: ReturnType<typeof fakeEvents>;
  cloud: ReturnType<typeof fakeRest>;
  calls: ReturnType<typeof createTwilioCallStore>;
  users: Record<'handler' | 'otherHandler' | 'supervisor' | 'admin', TestPerson>;
  /** POSTs a form to a webhook path (with query), signed for PUBLIC_URL + path unless a signature is given. */
  webhook(pathAndQuery: string, params: Record<string, string>, options?: { signature?: string | null; body?: string }): Promise<Response>;
}

/** The central API with Twilio configured, on loopback over a fresh SQLite store, with fakes for Twilio's cloud and the engine. */
export async function startTwilioApi(options: { config?: Partial<TwilioConfig>; twilio?: false } = {}): Promise<TwilioHarness> {
  const dir = tempDir();
  const clock = manualClock(Date.now());
  const log = capturingLogger('central-api');
  const store = await openSqliteStore(join(dir.path, 'central.sqlite3'), clock);
  const team = await store.createTeam('Team A');
  const make = await personMaker(store);
  const users = {
    handler: await make('handler@a.test', 'handler', [team.id]),
    otherHandler: await make('other@a.test', 'handler', [team.id]),
    supervisor: await make('supervisor@a.test', 'supervisor', [team.id]),
    admin: await make('admin@org.test', 'admin', []),
  };
  const engine = fakeEvents();
  const cloud = fakeRest();
  const twilio: TwilioDeps = { config: { ...testTwilioConfig, ...options.config }, events: engine.events, rest: cloud.rest };
  const api = await listenTestApi({ logger: log.logger, clock, store, ...(options.twilio === false ? {} : { twilio }) });
  return {
    ...api,
    store,
    clock,
    log,
    engine,
    cloud,
    calls: createTwilioCallStore(store.db, clock),
    users,
    webhook(pathAndQuery, params, webhookOptions = {}) {
      const signature = webhookOptions.signature === undefined ? twilioSignature(`${PUBLIC_URL}${pathAndQuery}`, params) : webhookOptions.signature;
      return fetch(`${api.base}${pathAndQuery}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature !== null ? { 'x-twilio-signature': signature } : {}) },
        body: webhookOptions.body ?? new URLSearchParams(params).toString(),
      });
    },
    async close() {
      await api.close();
      await store.close();
      dir.remove();
    },
  };
}

/** A CallSid-shaped id. */
export function callSid(n: number): string {
  return `CA${n.toString(16).padStart(32, 'f')}`;
}
