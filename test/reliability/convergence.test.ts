import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src-server/store/central-store';
import { startReliabilityWorld, type Desk, type ReliabilityWorld } from './reliability-world';
import { STORE_KINDS } from './test-stores';

const DESCRIPTION = {
  first: 'Caller waited four hours in A&E before being seen.',
  asha: 'Caller waited four hours in A&E; the triage nurse did not explain the wait.',
  ben: 'Caller waited five hours in A&E.',
  sam: 'Caller waited in A&E; see the notes.',
};

/** What a desk's cache says about the case: what every desk must agree on, and the notes, and the conflict log. */
function localCopy(desk: Desk, caseId: string) {
  const detail = desk.core.cases.get(caseId);
  const conflicts = desk.core.db
    .prepare<[string], { field: string; losing_by: string | null; losing_value: string }>('SELECT field, losing_by, losing_value FROM case_conflicts WHERE case_id = ?')
    .all(caseId)
    .map((row) => ({ field: row.field, losingBy: row.losing_by, losingValue: JSON.parse(row.losing_value) as unknown }));
  return {
    state: { reference: detail.reference, status: detail.status, closedAt: detail.closedAt, fields: detail.fields },
    notes: detail.timeline.filter((event) => event.kind === 'note').map((event) => ({ id: event.id, body: event.body })),
    conflicts,
  };
}

const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));
const byField = <T extends { field: string; losingBy: string | null }>(items: T[]) =>
  [...items].sort((a, b) => `${a.field}${a.losingBy}`.localeCompare(`${b.field}${b.losingBy}`));

describe.each(STORE_KINDS)('three desks editing one case at once, on %s', (kind) => {
  let world: ReliabilityWorld;
  beforeEach(async () => {
    world = await startReliabilityWorld(kind, { seed: 7 });
  });
  afterEach(() => world.close());

  it('leaves the case the same on every desk, keeps every note once and logs the edits that lost, after offline edits and a lost answer', async () => {
    const { asha: ashaPerson, ben: benPerson, sam: samPerson } = world.people;
    const asha = await world.desk('asha', ashaPerson);
    const ben = await world.desk('ben', benPerson);
    const sam = await world.desk('sam', samPerson);

    // Asha logs the call; everyone has the case.
    const created = asha.core.cases.create({ type: 'feedback', channel: 'phone' });
    asha.core.cases.updateField(created.id, 'description', DESCRIPTION.first);
    asha.core.cases.appendNote(created.id, 'Asha: caller will ring back after the appointment.');
    for (const desk of [asha, ben, sam]) expect((await desk.sync()).status).toBe('online');
    expect(ben.core.cases.get(created.id).fields.description).toBe(DESCRIPTION.first);

    // Ben and the supervisor lose the line; all three work on the case at once.
    ben.line.settings.down = true;
    sam.line.settings.down = true;
    asha.core.cases.updateField(created.id, 'description', DESCRIPTION.asha);
    asha.core.cases.appendNote(created.id, 'Asha: spoke to the ward manager.');
    expect((await asha.sync()).status).toBe('online');

    ben.core.cases.updateField(created.id, 'description', DESCRIPTION.ben);
    ben.core.cases.updateField(created.id, 'department', 'Wards');
    ben.core.cases.appendNote(created.id, 'Ben: caller rang again, upset.');
    ben.core.cases.changeStatus(created.id, 'in-progress');
    ben.core.cases.appendNote(created.id, 'Ben: acknowledged by letter.');
    expect((await ben.sync()).status).toBe('offline');

    sam.core.cases.updateField(created.id, 'department', 'Maternity');
    sam.core.cases.updateField(created.id, 'description', DESCRIPTION.sam);
    sam.core.cases.changeStatus(created.id, 'escalated');
    sam.core.cases.appendNote(created.id, 'Sam: escalating to the patient experience lead.');
    expect((await sam.sync()).status).toBe('offline');

    // The supervisor comes back first; then Ben, whose first push commits but whose answer is lost on the way back.
    sam.line.settings.down = false;
    expect((await sam.sync()).status).toBe('online');
    ben.line.settings.down = false;
    ben.line.settings.loseResponseRate = 1;
    expect((await ben.sync()).status).toBe('offline');
    expect(ben.line.counts.responsesLost).toBe(1);
    ben.line.settings.loseResponseRate = 0;

    // Everyone syncs, twice: the second round brings each desk what the others pushed in the first.
    for (let round = 0; round < 2; round++) {
      for (const desk of [ben, asha, sam]) expect((await desk.sync()).status).toBe('online');
    }
    for (const desk of [asha, ben, sam]) expect(desk.core.outbox.count()).toBe(0);

    const supervisor: Actor = { userId: samPerson.id, name: samPerson.name, role: 'supervisor', teamIds: [world.team.id] };
    const server = (await world.store.readCase(supervisor, created.id, 'Checking the reliability test'))!;
    const serverNotes = byId(server.events.filter((event) => event.kind === 'note').map((event) => ({ id: event.id, body: event.body })));
    // The server's order wins field by field: Asha's description reached it first, the supervisor's department did,
    // and so did the supervisor's escalation: Ben moved the case on from 'open', never having seen it escalated.
    expect(server.case.fields.description).toBe(DESCRIPTION.asha);
    expect(server.case.fields.department).toBe('Maternity');
    expect(server.case.status).toBe('escalated');
    expect(serverNotes.map((note) => note.body).sort()).toEqual(
      [
        'Asha: caller will ring back after the appointment.',
        'Asha: spoke to the ward manager.',
        'Ben: caller rang again, upset.',
        'Ben: acknowledged by letter.',
        'Sam: escalating to the patient experience lead.',
      ].sort(),
    );
    const losers = [
      { field: 'status', losingBy: benPerson.id, losingValue: 'in-progress' },
      { field: 'department', losingBy: benPerson.id, losingValue: 'Wards' },
      { field: 'description', losingBy: benPerson.id, losingValue: DESCRIPTION.ben },
      { field: 'description', losingBy: samPerson.id, losingValue: DESCRIPTION.sam },
    ];
    expect(byField(server.conflicts.map((c) => ({ field: c.field, losingBy: c.losingBy, losingValue: c.losingValue })))).toEqual(byField(losers));

    const copies = [asha, ben, sam].map((desk) => ({ desk: desk.name, ...localCopy(desk, created.id) }));
    for (const copy of copies) {
      expect(copy.state, copy.desk).toEqual({ ...copies[0]!.state });
      expect(copy.state.status, copy.desk).toBe(server.case.status);
      expect(copy.state.fields, copy.desk).toEqual(server.case.fields);
      // Every note once, by id and by text.
      expect(byId(copy.notes), copy.desk).toEqual(serverNotes);
    }
    // Each desk whose edit lost has it in its conflict log, with what its handler typed.
    const ownLosses = (desk: Desk) => byField(copies.find((copy) => copy.desk === desk.name)!.conflicts.filter((c) => c.losingBy === desk.who.id));
    expect(ownLosses(ben)).toEqual(byField(losers.filter((l) => l.losingBy === benPerson.id)));
    expect(ownLosses(sam)).toEqual(byField(losers.filter((l) => l.losingBy === samPerson.id)));
    expect(ownLosses(asha)).toEqual([]);
  });
});
