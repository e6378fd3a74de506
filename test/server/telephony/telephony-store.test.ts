import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTelephonyStore, type CallRecord } from '../../../src-server/store/telephony-store';
import { createRoutingEngine } from '../../../src-server/telephony/routing-engine';
import { createManualScheduler } from '../../../src-server/telephony/scheduler';
import { createTestDatabase, type TestDatabase } from '../../postgres';
import { openFreshStore } from '../store/fresh-store';
import type { OpenedStore } from '../store/store-contract';
import { memoryBus, ok, recordingProvider, TEST_QUEUES } from './telephony-helpers';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('care_desk_telephony');
});
afterAll(() => database?.drop());

const stores: Record<'SQLite' | 'PostgreSQL', (clock: { now(): number }) => Promise<OpenedStore>> = {
  SQLite: (clock) => openFreshStore('sqlite', { prefix: 'telephony', clock }),
  PostgreSQL: (clock) => openFreshStore('postgres', { prefix: 'telephony', clock, poolSize: 2, database }),
};

function record(overrides: Partial<CallRecord> = {}): CallRecord {
  return {
    id: 'call-1',
    provider: 'simulator',
    providerCallId: 'sim-1',
    direction: 'inbound',
    queueId: 'feedback',
    caseType: 'feedback',
    from: '+441134960123',
    handlerId: null,
    teamId: null,
    caseId: null,
    transferredFromCallId: null,
    enteredQueueAt: '2026-11-23T09:00:00.000Z',
    offeredAt: '2026-11-23T09:00:05.000Z',
    answeredAt: '2026-11-23T09:00:09.000Z',
    heldMs: 12_000,
    endedAt: '2026-11-23T09:05:00.000Z',
    wrapUpEndedAt: '2026-11-23T09:05:40.000Z',
    outcome: 'answered',
    dispositionId: 'information-given',
    answerWaitMs: 9_000,
    talkMs: 279_000,
    wrapUpMs: 40_000,
    handleMs: 331_000,
    withinTarget: true,
    offers: 2,
    ...overrides,
  };
}

describe.each(['SQLite', 'PostgreSQL'] as const)('the telephony store on %s', (kind) => {
  const scheduler = createManualScheduler(Date.parse('2026-11-23T10:00:00Z'));
  let opened: OpenedStore;
  let handlerId: string;
  beforeEach(async () => {
    opened = await stores[kind](scheduler);
    const team = await opened.store.createTeam(`Line ${randomBytes(3).toString('hex')}`);
    handlerId = (await opened.store.createUser({ email: `h-${randomBytes(3).toString('hex')}@a.test`, name: 'Handler', role: 'handler', teamIds: [team.id], passwordHash: 'x' })).id;
  });
  afterEach(() => opened.cleanup());

  it('writes a finished call once, however often it is sent', async () => {
    const telephony = createTelephonyStore(opened.store.db, scheduler);
    const first = record({ handlerId });
    expect(await telephony.recordCall(first)).toBe(true);
    expect(await telephony.recordCall({ ...first, outcome: 'changed-on-retry', dispositionId: 'callback-needed' })).toBe(false);
    expect(await telephony.getCall('call-1')).toEqual(first);
    expect(await telephony.callsEndedBetween('2026-11-23T00:00:00Z', '2026-11-24T00:00:00Z')).toEqual([first]);
  });

  it('links a case to a finished call of that handler only', async () => {
    const telephony = createTelephonyStore(opened.store.db, scheduler);
    await telephony.recordCall(record({ handlerId }));
    expect(await telephony.linkCase('call-1', 'case-9', 'someone-else')).toBe(false);
    expect(await telephony.linkCase('call-1', 'case-9', handlerId)).toBe(true);
    expect((await telephony.getCall('call-1'))?.caseId).toBe('case-9');
  });

  it('keeps skills and the handler state log', async () => {
    const telephony = createTelephonyStore(opened.store.db, scheduler);
    await telephony.setSkills(handlerId, ['feedback', 'question']);
    await telephony.setSkills(handlerId, ['question', 'general']);
    expect(await telephony.allSkills()).toEqual(new Map([[handlerId, ['general', 'question']]]));
    await telephony.logHandlerStates([
      { handlerId, state: 'available', breakReason: null, callId: null, at: '2026-11-23T09:00:00.000Z' },
      { handlerId, state: 'ringing', breakReason: null, callId: 'c1', at: '2026-11-23T09:00:00.000Z' },
      { handlerId, state: 'break', breakReason: 'Lunch', callId: null, at: '2026-11-23T12:00:00.000Z' },
    ]);
    const log = await telephony.handlerStatesBetween(handlerId, '2026-11-23T00:00:00.000Z', '2026-11-23T12:00:00.000Z');
    expect(log.map((entry) => entry.state)).toEqual(['available', 'ringing']);
  });

  it('starts a restarted engine from the day’s stored figures and skills', async () => {
    const telephony = createTelephonyStore(opened.store.db, scheduler);
    const engine = createRoutingEngine({ clock: scheduler, scheduler, provider: recordingProvider(), bus: memoryBus(), store: telephony, settings: { queues: () => TEST_QUEUES } });
    await engine.start();
    const profile = { handlerId, name: 'Handler', teamIds: ['t'] };
    ok(engine.setHandlerState(profile, { state: 'available' }, 'self'));
    const answered = engine.events.callerQueued({ provider: 'simulator', providerCallId: 'a', from: '+441134960001', queueId: 'question' });
    scheduler.advance(5_000);
    ok(engine.answer(handlerId, answered.id));
    ok(engine.hangUp(handlerId, answered.id));
    ok(engine.wrapUp(handlerId, answered.id, { dispositionId: 'information-given' }));
    ok(engine.setHandlerState(profile, { state: 'offline' }, 'self'));
    const abandoned = engine.events.callerQueued({ provider: 'simulator', providerCallId: 'b', from: '+441134960002', queueId: 'question' });
    scheduler.advance(70_000);
    engine.events.callerHungUp(abandoned.providerCallId);
    await engine.close();
    await telephony.setSkills(handlerId, ['general']);

    const again = createRoutingEngine({ clock: scheduler, scheduler, provider: recordingProvider(), bus: memoryBus(), store: createTelephonyStore((await opened.reopen()).db, scheduler), settings: { queues: () => TEST_QUEUES } });
    await again.start();
    expect(again.queueFigures().find((q) => q.queueId === 'question')).toMatchObject({ answeredToday: 1, abandonedToday: 1, answeredWithinTargetToday: 1, totalAnswerWaitMsToday: 5_000 });
    expect(again.registerHandler(profile).skills).toEqual(['general']);
    expect((await telephony.getCall(abandoned.id))?.outcome).toBe('abandoned');
  });
});
