import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CentralStore } from '../../../src-server/store/central-store';
import { createReferenceStore, type ReferenceStore } from '../../../src-server/store/reference-store';
import type { Change } from '../../../src-shared/sync/protocol';
import { manualClock } from '../../helpers';
import { createTestDatabase, type TestDatabase } from '../../postgres';
import { openFreshStore } from './fresh-store';
import { fixtures, type OpenedStore } from './store-contract';

let database: TestDatabase;

const dialects: [string, (clock: { now(): number }) => Promise<OpenedStore>][] = [
  ['SQLite', (clock) => openFreshStore('sqlite', { prefix: 'reference', clock })],
  ['PostgreSQL', (clock) => openFreshStore('postgres', { prefix: 'reference', clock, database })],
];

beforeAll(async () => {
  database = await createTestDatabase('care_desk_reference');
});
afterAll(() => database?.drop());

describe.each(dialects)('reference data on the %s store', (_name, open) => {
  const clock = manualClock(Date.parse('2026-11-21T09:00:00Z'));
  let opened: OpenedStore;
  let store: CentralStore;
  let reference: ReferenceStore;
  let f: ReturnType<typeof fixtures>;

  beforeEach(async () => {
    opened = await open(clock);
    store = opened.store;
    reference = createReferenceStore(store.db, clock);
    f = fixtures(store, clock);
  });
  afterEach(() => opened.cleanup());

  const ofEntity = (changes: Change[], entity: Change['entity']) => changes.filter((change) => change.entity === entity);

  it('delivers every provider, queue, disposition and category change to the handlers of every team by pull', async () => {
    const teamA = await f.team();
    const teamB = await f.team();
    const asha = f.desk(await f.person('handler', [teamA.id]));
    const ben = f.desk(await f.person('handler', [teamB.id]));

    const provider = await reference.createProvider({ odsCode: 'RJ7', name: 'St George’s Hospital', kind: 'acute trust', departments: ['Maternity', 'Cardiology'], contactEmail: 'feedback@trust.example', active: true });
    expect(provider).toMatchObject({ ok: true, value: { id: 'provider-rj7', departments: ['Maternity', 'Cardiology'], contactEmail: 'feedback@trust.example' } });
    await reference.createQueue({ id: 'urgent', name: 'Urgent concerns', caseType: 'feedback', active: true });
    await reference.createDisposition({ id: 'resolved', label: 'Resolved', resolves: true, active: true });
    await reference.updateCategory('food', { label: 'Food and drink' });
    await reference.updateProvider('provider-rj7', { name: 'St George’s University Hospitals', active: false });

    for (const desk of [asha, ben]) {
      const { changes } = await desk.pullAll();
      expect(ofEntity(changes, 'provider').map((change) => change.data)).toEqual([
        expect.objectContaining({ id: 'provider-rj7', name: 'St George’s Hospital', active: true }),
        expect.objectContaining({ id: 'provider-rj7', name: 'St George’s University Hospitals', active: false, departments: ['Maternity', 'Cardiology'] }),
      ]);
      expect(ofEntity(changes, 'queue').map((change) => change.data)).toEqual([{ id: 'urgent', name: 'Urgent concerns', caseType: 'feedback', active: true }]);
      expect(ofEntity(changes, 'disposition').map((change) => change.data)).toEqual([{ id: 'resolved', label: 'Resolved', resolves: true, sortOrder: 0, active: true }]);
      expect(ofEntity(changes, 'category').map((change) => change.data)).toEqual([{ id: 'food', label: 'Food and drink', highPriorityAllowed: true, sortOrder: 8, active: true }]);
    }
    const read = await reference.readAll();
    expect(read.categories).toHaveLength(13);
    expect(read.categories.find((category) => category.id === 'food')?.label).toBe('Food and drink');
    expect(read.providers).toEqual([expect.objectContaining({ odsCode: 'RJ7', active: false })]);
  });

  it('refuses a second provider with the same organisation code, a taken id, and rows that do not exist, writing nothing', async () => {
    const team = await f.team();
    const desk = f.desk(await f.person('handler', [team.id]));
    await reference.createProvider({ odsCode: 'RJ7', name: 'One', kind: 'acute trust', departments: [], contactEmail: null, active: true });
    const before = (await desk.pullAll()).cursor;

    expect(await reference.createProvider({ odsCode: 'RJ7', name: 'Two', kind: 'acute trust', departments: [], contactEmail: null, active: true })).toMatchObject({ ok: false, status: 409 });
    await reference.createProvider({ odsCode: 'RJ8', name: 'Three', kind: 'acute trust', departments: [], contactEmail: null, active: true });
    expect(await reference.updateProvider('provider-rj8', { odsCode: 'RJ7' })).toMatchObject({ ok: false, status: 409 });
    await reference.createQueue({ id: 'feedback', name: 'Feedback', caseType: 'feedback', active: true });
    expect(await reference.createQueue({ id: 'feedback', name: 'Again', caseType: null, active: true })).toMatchObject({ ok: false, status: 409 });
    expect(await reference.updateQueue('no-such-queue', { name: 'x' })).toMatchObject({ ok: false, status: 404 });
    expect(await reference.updateCategory('not-a-category', { label: 'x' })).toMatchObject({ ok: false, status: 404 });

    const { changes } = await desk.pullAll(before);
    expect(changes.map((change) => [change.entity, change.entityId])).toEqual([
      ['provider', 'provider-rj8'],
      ['queue', 'feedback'],
    ]);
  });

  it('tells each team’s desks who is in the team, without email or password, and who has left it', async () => {
    const teamA = await f.team();
    const teamB = await f.team();
    const asha = f.desk(await f.person('handler', [teamA.id], 'Asha'));
    const ben = f.desk(await f.person('handler', [teamB.id], 'Ben'));
    const aCursor = (await asha.pullAll()).cursor;
    const bCursor = (await ben.pullAll()).cursor;

    const email = `${randomUUID()}@example.nhs.uk`;
    const cara = await store.createUser({ email, name: 'Cara', role: 'supervisor', teamIds: [teamA.id], passwordHash: 'scrypt$secret-hash' });
    await store.updateUser(cara.id, { teamIds: [teamB.id], name: 'Cara Jones' });
    await store.updateUser(cara.id, { disabled: true });

    const seenByA = ofEntity((await asha.pullAll(aCursor)).changes, 'user');
    const seenByB = ofEntity((await ben.pullAll(bCursor)).changes, 'user');
    expect(seenByA.map((change) => change.data)).toEqual([
      { id: cara.id, teamId: teamA.id, name: 'Cara', role: 'supervisor', active: true, member: true },
      { id: cara.id, teamId: teamA.id, name: 'Cara Jones', role: 'supervisor', active: true, member: false },
    ]);
    expect(seenByB.map((change) => change.data)).toEqual([
      { id: cara.id, teamId: teamB.id, name: 'Cara Jones', role: 'supervisor', active: true, member: true },
      { id: cara.id, teamId: teamB.id, name: 'Cara Jones', role: 'supervisor', active: false, member: true },
    ]);
    const text = JSON.stringify([...seenByA, ...seenByB]);
    expect(text).not.toContain(email);
    expect(text).not.toContain('secret-hash');
  });

  it('takes change numbers from the shared counter, so reference changes interleave with case changes in commit order', async () => {
    const team = await f.team();
    const desk = f.desk(await f.person('handler', [team.id]));
    await desk.push([desk.createCase()]);
    await reference.createQueue({ id: 'general', name: 'General enquiries', caseType: 'general-enquiry', active: true });
    await desk.push([desk.createCase()]);

    const { changes, cursor } = await desk.pullAll();
    const seqs = changes.map((change) => change.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(changes.map((change) => change.entity).filter((entity) => entity !== 'caseEvent' && entity !== 'user')).toEqual(['case', 'queue', 'case']);
    expect(cursor).toBe(seqs.at(-1));
  });
});
