import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenService } from '../../../src-server/auth/tokens';
import type { CentralStore } from '../../../src-server/store/central-store';
import { openSqliteStore } from '../../../src-server/store/open-store';
import { createTelephonyStore, type TelephonyStore } from '../../../src-server/store/telephony-store';
import { createRoutingEngine, type RoutingEngine } from '../../../src-server/telephony/routing-engine';
import { createManualScheduler, type ManualScheduler } from '../../../src-server/telephony/scheduler';
import { createSimulator } from '../../../src-server/telephony/simulator';
import type { Call, HandlerStatus } from '../../../src-shared/telephony/model';
import { listenTestApi, personMaker } from '../api-harness';
import { capturingLogger, tempDir } from '../../helpers';
import { memoryBus, recordingProvider, TEST_QUEUES } from './telephony-helpers';

interface World {
  base: string;
  store: CentralStore;
  telephonyStore: TelephonyStore;
  engine: RoutingEngine;
  scheduler: ManualScheduler;
  ids: Record<'handler' | 'colleague' | 'otherTeam' | 'supervisor' | 'admin', string>;
  tokens: Record<'handler' | 'colleague' | 'otherTeam' | 'supervisor' | 'admin', string>;
  // A response body is whatever JSON the route sent; each test reads the fields it checks.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; type: string; body: any }>;
  close(): Promise<void>;
}

/** The central API on loopback with the routing engine and the simulator, on a clock the test moves. */
async function startWorld(): Promise<World> {
  const dir = tempDir();
  const scheduler = createManualScheduler(Date.now());
  const store = await openSqliteStore(join(dir.path, 'central.sqlite3'), scheduler);
  const telephonyStore = createTelephonyStore(store.db, scheduler);
  const simulator = createSimulator({ clock: scheduler, scheduler, queues: () => TEST_QUEUES, ratesPerHour: { feedback: 0 } });
  const engine = createRoutingEngine({
    clock: scheduler,
    scheduler,
    // Calls in these tests are rung straight into the engine, so the line is a recording one; the simulator is only
    // driven through its routes.
    provider: recordingProvider(),
    bus: memoryBus(),
    store: telephonyStore,
    settings: { queues: () => TEST_QUEUES, dispositionIds: () => ['information-given', 'callback-needed'] },
  });
  simulator.attach(engine.events);
  await engine.start();
  const a = await store.createTeam('Team A');
  const b = await store.createTeam('Team B');
  const people = {
    handler: ['handler@a.test', 'handler', [a.id]],
    colleague: ['colleague@a.test', 'handler', [a.id]],
    otherTeam: ['handler@b.test', 'handler', [b.id]],
    supervisor: ['supervisor@a.test', 'supervisor', [a.id]],
    admin: ['admin@org.test', 'admin', []],
  } as const;
  const make = await personMaker(store);
  const ids = {} as World['ids'];
  for (const [key, [email, role, teamIds]] of Object.entries(people)) {
    ids[key as keyof World['ids']] = (await make(email, role, [...teamIds])).id;
  }
  const api = await listenTestApi({
    logger: capturingLogger('api').logger,
    clock: scheduler,
    store,
    // Tokens on the wall clock: the line's clock jumps hours ahead in some tests and would expire them.
    tokens: createTokenService(randomBytes(32), { now: () => Date.now() }),
    telephony: { engine, telephonyStore, simulator },
  });
  const { base } = api;
  const call: World['call'] = async (method, path, token, body) => {
    const response = await api.call(method, path, { token, body });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : null };
  };
  const tokens = {} as World['tokens'];
  for (const [key, [email]] of Object.entries(people)) tokens[key as keyof World['tokens']] = await api.tokenFor(email);
  return {
    base,
    store,
    telephonyStore,
    engine,
    scheduler,
    ids,
    tokens,
    call,
    async close() {
      await api.close();
      await engine.close();
      await store.close();
      dir.remove();
    },
  };
}

