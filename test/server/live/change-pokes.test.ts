import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startChangePokes } from '../../../src-server/live/change-pokes';
import { createInProcessBus } from '../../../src-server/live/in-process-bus';
import type { LiveMessage } from '../../../src-server/live/live-bus';
import { encodeReference } from '../../../src-shared/domain/reference-number';
import { personMaker, type TestPerson } from '../api-harness';
import { openFreshStore } from '../store/fresh-store';
import type { OpenedStore } from '../store/store-contract';

const INTERVAL_MS = 20;
const settle = () => new Promise((resolve) => setTimeout(resolve, INTERVAL_MS * 5));

describe.each(['sqlite', 'postgres'] as const)('pokes to pull, from the change log (%s)', (dialect) => {
  let opened: OpenedStore;
  let teamA: string;
  let teamB: string;
  let handler: TestPerson;
  let heard: LiveMessage[];
  let stop: () => void;

  beforeEach(async () => {
    opened = await openFreshStore(dialect, { prefix: 'pokes' });
    teamA = (await opened.store.createTeam('Team A')).id;
    teamB = (await opened.store.createTeam('Team B')).id;
    handler = await (await personMaker(opened.store))('handler@a.test', 'handler', [teamA]);
    const bus = createInProcessBus();
    heard = [];
    bus.subscribe((message) => heard.push(message));
    const pokes = startChangePokes({ store: opened.store, bus, logger: pino({ level: 'silent' }), intervalMs: INTERVAL_MS });
    stop = pokes.stop;
    await pokes.ready;
  });
  afterEach(async () => {
    stop();
    await opened.cleanup();
  });

  it('says nothing while the change log stands still', async () => {
    await settle();
    expect(heard).toEqual([]);
  });

  it('pokes the desks of the team whose case changed, and only them, once per burst', async () => {
    const actor = { userId: handler.id, name: handler.name, role: 'handler' as const, teamIds: [teamA] };
    const at = new Date().toISOString();
    const mutations = [0, 1, 2].map((i) => ({ id: i + 1, name: 'case.create' as const, args: { caseId: uuidv7(), reference: encodeReference(7, i), type: 'feedback' as const, channel: 'phone' as const, callerId: null, at, eventId: uuidv7() } }));
    await opened.store.push(actor, randomUUID(), mutations);
    await expect.poll(() => heard.length, { timeout: 5000 }).toBeGreaterThan(0);
    await settle();
    expect(heard).toEqual([{ event: { type: 'changes' }, audience: { userId: null, teamIds: [teamA], minRole: 'handler' } }]);
    expect(heard[0]!.audience.teamIds).not.toContain(teamB);
  });

  it('pokes every desk for a change everyone pulls (reference data)', async () => {
    await opened.store.db.transaction().execute((tx) =>
      opened.store.recordChanges(tx, [{ teamId: '*', entity: 'category', entityId: 'transport', data: { id: 'transport', label: 'Transport' }, at: new Date().toISOString() }]),
    );
    await expect.poll(() => heard.length, { timeout: 5000 }).toBeGreaterThan(0);
    await settle();
    expect(heard).toEqual([{ event: { type: 'changes' }, audience: { userId: null, teamIds: null, minRole: 'handler' } }]);
  });
});
