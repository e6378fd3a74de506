import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenService } from '../../../src-server/auth/tokens';
import type { CentralStore } from '../../../src-server/store/central-store';
import { openSqliteStore } from '../../../src-server/store/open-store';
import { createTelephonyStore } from '../../../src-server/store/telephony-store';
import { createRoutingEngine, type RoutingEngine } from '../../../src-server/telephony/routing-engine';
import { createManualScheduler, type ManualScheduler } from '../../../src-server/telephony/scheduler';
import { TwilioCallRefusal } from '../../../src-server/telephony/twilio/twilio-provider';
import type { Call } from '../../../src-shared/telephony/model';
import { capturingLogger, tempDir } from '../../helpers';
import { listenTestApi, personMaker } from '../api-harness';
import { memoryBus, recordingProvider, TEST_QUEUES } from './telephony-helpers';

type Person = 'handler' | 'otherHandler' | 'supervisor' | 'otherSupervisor' | 'admin';

interface World {
  engine: RoutingEngine;
  scheduler: ManualScheduler;
  ids: Record<Person, string>;
  tokens: Record<Person, string>;
  /** What the line was asked to do, in order: `monitor <callId> <supervisorId> <mode>`. */
  monitored: string[];
  /** When set, the line refuses the next monitor request the way Twilio's provider does. */
  refuseWith: { error: Error | null };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  send(method: 'POST' | 'PUT', path: string, token: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** The central API on loopback over a line whose provider records monitor requests (Twilio's cloud is the edge). */
async function startWorld(): Promise<World> {
  const dir = tempDir();
  const scheduler = createManualScheduler(Date.now());
  const store: CentralStore = await openSqliteStore(join(dir.path, 'central.sqlite3'), scheduler);
  const telephonyStore = createTelephonyStore(store.db, scheduler);
  const monitored: string[] = [];
  const refuseWith: World['refuseWith'] = { error: null };
  const provider = {
    ...recordingProvider(),
    name: 'twilio' as const,
    async monitor(call: Call, supervisorId: string, mode: 'listen' | 'whisper') {
      if (refuseWith.error) throw refuseWith.error;
      monitored.push(`monitor ${call.id} ${supervisorId} ${mode}`);
    },
  };
  const engine = createRoutingEngine({ clock: scheduler, scheduler, provider, bus: memoryBus(), store: telephonyStore, settings: { queues: () => TEST_QUEUES } });
  await engine.start();
  const a = await store.createTeam('Team A');
  const b = await store.createTeam('Team B');
  const people: Record<Person, [string, 'handler' | 'supervisor' | 'admin', string[]]> = {
    handler: ['handler@a.test', 'handler', [a.id]],
    otherHandler: ['handler@b.test', 'handler', [b.id]],
    supervisor: ['supervisor@a.test', 'supervisor', [a.id]],
    otherSupervisor: ['supervisor@b.test', 'supervisor', [b.id]],
    admin: ['admin@org.test', 'admin', []],
  };
  const make = await personMaker(store);
  const ids = {} as World['ids'];
  for (const [key, [email, role, teamIds]] of Object.entries(people)) {
    ids[key as Person] = (await make(email, role, teamIds)).id;
  }
  const api = await listenTestApi({
    logger: capturingLogger('api').logger,
    clock: scheduler,
    store,
    tokens: createTokenService(randomBytes(32), { now: () => Date.now() }),
    telephony: { engine, telephonyStore, simulator: null },
  });
  const send: World['send'] = async (method, path, token, body) => {
    const response = await api.call(method, path, { token, body });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const tokens = {} as World['tokens'];
  for (const [key, [email]] of Object.entries(people)) tokens[key as Person] = await api.tokenFor(email);
  return {
    engine,
    scheduler,
    ids,
    tokens,
    monitored,
    refuseWith,
    send,
    async close() {
      await api.close();
      await engine.close();
      await store.close();
      dir.remove();
    },
  };
}

describe('listening in to a live call', () => {
  let w: World;
  beforeEach(async () => {
    w = await startWorld();
  });
  afterEach(() => w.close());

  const monitor = (callId: string, who: Person, mode: string) => w.send('POST', `/telephony/calls/${callId}/monitor`, w.tokens[who], { mode });

  /** A caller on this line, answered by the team A handler (who went available over HTTP, with their real teams). */
  async function liveCall(provider: 'twilio' | 'simulator'): Promise<Call> {
    expect((await w.send('PUT', '/telephony/me/state', w.tokens.handler, { state: 'available' })).status).toBe(200);
    const call = w.engine.events.callerQueued({ provider, providerCallId: `CA-${provider}`, from: '+441134960123', queueId: 'feedback' });
    const answered = await w.send('POST', `/telephony/calls/${call.id}/answer`, w.tokens.handler);
    expect(answered.status).toBe(200);
    return answered.body as Call;
  }

  it('adds the team’s supervisor to a Twilio call, muted to listen or as a coach to whisper', async () => {
    const call = await liveCall('twilio');
    const listen = await monitor(call.id, 'supervisor', 'listen');
    expect(listen.status).toBe(200);
    expect(listen.body).toMatchObject({ id: call.id, state: 'connected' });
    expect((await monitor(call.id, 'supervisor', 'whisper')).status).toBe(200);
    expect((await monitor(call.id, 'admin', 'listen')).status).toBe(200);
    expect(w.monitored).toEqual([`monitor ${call.id} ${w.ids.supervisor} listen`, `monitor ${call.id} ${w.ids.supervisor} whisper`, `monitor ${call.id} ${w.ids.admin} listen`]);
  });

  it('refuses a simulated call with a sentence, and asks nothing of the line', async () => {
    const call = await liveCall('simulator');
    const refused = await monitor(call.id, 'supervisor', 'listen');
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe('Listening in needs the Twilio line; this line is simulated.');
    expect(w.monitored).toEqual([]);
  });

  it('refuses handlers, supervisors of other teams, calls that are not live, and unknown modes', async () => {
    const call = await liveCall('twilio');
    expect((await monitor(call.id, 'handler', 'listen')).status).toBe(403);
    const otherTeam = await monitor(call.id, 'otherSupervisor', 'listen');
    expect(otherTeam.status).toBe(403);
    expect(otherTeam.body.detail).toMatch(/outside the teams you supervise/);
    expect((await monitor(call.id, 'supervisor', 'barge')).status).toBe(400);
    const unknown = await monitor('no-such-call', 'supervisor', 'listen');
    expect(unknown.status).toBe(409);
    expect(unknown.body.detail).toMatch(/not in progress/);

    expect((await w.send('POST', `/telephony/calls/${call.id}/hang-up`, w.tokens.handler)).status).toBe(200);
    expect((await monitor(call.id, 'supervisor', 'listen')).status).toBe(409);
    expect(w.monitored).toEqual([]);
  });

  it('passes on Twilio’s own refusal as a sentence the supervisor can act on', async () => {
    const call = await liveCall('twilio');
    w.refuseWith.error = new TwilioCallRefusal("The call's conference has not started yet. Try again in a moment.");
    const refused = await monitor(call.id, 'supervisor', 'whisper');
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe("The call's conference has not started yet. Try again in a moment.");
    w.refuseWith.error = new Error('socket hang up');
    const failed = await monitor(call.id, 'supervisor', 'listen');
    expect(failed.status).toBe(502);
    expect(failed.body.detail).toBe('Twilio could not add you to the call. Try again in a moment.');
  });
});

describe('the handler figures a supervisor sees', () => {
  let w: World;
  beforeEach(async () => {
    w = await startWorld();
  });
  afterEach(() => w.close());

  it('adds talk, hold and wrap-up of each handled call to the handler’s handle time today', async () => {
    const handlerTime = () => w.engine.handler(w.ids.handler)?.handleMsToday;
    expect((await w.send('PUT', '/telephony/me/state', w.tokens.handler, { state: 'available' })).status).toBe(200);
    expect(handlerTime()).toBe(0);
    for (const [index, talkMs] of [90_000, 30_000].entries()) {
      const call = w.engine.events.callerQueued({ provider: 'simulator', providerCallId: `CA-${index}`, from: '+441134960123', queueId: 'feedback' });
      await w.send('POST', `/telephony/calls/${call.id}/answer`, w.tokens.handler);
      w.scheduler.advance(talkMs);
      await w.send('POST', `/telephony/calls/${call.id}/hold`, w.tokens.handler, { on: true });
      w.scheduler.advance(10_000);
      await w.send('POST', `/telephony/calls/${call.id}/hang-up`, w.tokens.handler);
      w.scheduler.advance(20_000);
      expect((await w.send('POST', `/telephony/calls/${call.id}/wrap-up`, w.tokens.handler, { dispositionId: 'information-given' })).status).toBe(200);
    }
    expect(w.engine.handler(w.ids.handler)).toMatchObject({ callsHandledToday: 2, handleMsToday: 90_000 + 30_000 + 2 * (10_000 + 20_000) });
  });
});