describe('the telephony routes', () => {
  let w: World;
  beforeEach(async () => {
    w = await startWorld();
  });
  afterEach(() => w.close());

  const ring = (queueId = 'feedback') => w.engine.events.callerQueued({ provider: 'simulator', providerCallId: `pc-${Math.random()}`, from: '+441134960123', queueId });

  it('takes a handler from ring to a stored call record: answer, hold, link, hang up, wrap up', async () => {
    const available = await w.call('PUT', '/telephony/me/state', w.tokens.handler, { state: 'available' });
    expect(available.status).toBe(200);
    expect((available.body as HandlerStatus).state).toBe('available');
    const ringing = ring();
    w.scheduler.advance(4_000);

    const notYours = await w.call('POST', `/telephony/calls/${ringing.id}/answer`, w.tokens.colleague);
    expect(notYours.status).toBe(409);
    expect(notYours.type).toMatch(/application\/problem\+json/);
    expect(notYours.body.detail).toMatch(/no longer ringing for you/);

    const answered = await w.call('POST', `/telephony/calls/${ringing.id}/answer`, w.tokens.handler);
    expect(answered.status).toBe(200);
    expect((answered.body as Call).state).toBe('connected');
    w.scheduler.advance(30_000);
    expect((await w.call('POST', `/telephony/calls/${ringing.id}/hold`, w.tokens.handler, { on: true })).body.state).toBe('held');
    w.scheduler.advance(12_000);
    expect((await w.call('POST', `/telephony/calls/${ringing.id}/hold`, w.tokens.handler, { on: false })).body.heldMs).toBe(12_000);
    expect((await w.call('PUT', `/telephony/calls/${ringing.id}/case`, w.tokens.handler, { caseId: 'case-42' })).body).toEqual({ callId: ringing.id, caseId: 'case-42' });
    w.scheduler.advance(60_000);
    expect((await w.call('POST', `/telephony/calls/${ringing.id}/hang-up`, w.tokens.handler)).body.state).toBe('wrap-up');

    const tooSoon = await w.call('PUT', '/telephony/me/state', w.tokens.handler, { state: 'available' });
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.body.detail).toMatch(/Choose a disposition/);
    const noDisposition = await w.call('POST', `/telephony/calls/${ringing.id}/wrap-up`, w.tokens.handler, {});
    expect(noDisposition.status).toBe(400);
    w.scheduler.advance(20_000);
    const wrapped = await w.call('POST', `/telephony/calls/${ringing.id}/wrap-up`, w.tokens.handler, { dispositionId: 'information-given' });
    expect(wrapped.status).toBe(200);
    expect(w.engine.handler(w.ids.handler)?.state).toBe('available');

    await w.engine.flush();
    expect(await w.telephonyStore.getCall(ringing.id)).toMatchObject({
      handlerId: w.ids.handler,
      caseId: 'case-42',
      outcome: 'answered',
      dispositionId: 'information-given',
      answerWaitMs: 4_000,
      heldMs: 12_000,
      talkMs: 90_000,
      wrapUpMs: 20_000,
      handleMs: 122_000,
      withinTarget: true,
      offers: 1,
    });
    const log = await w.telephonyStore.handlerStatesBetween(w.ids.handler, '2000-01-01', '2100-01-01');
    expect(log.map((entry) => entry.state)).toEqual(['available', 'ringing', 'on-call', 'wrap-up', 'available']);
  });

  it('declines, transfers and makes outbound calls over HTTP', async () => {
    await w.call('PUT', '/telephony/me/state', w.tokens.handler, { state: 'available' });
    w.scheduler.advance(1_000);
    await w.call('PUT', '/telephony/me/state', w.tokens.colleague, { state: 'available' });
    const call = ring();
    expect((await w.call('POST', `/telephony/calls/${call.id}/decline`, w.tokens.handler)).status).toBe(204);
    expect(w.engine.call(call.id)?.handlerId).toBe(w.ids.colleague);
    await w.call('POST', `/telephony/calls/${call.id}/answer`, w.tokens.colleague);
    const moved = await w.call('POST', `/telephony/calls/${call.id}/transfer`, w.tokens.colleague, { mode: 'cold', target: { kind: 'queue', queueId: 'question' } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ queueId: 'question', transferredFromCallId: call.id });
    expect(w.engine.call(moved.body.id)?.handlerId).toBe(w.ids.handler);

    const badNumber = await w.call('POST', '/telephony/calls/outbound', w.tokens.otherTeam, { to: '07700 900123' });
    expect(badNumber.status).toBe(422);
    expect(badNumber.body.detail).toBe('Enter a UK phone number, like 07400 123456.');
    const offline = await w.call('POST', '/telephony/calls/outbound', w.tokens.otherTeam, { to: '020 7946 0123' });
    expect(offline.status).toBe(409);
    await w.call('PUT', '/telephony/me/state', w.tokens.otherTeam, { state: 'available' });
    const outbound = await w.call('POST', '/telephony/calls/outbound', w.tokens.otherTeam, { to: '020 7946 0123', caseId: 'case-1' });
    expect(outbound.status).toBe(201);
    expect(outbound.body).toMatchObject({ direction: 'outbound', from: '+442079460123', caseId: 'case-1', state: 'connected' });
  });

  it('lets a supervisor manage handlers of their team only, and refuses handlers', async () => {
    const onBreak = await w.call('PUT', `/telephony/handlers/${w.ids.handler}/state`, w.tokens.supervisor, { state: 'break', reason: 'Training' });
    expect(onBreak.status).toBe(200);
    expect(onBreak.body).toMatchObject({ state: 'break', breakReason: 'Training' });
    const otherTeam = await w.call('PUT', `/telephony/handlers/${w.ids.otherTeam}/state`, w.tokens.supervisor, { state: 'available' });
    expect(otherTeam.status).toBe(403);
    expect((await w.call('PUT', `/telephony/handlers/${w.ids.colleague}/state`, w.tokens.handler, { state: 'offline' })).status).toBe(403);
    expect((await w.call('PUT', `/telephony/handlers/${w.ids.otherTeam}/state`, w.tokens.admin, { state: 'available' })).status).toBe(200);

    const unknown = await w.call('PUT', `/telephony/handlers/${w.ids.handler}/skills`, w.tokens.supervisor, { queueIds: ['nope'] });
    expect(unknown.status).toBe(422);
    const skills = await w.call('PUT', `/telephony/handlers/${w.ids.handler}/skills`, w.tokens.supervisor, { queueIds: ['question'] });
    expect(skills.body.skills).toEqual(['question']);
    expect((await w.telephonyStore.allSkills()).get(w.ids.handler)).toEqual(['question']);

    const mine = await w.call('GET', '/telephony/snapshot', w.tokens.handler);
    expect(mine.body.handlers.map((h: HandlerStatus) => h.handlerId)).toEqual([w.ids.handler]);
    expect(mine.body.queues.map((q: { queueId: string }) => q.queueId)).toEqual(['question']);
    const team = await w.call('GET', '/telephony/snapshot', w.tokens.supervisor);
    expect(team.body.handlers.map((h: HandlerStatus) => h.handlerId)).toEqual([w.ids.handler]);
    expect(team.body.queues).toHaveLength(4);
  });

  it('starts, steers and stops the simulator for supervisors', async () => {
    expect((await w.call('POST', '/telephony/simulator/start', w.tokens.handler, {})).status).toBe(403);
    const started = await w.call('POST', '/telephony/simulator/start', w.tokens.supervisor, { ratesPerHour: { question: 120 } });
    expect(started.body).toMatchObject({ running: true, ratesPerHour: { question: 120, feedback: 0 } });
    w.scheduler.advance(3_600_000);
    const read = await w.call('GET', '/telephony/simulator', w.tokens.admin);
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    const afterHour = read.body.callsGenerated;
    expect(afterHour).toBeGreaterThan(70);
    expect((await w.call('PUT', '/telephony/simulator/rates', w.tokens.supervisor, { ratesPerHour: { question: 0 } })).body.ratesPerHour.question).toBe(0);
    w.scheduler.advance(3_600_000);
    const stopped = await w.call('POST', '/telephony/simulator/stop', w.tokens.supervisor);
    expect(stopped.body).toMatchObject({ running: false, callsGenerated: afterHour });
    expect((await w.call('PUT', '/telephony/simulator/rates', w.tokens.supervisor, { ratesPerHour: { question: 99_999 } })).status).toBe(400);
  });

  it('describes the telephony routes in the OpenAPI document', async () => {
    const response = await fetch(`${w.base}/openapi.json`);
    const paths = Object.keys(((await response.json()) as { paths: Record<string, unknown> }).paths).filter((path) => path.startsWith('/telephony'));
    expect(paths).toEqual(expect.arrayContaining(['/telephony/snapshot', '/telephony/me/state', '/telephony/calls/{callId}/answer', '/telephony/calls/outbound', '/telephony/simulator/rates']));
  });
});
