import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '../../../src-shared/api/people';
import type { CaseType } from '../../../src-shared/domain/case-types';
import type { CaseStatus } from '../../../src-shared/domain/statuses';
import type { CaseOpenedFrom, CaseShownIn, Change, Mutation, PullResponse } from '../../../src-shared/sync/protocol';
import { StoreRefusal, type Actor, type CentralStore } from '../../../src-server/store/central-store';
import { postgresMigrations } from '../../../src-server/store/migrations/postgres';
import { sqliteMigrations } from '../../../src-server/store/migrations/sqlite';
import { manualClock } from '../../helpers';

function migrationsOf(store: CentralStore) {
  return store.dialect === 'postgres' ? postgresMigrations : sqliteMigrations;
}

/** A store opened for one test, on a database of its own. */
export interface OpenedStore {
  store: CentralStore;
  /** Opens another store on the same database, as a restart or a second API instance would. */
  reopen(): Promise<CentralStore>;
  /** Closes every store opened here and removes the database. */
  cleanup(): Promise<void>;
}

export type OpenStore = (clock: { now(): number }) => Promise<OpenedStore>;

type MutationName = Mutation['name'];
type ArgsOf<N extends MutationName> = Extract<Mutation, { name: N }>['args'];

/** Everything a pull returns from `cursor` on, following `hasMore` to the end. */
export async function pullAll(store: CentralStore, actor: Actor, clientId: string, cursor = 0, limit = 1000): Promise<{ changes: Change[]; cursor: number; lastMutationId: number }> {
  const changes: Change[] = [];
  let page: PullResponse;
  do {
    page = await store.pull(actor, clientId, cursor, limit);
    changes.push(...page.changes);
    cursor = page.cursor;
  } while (page.hasMore);
  return { changes, cursor, lastMutationId: page.lastMutationId };
}

/** The refusal a promise rejects with, so a test can look at its status and detail. */
export async function refusalOf(promise: Promise<unknown>): Promise<StoreRefusal> {
  const outcome = await promise.then(
    () => new Error('expected a refusal, but the call succeeded'),
    (error: unknown) => error,
  );
  if (!(outcome instanceof StoreRefusal)) throw outcome;
  return outcome;
}

/** People and desktops for one test: each test makes its own teams, so tests never see each other's changes. */
export function fixtures(store: CentralStore, clock: { now(): number }) {
  const at = () => new Date(clock.now()).toISOString();

  async function team(name = 'Patient feedback line') {
    return store.createTeam(`${name} ${randomUUID().slice(0, 8)}`);
  }

  async function person(role: Role, teamIds: string[], name = 'Alex Handler'): Promise<Actor> {
    const user = await store.createUser({ email: `${randomUUID()}@example.nhs.uk`, name, role, teamIds, passwordHash: 'scrypt$not-a-real-hash' });
    return { userId: user.id, name: user.name, role: user.role, teamIds: user.teamIds };
  }

  /** One desktop install: a client id, its outbox's mutation ids, and push and pull as that install. */
  function desk(actor: Actor, clientId: string = randomUUID()) {
    let lastId = 0;
    function next<N extends MutationName>(name: N, args: ArgsOf<N>): Mutation {
      lastId += 1;
      return { id: lastId, name, args } as Mutation;
    }
    return {
      actor,
      clientId,
      /** Leaves out mutation ids, as a desktop that lost part of its outbox would. */
      skipIds(count: number) {
        lastId += count;
      },
      createCase(caseId: string = randomUUID(), options: { type?: CaseType; callerId?: string | null } = {}) {
        return next('case.create', { caseId, reference: 'CC-7K3M-9QXP', type: options.type ?? 'feedback', channel: 'phone', callerId: options.callerId ?? null, at: at() });
      },
      setField(caseId: string, field: ArgsOf<'case.updateField'>['field'], value: unknown, baseSeq: number | null = null) {
        return next('case.updateField', { caseId, field, value, baseSeq, at: at() });
      },
      appendNote(caseId: string, text: string, noteId: string = randomUUID()) {
        return next('case.appendNote', { caseId, noteId, text, at: at() });
      },
      changeStatus(caseId: string, from: CaseStatus, to: CaseStatus) {
        return next('case.changeStatus', { caseId, from, to, at: at() });
      },
      viewed(caseId: string, from: CaseOpenedFrom, viewedAt: string = at()) {
        return next('case.viewed', { caseId, from, at: viewedAt });
      },
      listed(caseIds: string[], shownIn: CaseShownIn, shownAt: string = at()) {
        return next('cases.listed', { caseIds, shownIn, at: shownAt });
      },
      upsertCaller(callerId: string, phone: string | null, name: string | null = 'Sam Caller', flags: string[] = []) {
        return next('caller.upsert', { callerId, phone, name, flags, at: at() });
      },
      push(mutations: readonly Mutation[]) {
        return store.push(actor, clientId, mutations);
      },
      pull(cursor = 0, limit = 1000) {
        return store.pull(actor, clientId, cursor, limit);
      },
      pullAll(cursor = 0, limit = 1000) {
        return pullAll(store, actor, clientId, cursor, limit);
      },
    };
  }

  /** The server's change number of a field of a case, as a desktop that has pulled would know it. */
  async function fieldSeq(reader: Actor, caseId: string, field: string): Promise<number> {
    const read = await store.readCase(reader, caseId, 'test: read the field change number');
    const seq = read?.case.fieldSeqs[field as keyof typeof read.case.fieldSeqs]?.seq;
    if (seq === undefined) throw new Error(`the case has no change number for ${field}`);
    return seq;
  }

  return { at, team, person, desk, fieldSeq };
}

/**
 * The central store's behaviour, run for real against each implementation (SQLite, PostgreSQL). `open` gives each
 * test a store on an empty database of its own, with the test's clock.
 */
export function describeCentralStore(name: string, open: OpenStore): void {
  describe(`the central store on ${name}`, () => {
    const clock = manualClock(Date.parse('2026-11-21T09:00:00Z'));
    let opened: OpenedStore;
    let store: CentralStore;
    let f: ReturnType<typeof fixtures>;

    beforeEach(async () => {
      clock.set(Date.parse('2026-11-21T09:00:00Z'));
      opened = await open(clock);
      store = opened.store;
      f = fixtures(store, clock);
    });
    afterEach(async () => {
      await opened.cleanup();
    });

    /** A team with a handler and a supervisor, and a case the handler has created and pushed. */
    async function teamWithCase(type: CaseType = 'feedback') {
      const team = await f.team();
      const handler = await f.person('handler', [team.id], 'Alex Handler');
      const supervisor = await f.person('supervisor', [team.id], 'Sam Supervisor');
      const handlerDesk = f.desk(handler);
      const supervisorDesk = f.desk(supervisor);
      const caseId = randomUUID();
      await handlerDesk.push([handlerDesk.createCase(caseId, { type })]);
      return { team, handler, supervisor, handlerDesk, supervisorDesk, caseId };
    }

    describe('push and pull', () => {
      it('applies a pushed batch and pulls the caller, the case and its events in change order with the new cursor and last mutation id', async () => {
        const team = await f.team();
        const handler = await f.person('handler', [team.id]);
        const desk = f.desk(handler);
        const caseId = randomUUID();
        const callerId = randomUUID();
        const noteId = randomUUID();

        const pushed = await desk.push([
          desk.upsertCaller(callerId, '+447400123456', 'Sam Caller'),
          desk.createCase(caseId, { callerId }),
          desk.setField(caseId, 'description', 'Waited six hours in A&E without being seen.'),
          desk.appendNote(caseId, 'Caller would like a call back after 5pm.', noteId),
          desk.changeStatus(caseId, 'open', 'in-progress'),
        ]);
        expect(pushed).toEqual({ lastMutationId: 5, applied: 5, skipped: 0, conflicts: 0 });

        const pulled = await desk.pull(0);
        const seqs = pulled.changes.map((change) => change.seq);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
        expect(new Set(seqs).size).toBe(seqs.length);
        // The first is the handler's own arrival in the team ('user'), which every desk of the team hears of. The
        // case comes before its events (a desk files an event under a case it has), and every event is there.
        expect(pulled.changes.map((change) => change.entity)).toEqual(['user', 'caller', 'case', 'caseEvent', 'caseEvent', 'caseEvent', 'caseEvent']);
        expect(pulled.changes.filter((change) => change.entity === 'caseEvent').map((change) => (change.data as { kind: string }).kind)).toEqual(['created', 'field', 'note', 'status']);
        expect(pulled.cursor).toBe(seqs.at(-1));
        expect(pulled.lastMutationId).toBe(5);
        expect(pulled.hasMore).toBe(false);

        // The case's state in the log is its newest, as the server holds it, with every field's change number.
        const caseChanges = pulled.changes.filter((change) => change.entity === 'case');
        const lastCase = caseChanges.at(-1);
        expect(lastCase?.entityId).toBe(caseId);
        expect(lastCase?.data).toMatchObject({ status: 'in-progress', teamId: team.id, fields: { callerId, description: 'Waited six hours in A&E without being seen.' } });
        const held = await store.readCase(handler, caseId, 'test: compare with the pulled case');
        expect(lastCase?.data).toEqual(JSON.parse(JSON.stringify(held?.case)));
        expect(held?.case.fieldSeqs).toMatchObject({ description: { seq: lastCase?.seq }, status: { seq: lastCase?.seq } });
        // Every timeline event arrives whole, as the server holds it (a push writes it once, in case_events).
        expect(pulled.changes.filter((change) => change.entity === 'caseEvent').map((change) => change.data)).toEqual(JSON.parse(JSON.stringify(held?.events)));
        expect(pulled.changes.filter((change) => change.entity === 'caseEvent').map((change) => change.entityId)).toEqual(held?.events.map((event) => event.id));
        const note = pulled.changes.find((change) => change.entity === 'caseEvent' && change.entityId === noteId);
        expect(note?.data).toMatchObject({ caseId, kind: 'note', body: 'Caller would like a call back after 5pm.', authorId: handler.userId });
        expect(pulled.changes[1]).toMatchObject({ entity: 'caller', entityId: callerId, data: { phone: '+447400123456', name: 'Sam Caller' } });

        const again = await desk.pull(pulled.cursor);
        expect(again).toEqual({ changes: [], cursor: pulled.cursor, lastMutationId: 5, hasMore: false });
      });

      it('gives the events, field edits and conflicts of a push the numbers of their own changes in the log', async () => {
        const { handler, handlerDesk, supervisorDesk, caseId } = await teamWithCase();
        // Edits with no event id of the desk's: the server names their events after their change numbers.
        await supervisorDesk.push([supervisorDesk.setField(caseId, 'description', 'Booked in, then sent home.'), supervisorDesk.changeStatus(caseId, 'open', 'in-progress')]);
        const stale = await handlerDesk.push([handlerDesk.setField(caseId, 'description', 'Sent home.'), handlerDesk.appendNote(caseId, 'Daughter will call back.')]);
        expect(stale).toMatchObject({ applied: 2, conflicts: 1 });

        const { changes } = await handlerDesk.pullAll();
        const seqs = changes.map((change) => change.seq);
        expect(seqs.every((seq) => seq > 0)).toBe(true);
        expect(new Set(seqs).size).toBe(seqs.length);
        const events = changes.filter((change) => change.entity === 'caseEvent');
        const caseChanges = changes.filter((change) => change.entity === 'case');
        for (const change of events) {
          const event = change.data as { id: string; kind: string; seq: number };
          expect(event.id).toBe(change.entityId);
          // A creation event carries its case's change number; every other event its own.
          expect(event.seq).toBe(event.kind === 'created' ? caseChanges[0]!.seq : change.seq);
          if (event.id.startsWith('m:')) expect(event.id).toBe(`m:${change.seq}`);
        }
        expect(events.filter((change) => change.entityId.startsWith('m:'))).toHaveLength(2);
        const conflictChange = changes.find((change) => change.entity === 'conflict');
        expect((conflictChange?.data as { seq: number }).seq).toBe(conflictChange?.seq);

        const held = await store.readCase(handler, caseId, 'test: the numbers the case holds');
        // The case changed twice (created, then the supervisor's push); the handler's push changed only its timeline.
        expect(caseChanges).toHaveLength(2);
        const supervisorsCase = caseChanges[1];
        expect(held?.case.fields.description).toBe('Booked in, then sent home.');
        expect(held?.case.fieldSeqs).toMatchObject({ description: { seq: supervisorsCase?.seq }, status: { seq: supervisorsCase?.seq } });
        expect(held?.conflicts.map((conflict) => conflict.seq)).toEqual([conflictChange?.seq]);
        expect(held?.events.map((event) => event.seq)).toEqual(events.map((change) => (change.data as { seq: number }).seq));
      });

      it('skips a batch pushed again, without duplicating notes, events or changes', async () => {
        const team = await f.team();
        const handler = await f.person('handler', [team.id]);
        const desk = f.desk(handler);
        const caseId = randomUUID();
        const batch = [desk.createCase(caseId), desk.appendNote(caseId, 'First call about the referral.'), desk.setField(caseId, 'department', 'Cardiology')];

        expect(await desk.push(batch)).toEqual({ lastMutationId: 3, applied: 3, skipped: 0, conflicts: 0 });
        const first = await desk.pull(0);
        expect(await desk.push(batch)).toEqual({ lastMutationId: 3, applied: 0, skipped: 3, conflicts: 0 });
        const afterReplay = await desk.pull(0);
        expect(afterReplay.changes).toEqual(first.changes);

        // A batch that overlaps what the server has: the known ids are skipped, the new one applied once.
        const overlapping = [batch[1]!, batch[2]!, desk.appendNote(caseId, 'Second call: referral letter arrived.')];
        expect(await desk.push(overlapping)).toEqual({ lastMutationId: 4, applied: 1, skipped: 2, conflicts: 0 });

        const read = await store.readCase(handler, caseId, 'test: check for duplicates');
        expect(read?.events.filter((event) => event.kind === 'note').map((event) => event.body)).toEqual(['First call about the referral.', 'Second call: referral letter arrived.']);
        expect(read?.events.filter((event) => event.kind === 'field')).toHaveLength(1);
        expect(read?.case.version).toBe(2);
      });

      it('refuses a gap in mutation ids with 409, naming the id it expected', async () => {
        const team = await f.team();
        const desk = f.desk(await f.person('handler', [team.id]));
        await desk.push([desk.createCase()]);
        desk.skipIds(3);

        const refusal = await refusalOf(desk.push([desk.createCase()]));
        expect(refusal.status).toBe(409);
        expect(refusal.detail).toEqual({ expected: 2, lastMutationId: 1 });
        expect((await desk.pull(0)).lastMutationId).toBe(1);
      });

      it('applies nothing of a batch with a gap, not even the mutations before the gap', async () => {
        const { handler, handlerDesk: desk, caseId } = await teamWithCase();
        const before = await desk.pull(0);
        const noteId = randomUUID();
        const applicable = [desk.appendNote(caseId, 'Said the ward was short-staffed.', noteId), desk.setField(caseId, 'description', 'Discharged without medication.')];
        desk.skipIds(2);
        const afterGap = desk.changeStatus(caseId, 'open', 'in-progress');

        const refusal = await refusalOf(desk.push([...applicable, afterGap]));
        expect(refusal.status).toBe(409);
        // The desktop trusts this number to drop its outbox: it must be what the server kept, not what it rolled back.
        expect(refusal.detail).toEqual({ expected: 2, lastMutationId: 1 });

        const read = await store.readCase(handler, caseId, 'test: check the refused batch left no trace');
        expect(read?.events.map((event) => event.kind)).toEqual(['created']);
        expect(read?.case).toMatchObject({ status: 'open', version: 1, fields: { description: '' } });
        expect(await desk.pull(before.cursor)).toEqual({ changes: [], cursor: before.cursor, lastMutationId: 1, hasMore: false });

        // The server still expects mutation 2, so the desktop can send the same changes again.
        expect(await desk.push(applicable)).toEqual({ lastMutationId: 3, applied: 2, skipped: 0, conflicts: 0 });
      });

      it('refuses a client id that another user has used, for push and for pull', async () => {
        const team = await f.team();
        const first = f.desk(await f.person('handler', [team.id], 'First Handler'));
        await first.push([first.createCase()]);
        const intruder = f.desk(await f.person('handler', [team.id], 'Second Handler'), first.clientId);

        expect((await refusalOf(intruder.push([intruder.createCase()]))).status).toBe(403);
        expect((await refusalOf(intruder.pull(0))).status).toBe(403);
        expect((await first.pull(0)).lastMutationId).toBe(1);
      });
    });

    describe('conflicts', () => {
      it('keeps a stale edit of a field in the conflict log with both authors, and leaves the newer value', async () => {
        const { handler, supervisor, handlerDesk, supervisorDesk, caseId } = await teamWithCase();
        await handlerDesk.push([handlerDesk.setField(caseId, 'description', 'Waited two hours.')]);
        const seen = await f.fieldSeq(handler, caseId, 'description');
        const { cursor } = await handlerDesk.pull(0);

        clock.advance(60_000);
        await supervisorDesk.push([supervisorDesk.setField(caseId, 'description', 'Waited four hours, then left.', seen)]);
        clock.advance(60_000);
        const stale = await handlerDesk.push([handlerDesk.setField(caseId, 'description', 'Waited three hours.', seen)]);
        expect(stale).toEqual({ lastMutationId: 3, applied: 1, skipped: 0, conflicts: 1 });

        const read = await store.readCase(handler, caseId, 'test: see the conflict');
        expect(read?.case.fields.description).toBe('Waited four hours, then left.');
        expect(read?.conflicts).toHaveLength(1);
        const conflict = read!.conflicts[0]!;
        expect(conflict).toMatchObject({
          caseId,
          field: 'description',
          kind: 'stale-edit',
          losingValue: 'Waited three hours.',
          losingBy: handler.userId,
          losingByName: handler.name,
          winningValue: 'Waited four hours, then left.',
          winningBy: supervisor.userId,
          winningByName: supervisor.name,
        });

        const pulled = await handlerDesk.pull(cursor);
        const conflictChange = pulled.changes.find((change) => change.entity === 'conflict');
        expect(conflictChange).toMatchObject({ entityId: conflict.id, data: { field: 'description', losingValue: 'Waited three hours.', winningBy: supervisor.userId } });
        expect(pulled.lastMutationId).toBe(3);
      });

      it('logs a push that loses a conflict between edits of a case so that a desk replaying the log in order ends with the case the server holds', async () => {
        const { handler, handlerDesk, supervisorDesk, caseId } = await teamWithCase();
        await supervisorDesk.push([supervisorDesk.setField(caseId, 'description', 'Waited four hours, then left.')]);
        const { cursor } = await handlerDesk.pull(0);
        const seen = await f.fieldSeq(handler, caseId, 'description');

        // One push: an edit, a stale edit that loses (never saw the supervisor's value), then a new edit of the
        // same field made after seeing it. The conflict sets the field from the state before it; the newest state
        // must come after it in the log.
        const result = await handlerDesk.push([
          handlerDesk.setField(caseId, 'department', 'Radiology', null),
          handlerDesk.setField(caseId, 'description', 'Waited three hours.', null),
          handlerDesk.setField(caseId, 'description', 'Waited four hours; left without being seen.', seen),
        ]);
        expect(result).toMatchObject({ applied: 3, conflicts: 1 });

        const pulled = await handlerDesk.pull(cursor);
        expect(pulled.changes.map((change) => change.entity)).toEqual(['case', 'caseEvent', 'conflict', 'case', 'caseEvent']);
        // A desk's fold of the log: a case change replaces the case; a conflict puts the winning value back.
        let fields: Record<string, unknown> = {};
        for (const change of pulled.changes) {
          if (change.entity === 'case') fields = { ...(change.data as { fields: Record<string, unknown> }).fields };
          if (change.entity === 'conflict') {
            const conflict = change.data as { field: string; winningValue: unknown };
            fields[conflict.field] = conflict.winningValue;
          }
        }
        const held = await store.readCase(handler, caseId, 'test: compare with the fold');
        expect(fields).toEqual(held?.case.fields);
        expect(held?.case.fields).toMatchObject({ department: 'Radiology', description: 'Waited four hours; left without being seen.' });
        expect(held?.events.filter((event) => event.kind === 'field').map((event) => event.value)).toEqual(['Waited four hours, then left.', 'Radiology', 'Waited four hours; left without being seen.']);
      });

      it('treats an edit that never saw another user’s change of the field as stale', async () => {
        const { handler, supervisorDesk, handlerDesk, caseId } = await teamWithCase();
        await supervisorDesk.push([supervisorDesk.setField(caseId, 'category', 'communication')]);

        // The handler's desktop had not synced the field when the edit was made: it has no change number for it.
        const result = await handlerDesk.push([handlerDesk.setField(caseId, 'category', 'delays', null)]);
        expect(result.conflicts).toBe(1);
        const read = await store.readCase(handler, caseId, 'test: see the conflict');
        expect(read?.case.fields.category).toBe('communication');
        expect(read?.conflicts.map((conflict) => [conflict.kind, conflict.losingValue])).toEqual([['stale-edit', 'delays']]);
      });

      it('applies an edit made on the newest value, and an edit by the author of the newest value', async () => {
        const { handler, supervisor, handlerDesk, supervisorDesk, caseId } = await teamWithCase();
        await handlerDesk.push([handlerDesk.setField(caseId, 'department', 'Cardiology')]);
        const first = await f.fieldSeq(handler, caseId, 'department');

        expect((await supervisorDesk.push([supervisorDesk.setField(caseId, 'department', 'Cardiology outpatients', first)])).conflicts).toBe(0);
        // The supervisor again, from an old base: their own newer value is theirs to overwrite.
        expect((await supervisorDesk.push([supervisorDesk.setField(caseId, 'department', 'Cardiac outpatients', first)])).conflicts).toBe(0);
        const current = await f.fieldSeq(supervisor, caseId, 'department');
        expect(current).toBeGreaterThan(first);
        expect((await handlerDesk.push([handlerDesk.setField(caseId, 'department', 'Cardiac day unit', current)])).conflicts).toBe(0);

        const read = await store.readCase(handler, caseId, 'test: see the value');
        expect(read?.case.fields.department).toBe('Cardiac day unit');
        expect(read?.conflicts).toEqual([]);
      });

      it('never counts edits of different fields as a conflict', async () => {
        const { handler, handlerDesk, supervisorDesk, caseId } = await teamWithCase();
        await supervisorDesk.push([supervisorDesk.setField(caseId, 'description', 'Nobody explained the results.')]);
        const result = await handlerDesk.push([handlerDesk.setField(caseId, 'department', 'Radiology'), handlerDesk.setField(caseId, 'priority', 'high', 0)]);

        expect(result).toMatchObject({ applied: 2, conflicts: 0 });
        const read = await store.readCase(handler, caseId, 'test: see the values');
        expect(read?.case.fields).toMatchObject({ description: 'Nobody explained the results.', department: 'Radiology', priority: 'high' });
        expect(read?.conflicts).toEqual([]);
      });

      it('records a value the domain refuses as a refused conflict, leaves the case as it was and moves the client past it', async () => {
        const { handler, handlerDesk: desk, caseId } = await teamWithCase();
        const { cursor } = await desk.pull(0);

        const result = await desk.push([desk.setField(caseId, 'contactPhone', '07700 900123'), desk.setField(caseId, 'contactEmail', 'Sam@Example.NHS.uk')]);
        expect(result).toEqual({ lastMutationId: 3, applied: 2, skipped: 0, conflicts: 1 });

        const read = await store.readCase(handler, caseId, 'test: see the refusal');
        expect(read?.case.fields).toMatchObject({ contactPhone: null, contactEmail: 'Sam@example.nhs.uk' });
        expect(read?.conflicts).toHaveLength(1);
        expect(read?.conflicts[0]).toMatchObject({ field: 'contactPhone', kind: 'refused', losingValue: '07700 900123', losingBy: handler.userId, winningValue: null, winningBy: null });
        expect(read?.conflicts[0]?.reason).toMatch(/UK phone number/);

        const pulled = await desk.pull(cursor);
        expect(pulled.lastMutationId).toBe(3);
        expect(pulled.changes.filter((change) => change.entity === 'conflict')).toHaveLength(1);
        expect((await desk.push([desk.appendNote(caseId, 'Will ring back with the right number.')])).lastMutationId).toBe(4);
      });

      it('records a status move the case type never allows as refused, and keeps the status', async () => {
        const { handler, supervisorDesk, handlerDesk: desk, caseId } = await teamWithCase('question');
        const first = await desk.push([desk.changeStatus(caseId, 'open', 'responded')]);
        expect(first).toEqual({ lastMutationId: 2, applied: 1, skipped: 0, conflicts: 1 });

        // Still refused, not a stale edit, after someone else has changed the status: a question is never 'responded'.
        await supervisorDesk.push([supervisorDesk.changeStatus(caseId, 'open', 'answered')]);
        expect((await desk.push([desk.changeStatus(caseId, 'open', 'responded')])).conflicts).toBe(1);

        const read = await store.readCase(handler, caseId, 'test: see the status');
        expect(read?.case.status).toBe('answered');
        expect(read?.conflicts.map((conflict) => [conflict.field, conflict.kind, conflict.losingValue])).toEqual([
          ['status', 'refused', 'responded'],
          ['status', 'refused', 'responded'],
        ]);
      });

      it('keeps a status move that was allowed when made, but lost to another user’s move, as a stale edit', async () => {
        const { handler, supervisor, supervisorDesk, handlerDesk: desk, caseId } = await teamWithCase('feedback');
        await supervisorDesk.push([supervisorDesk.changeStatus(caseId, 'open', 'responded')]);
        const result = await desk.push([desk.changeStatus(caseId, 'open', 'escalated')]);

        expect(result.conflicts).toBe(1);
        const read = await store.readCase(handler, caseId, 'test: see the status');
        expect(read?.case.status).toBe('responded');
        expect(read?.case.closedAt).not.toBeNull();
        expect(read?.conflicts[0]).toMatchObject({ field: 'status', kind: 'stale-edit', losingValue: 'escalated', winningValue: 'responded', winningBy: supervisor.userId });
      });

      it('keeps the newer status when a desk that did not see it moves the case on: the stale move is a conflict, the escalation stays', async () => {
        const { handler, supervisor, supervisorDesk, handlerDesk: desk, caseId } = await teamWithCase('feedback');
        await supervisorDesk.push([supervisorDesk.changeStatus(caseId, 'open', 'escalated')]);
        // Allowed from where the case now is (escalated -> in-progress), but the desk moved it from 'open'.
        const result = await desk.push([desk.changeStatus(caseId, 'open', 'in-progress')]);

        expect(result.conflicts).toBe(1);
        const read = await store.readCase(handler, caseId, 'test: see the status');
        expect(read?.case.status).toBe('escalated');
        expect(read?.events.filter((event) => event.kind === 'status').map((event) => event.value)).toEqual([{ from: 'open', to: 'escalated' }]);
        expect(read?.conflicts).toEqual([
          expect.objectContaining({ field: 'status', kind: 'stale-edit', losingValue: 'in-progress', losingBy: handler.userId, winningValue: 'escalated', winningBy: supervisor.userId }),
        ]);
        // Once the desk has seen the escalation, its move from there goes through.
        expect((await desk.push([desk.changeStatus(caseId, 'escalated', 'in-progress')])).conflicts).toBe(0);
        expect((await store.readCase(handler, caseId, 'test: see the status'))?.case.status).toBe('in-progress');
      });

      it('keeps every note from every desk, even when their edits of the same field conflicted', async () => {
        const { handler, handlerDesk, supervisorDesk, caseId } = await teamWithCase();
        await handlerDesk.push([handlerDesk.setField(caseId, 'description', 'v1')]);
        const base = await f.fieldSeq(handler, caseId, 'description');

        await supervisorDesk.push([supervisorDesk.setField(caseId, 'description', 'v2 by the supervisor', base), supervisorDesk.appendNote(caseId, 'Supervisor: spoke to the ward manager.')]);
        const handlerBatch = [handlerDesk.setField(caseId, 'description', 'v2 by the handler', base), handlerDesk.appendNote(caseId, 'Handler: caller rang again, upset.')];
        expect((await handlerDesk.push(handlerBatch)).conflicts).toBe(1);
        await handlerDesk.push(handlerBatch);

        const read = await store.readCase(handler, caseId, 'test: see the notes');
        expect(read?.events.filter((event) => event.kind === 'note').map((event) => event.body)).toEqual(['Supervisor: spoke to the ward manager.', 'Handler: caller rang again, upset.']);
      });
    });

    describe('team isolation', () => {
      it('keeps a team’s cases from a handler of another team: nothing pulled, nothing read, edits refused', async () => {
        const { caseId } = await teamWithCase();
        const otherTeam = await f.team('General enquiries');
        const outsider = await f.person('handler', [otherTeam.id], 'Other Handler');
        const desk = f.desk(outsider);

        // Only the outsider's own arrival in their team: nothing of the other team's.
        expect((await desk.pull(0)).changes.map((change) => [change.entity, change.entityId])).toEqual([['user', outsider.userId]]);
        expect(await store.readCase(outsider, caseId, 'test: try to read')).toBeNull();
        expect(await store.auditFor(caseId)).toEqual([]);

        expect((await refusalOf(desk.push([desk.setField(caseId, 'description', 'Overwritten by another team.')]))).status).toBe(403);
        const noteDesk = f.desk(outsider);
        expect((await refusalOf(noteDesk.push([noteDesk.appendNote(caseId, 'A note from another team.')]))).status).toBe(403);
        const statusDesk = f.desk(outsider);
        expect((await refusalOf(statusDesk.push([statusDesk.changeStatus(caseId, 'open', 'in-progress')]))).status).toBe(403);
      });

      it('refuses a desk of another team that would overwrite a team’s caller, and leaves the caller as it was', async () => {
        const team = await f.team();
        const owner = f.desk(await f.person('handler', [team.id], 'Team Handler'));
        const callerId = randomUUID();
        await owner.push([owner.upsertCaller(callerId, '+447400123456', 'Sam Caller', ['interpreter-needed'])]);
        const outsider = f.desk(await f.person('handler', [(await f.team('General enquiries')).id], 'Other Handler'));

        expect((await refusalOf(outsider.push([outsider.upsertCaller(callerId, '+447400999888', 'Someone Else')]))).status).toBe(403);
        const caller = await store.db.selectFrom('callers').selectAll().where('id', '=', callerId).executeTakeFirstOrThrow();
        expect(caller).toMatchObject({ team_id: team.id, phone: '+447400123456', name: 'Sam Caller', flags: '["interpreter-needed"]' });
        expect((await outsider.pull(0)).changes.map((change) => [change.entity, change.entityId])).toEqual([['user', outsider.actor.userId]]);
      });

      it('gives an admin no cases to pull or read', async () => {
        const { caseId } = await teamWithCase();
        const admin = await f.person('admin', [], 'Ada Admin');

        expect((await f.desk(admin).pull(0)).changes).toEqual([]);
        expect(await store.readCase(admin, caseId, 'test: try to read')).toBeNull();
        expect(await store.listCases(admin, { limit: 10 })).toEqual([]);
      });

      it('lets a supervisor of two teams pull and read the cases of both', async () => {
        const first = await teamWithCase();
        const second = await teamWithCase();
        const supervisor = await f.person('supervisor', [first.team.id, second.team.id], 'Two-team Supervisor');

        const pulled = await f.desk(supervisor).pull(0);
        const caseIds = new Set(pulled.changes.filter((change) => change.entity === 'case').map((change) => change.entityId));
        expect(caseIds).toEqual(new Set([first.caseId, second.caseId]));
        expect(await store.readCase(supervisor, first.caseId, 'test: read')).not.toBeNull();
        expect(await store.readCase(supervisor, second.caseId, 'test: read')).not.toBeNull();
      });
    });

    describe('audit', () => {
      it('writes one audit row per read, naming who read which case, when and why', async () => {
        const { handler, supervisor, caseId } = await teamWithCase();
        clock.set(Date.parse('2026-11-21T10:15:00Z'));
        await store.readCase(handler, caseId, 'Caller rang back about this case');
        clock.set(Date.parse('2026-11-21T10:20:00Z'));
        await store.readCase(supervisor, caseId, 'Weekly quality review');

        expect(await store.auditFor(caseId)).toEqual([
          { userId: handler.userId, caseId, reason: 'Caller rang back about this case', at: '2026-11-21T10:15:00.000Z' },
          { userId: supervisor.userId, caseId, reason: 'Weekly quality review', at: '2026-11-21T10:20:00.000Z' },
        ]);
      });

      it('writes an audit row for each case a list shows, and for a reassignment, whose answer is the case', async () => {
        const { team, handler, supervisor, handlerDesk, caseId } = await teamWithCase();
        const second = randomUUID();
        await handlerDesk.push([handlerDesk.createCase(second)]);
        const otherHandler = await f.person('handler', [team.id], 'Bo Handler');
        clock.set(Date.parse('2026-11-21T10:15:00Z'));
        const listed = await store.listCases(handler, { limit: 1, reason: 'Looking for the caller’s earlier case' });
        clock.set(Date.parse('2026-11-21T10:20:00Z'));
        await store.reassignCase(supervisor, caseId, otherHandler.userId);

        expect(listed).toHaveLength(1);
        const shown = listed[0]!.id;
        const unshown = shown === caseId ? second : caseId;
        expect(await store.auditFor(shown)).toContainEqual({ userId: handler.userId, caseId: shown, reason: 'Looking for the caller’s earlier case', at: '2026-11-21T10:15:00.000Z' });
        expect((await store.auditFor(unshown)).filter((row) => row.userId === handler.userId)).toEqual([]);
        expect(await store.auditFor(caseId)).toContainEqual({ userId: supervisor.userId, caseId, reason: 'Reassigned the case', at: '2026-11-21T10:20:00.000Z' });
      });

      it('writes an audit row for each case a desk reports opening from its own copy, once, at the time the desk showed it', async () => {
        const { team, handler, handlerDesk: desk, caseId } = await teamWithCase();
        const fresh = randomUUID();
        const pulledBefore = (await desk.pullAll()).changes.length;
        // Offline, the desk created a case and opened both; the push arrives later, and its answer is lost and it is sent again.
        const batch = [desk.viewed(caseId, 'case-list', '2026-11-21T09:30:00.000Z'), desk.createCase(fresh), desk.viewed(fresh, 'call', '2026-11-21T09:31:00.000Z')];
        clock.set(Date.parse('2026-11-21T11:00:00Z'));
        expect(await desk.push(batch)).toEqual({ lastMutationId: 4, applied: 3, skipped: 0, conflicts: 0 });
        expect(await desk.push(batch)).toMatchObject({ applied: 0, skipped: 3 });

        expect(await store.auditFor(caseId)).toEqual([{ userId: handler.userId, caseId, reason: 'Opened from the case list or search', at: '2026-11-21T09:30:00.000Z' }]);
        expect(await store.auditFor(fresh)).toEqual([{ userId: handler.userId, caseId: fresh, reason: 'Opened for a call', at: '2026-11-21T09:31:00.000Z' }]);
        // A report changes no case and sends nothing to pull beyond the new case.
        const pulled = (await desk.pullAll()).changes;
        expect(pulled.length - pulledBefore).toBe(2);
        expect(pulled.filter((change) => change.entityId === caseId).length).toBe(1);

        // Someone since moved to another team is still recorded (they read it when they could); a case the server has
        // never held leaves no row and no refusal.
        const moved = await f.person('handler', [team.id], 'Kit Handler');
        const otherTeam = await f.team();
        await store.updateUser(moved.userId, { teamIds: [otherTeam.id] });
        const movedActor = { ...moved, teamIds: [otherTeam.id] };
        const unknown = randomUUID();
        expect(await store.push(movedActor, randomUUID(), [{ id: 1, name: 'case.viewed', args: { caseId, from: 'caller-card', at: '2026-11-21T09:40:00.000Z' } }, { id: 2, name: 'case.viewed', args: { caseId: unknown, from: 'case-list', at: '2026-11-21T09:41:00.000Z' } }])).toMatchObject({ applied: 2 });
        expect((await store.auditFor(caseId)).map((row) => [row.userId, row.reason])).toEqual([
          [handler.userId, 'Opened from the case list or search'],
          [moved.userId, 'Opened from the caller’s card'],
        ]);
        expect(await store.auditFor(unknown)).toEqual([]);

        // A desk whose clock is ahead cannot date a read after the server received it.
        await desk.push([desk.viewed(fresh, 'inbox', '2027-01-01T00:00:00.000Z')]);
        expect((await store.auditFor(fresh)).at(-1)).toEqual({ userId: handler.userId, caseId: fresh, reason: 'Opened from the inbox', at: '2026-11-21T11:00:00.000Z' });
      });

      it('writes an audit row for each case a desk reports showing in a list, once, with where and when it was shown', async () => {
        const { team, handler, handlerDesk: desk, caseId } = await teamWithCase();
        const second = randomUUID();
        const third = randomUUID();
        const unknown = randomUUID();
        await desk.push([desk.createCase(second)]);
        const pulledBefore = (await desk.pullAll()).changes.length;
        // Offline, the desk created a third case, then showed the three in its case list and two in search results;
        // the push arrives later, its answer is lost and it is sent again.
        const batch = [desk.createCase(third), desk.listed([third, second, caseId], 'case-list', '2026-11-21T09:30:00.000Z'), desk.listed([caseId, unknown], 'search', '2026-11-21T09:31:00.000Z')];
        clock.set(Date.parse('2026-11-21T11:00:00Z'));
        expect(await desk.push(batch)).toMatchObject({ applied: 3, skipped: 0, conflicts: 0 });
        expect(await desk.push(batch)).toMatchObject({ applied: 0, skipped: 3 });

        expect(await store.auditFor(caseId)).toEqual([
          { userId: handler.userId, caseId, reason: 'Shown in the case list', at: '2026-11-21T09:30:00.000Z' },
          { userId: handler.userId, caseId, reason: 'Shown in search results', at: '2026-11-21T09:31:00.000Z' },
        ]);
        expect(await store.auditFor(second)).toEqual([{ userId: handler.userId, caseId: second, reason: 'Shown in the case list', at: '2026-11-21T09:30:00.000Z' }]);
        expect(await store.auditFor(third)).toEqual([{ userId: handler.userId, caseId: third, reason: 'Shown in the case list', at: '2026-11-21T09:30:00.000Z' }]);
        // A case the server has never held leaves no row and no refusal; a report changes no case and sends nothing to
        // pull beyond the new case.
        expect(await store.auditFor(unknown)).toEqual([]);
        const pulled = (await desk.pullAll()).changes;
        expect(pulled.length - pulledBefore).toBe(2);

        // A desk whose clock is ahead cannot date a showing after the server received it; a supervisor's caller card
        // is recorded as theirs.
        const supervisor = await f.person('supervisor', [team.id], 'Sam Supervisor');
        const supervisorDesk = f.desk(supervisor);
        await supervisorDesk.push([supervisorDesk.listed([second], 'caller-card', '2027-01-01T00:00:00.000Z'), supervisorDesk.listed([second], 'inbox', '2026-11-21T10:59:00.000Z')]);
        expect((await store.auditFor(second)).slice(1)).toEqual([
          { userId: supervisor.userId, caseId: second, reason: 'Shown in the inbox', at: '2026-11-21T10:59:00.000Z' },
          { userId: supervisor.userId, caseId: second, reason: 'Shown on the caller’s card', at: '2026-11-21T11:00:00.000Z' },
        ]);
      });

      it('refuses to update or delete audit rows at the database', async () => {
        const { handler, caseId } = await teamWithCase();
        await store.readCase(handler, caseId, 'Caller rang back about this case');

        await expect(sql`UPDATE audit_log SET reason = 'Nothing to see here'`.execute(store.db)).rejects.toThrow(/append-only/);
        await expect(sql`DELETE FROM audit_log`.execute(store.db)).rejects.toThrow(/append-only/);
        expect(await store.auditFor(caseId)).toEqual([expect.objectContaining({ userId: handler.userId, reason: 'Caller rang back about this case' })]);
      });

      it('refuses to update or delete case events, notes included, at the database', async () => {
        const { handler, handlerDesk: desk, caseId } = await teamWithCase();
        await desk.push([desk.appendNote(caseId, 'The note that must never be lost.')]);

        await expect(sql`UPDATE case_events SET body = 'rewritten' WHERE kind = 'note'`.execute(store.db)).rejects.toThrow(/append-only/);
        await expect(sql`DELETE FROM case_events`.execute(store.db)).rejects.toThrow(/append-only/);
        const read = await store.readCase(handler, caseId, 'test: see the note');
        expect(read?.events.map((event) => event.body)).toEqual([null, 'The note that must never be lost.']);
      });
    });

    describe('callers', () => {
      it('keeps one caller when two desks record the same phone under different ids, and makes the second id an alias', async () => {
        const team = await f.team();
        const first = f.desk(await f.person('handler', [team.id], 'First Handler'));
        const secondHandler = await f.person('handler', [team.id], 'Second Handler');
        const second = f.desk(secondHandler);
        const keptId = randomUUID();
        const aliasId = randomUUID();

        await first.push([first.upsertCaller(keptId, '+447400123456', 'Sam Caller')]);
        const { cursor } = await second.pull(0);
        await second.push([second.upsertCaller(aliasId, '+447400123456', 'Samantha Caller', ['hard-of-hearing'])]);

        const pulled = await second.pull(cursor);
        expect(pulled.changes.filter((change) => change.entity === 'callerAlias').map((change) => change.data)).toEqual([{ aliasId, callerId: keptId }]);
        const callerChanges = pulled.changes.filter((change) => change.entity === 'caller');
        expect(callerChanges.map((change) => change.entityId)).toEqual([keptId]);
        expect(callerChanges[0]?.data).toMatchObject({ phone: '+447400123456', name: 'Samantha Caller', flags: ['hard-of-hearing'] });
        const callers = await store.db.selectFrom('callers').select('id').where('team_id', '=', team.id).execute();
        expect(callers.map((caller) => caller.id)).toEqual([keptId]);

        const caseId = randomUUID();
        await second.push([second.createCase(caseId, { callerId: aliasId })]);
        const otherCaseId = randomUUID();
        await second.push([second.createCase(otherCaseId), second.setField(otherCaseId, 'callerId', aliasId)]);
        expect((await store.readCase(secondHandler, caseId, 'test: see the caller'))?.case.fields.callerId).toBe(keptId);
        expect((await store.readCase(secondHandler, otherCaseId, 'test: see the caller'))?.case.fields.callerId).toBe(keptId);
      });
    });

    describe('paging', () => {
      it('pages through changes with a limit, chaining cursors so every change arrives exactly once', async () => {
        const team = await f.team();
        const desk = f.desk(await f.person('handler', [team.id]));
        await desk.push(['+447400100001', '+447400100002', '+447400100003', '+447400100004', '+447400100005'].map((phone) => desk.upsertCaller(randomUUID(), phone)));
        const everything = await desk.pull(0);
        // The handler's own arrival in the team, then the five callers.
        expect(everything.changes).toHaveLength(6);

        const pages: PullResponse[] = [];
        let cursor = 0;
        for (let page = 0; page < 10; page += 1) {
          const response = await desk.pull(cursor, 2);
          pages.push(response);
          cursor = response.cursor;
          if (!response.hasMore) break;
        }
        expect(pages.map((page) => [page.changes.length, page.hasMore])).toEqual([
          [2, true],
          [2, true],
          [2, false],
        ]);
        expect(pages.flatMap((page) => page.changes)).toEqual(everything.changes);
        expect(cursor).toBe(everything.cursor);
      });

      it('hands every change to a puller exactly once while two desks push at the same time', async () => {
        const team = await f.team();
        const supervisor = await f.person('supervisor', [team.id], 'Watching Supervisor');
        const watcher = f.desk(supervisor);
        const desks = [f.desk(await f.person('handler', [team.id], 'First Handler')), f.desk(await f.person('handler', [team.id], 'Second Handler'))];

        async function work(desk: (typeof desks)[number]) {
          for (let batch = 0; batch < 8; batch += 1) {
            const mutations: Mutation[] = [];
            for (let n = 0; n < 5; n += 1) {
              const caseId = randomUUID();
              mutations.push(desk.createCase(caseId), desk.setField(caseId, 'description', `Case ${batch}.${n}`), desk.appendNote(caseId, 'Called back.'));
            }
            const result = await desk.push(mutations);
            expect(result).toMatchObject({ applied: 15, skipped: 0, conflicts: 0 });
          }
        }

        let done = false;
        const seen: number[] = [];
        let cursor = 0;
        async function watch() {
          while (!done) {
            const page = await watcher.pull(cursor);
            seen.push(...page.changes.map((change) => change.seq));
            cursor = page.cursor;
          }
          const rest = await watcher.pullAll(cursor);
          seen.push(...rest.changes.map((change) => change.seq));
        }
        const pushing = Promise.all(desks.map(work)).finally(() => {
          done = true;
        });
        await Promise.all([pushing, watch()]);

        const everything = await watcher.pullAll(0);
        // Three people joining the team, then for each of the 80 cases its newest state and its three events.
        expect(everything.changes).toHaveLength(3 + 2 * 8 * 5 * 4);
        expect(seen).toEqual(everything.changes.map((change) => change.seq));
        expect(seen.every((seq, index) => index === 0 || seq > seen[index - 1]!)).toBe(true);
        for (const desk of desks) expect((await desk.pull(0)).lastMutationId).toBe(8 * 15);
      });
    });

    describe('sign-in records', () => {
      async function userWithTokens() {
        const team = await f.team();
        const actor = await f.person('handler', [team.id]);
        const expiresAt = '2026-12-21T09:00:00.000Z';
        expect(await store.saveRefreshToken({ id: randomUUID(), userId: actor.userId, tokenHash: `hash-a-${actor.userId}`, expiresAt, generation: 0 }, f.at())).toBe(true);
        expect(await store.saveRefreshToken({ id: randomUUID(), userId: actor.userId, tokenHash: `hash-b-${actor.userId}`, expiresAt, generation: 0 }, f.at())).toBe(true);
        return { actor, expiresAt, tokenA: `hash-a-${actor.userId}`, tokenB: `hash-b-${actor.userId}` };
      }

      it('lets a refresh token be used once and reports any later use', async () => {
        const { actor, expiresAt, tokenA } = await userWithTokens();

        expect(await store.consumeRefreshToken(tokenA)).toMatchObject({ userId: actor.userId, expiresAt, generation: 0, alreadyUsed: false });
        expect(await store.consumeRefreshToken(tokenA)).toMatchObject({ userId: actor.userId, generation: 0, alreadyUsed: true });
        expect(await store.consumeRefreshToken('hash-never-issued')).toBeNull();
      });

      it('lets only one of several refreshes racing with the same token succeed', async () => {
        const { tokenA } = await userWithTokens();
        const outcomes = await Promise.all(Array.from({ length: 6 }, () => store.consumeRefreshToken(tokenA)));

        expect(outcomes.map((outcome) => outcome?.alreadyUsed).sort()).toEqual([false, true, true, true, true, true]);
      });

      it('revokes every refresh token of one user and no one else’s', async () => {
        const { actor, tokenA, tokenB } = await userWithTokens();
        const other = await userWithTokens();

        await store.revokeRefreshTokens(actor.userId);
        // Ended sessions are gone, so none of their tokens can pass for a retry after a lost answer.
        expect(await store.consumeRefreshToken(tokenA)).toBeNull();
        expect(await store.consumeRefreshToken(tokenB)).toBeNull();
        expect(await store.consumeRefreshToken(other.tokenA)).toMatchObject({ alreadyUsed: false });
        // Access tokens issued until now are ended too, for that user alone: their session generation moved on.
        expect(await store.userAccess(actor.userId)).toMatchObject({ sessionGeneration: 1, sessionsFrom: new Date(clock.now()).toISOString(), lastEndingUncounted: false });
        expect(await store.userAccess(other.actor.userId)).toMatchObject({ sessionGeneration: 0, sessionsFrom: null, lastEndingUncounted: false });
      });

      it('saves no refresh token for a session checked before the user’s sessions were ended, and saves one checked after, whatever time the checking instance’s clock said', async () => {
        const { actor, expiresAt } = await userWithTokens();
        const before = (await store.findUserByEmail((await store.getUser(actor.userId))!.email))!.sessionGeneration;
        clock.advance(1);
        await store.updateUser(actor.userId, { passwordHash: 'new hash' });
        const after = (await store.userAccess(actor.userId))!.sessionGeneration;
        expect([before, after]).toEqual([0, 1]);
        // Checked before the new password, on an instance whose clock runs an hour ahead of this store's.
        const aheadOfTheStore = new Date(clock.now() + 3_600_000).toISOString();
        expect(await store.saveRefreshToken({ id: randomUUID(), userId: actor.userId, tokenHash: 'late', expiresAt, generation: before }, aheadOfTheStore)).toBe(false);
        expect(await store.consumeRefreshToken('late')).toBeNull();
        // Checked after it, on an instance whose clock runs an hour behind.
        const behindTheStore = new Date(clock.now() - 3_600_000).toISOString();
        expect(await store.saveRefreshToken({ id: randomUUID(), userId: actor.userId, tokenHash: 'fresh', expiresAt, generation: after }, behindTheStore)).toBe(true);
        expect(await store.consumeRefreshToken('fresh')).toMatchObject({ userId: actor.userId, generation: 1, alreadyUsed: false });
      });

      it('ends the sessions of a user given a new password or disabled, and of no one else', async () => {
        const { actor } = await userWithTokens();
        const other = await userWithTokens();
        expect((await store.userAccess(actor.userId))?.sessionsFrom).toBeNull();
        await store.updateUser(actor.userId, { name: 'Renamed' });
        expect((await store.userAccess(actor.userId))?.sessionsFrom).toBeNull();
        await store.updateUser(actor.userId, { passwordHash: 'new hash' });
        const reset = (await store.userAccess(actor.userId))?.sessionsFrom;
        expect(reset).toBe(new Date(clock.now()).toISOString());
        clock.advance(60_000);
        await store.updateUser(other.actor.userId, { disabled: true });
        expect(await store.userAccess(other.actor.userId)).toMatchObject({ disabled: true, sessionGeneration: 1, sessionsFrom: new Date(clock.now()).toISOString() });
        expect(await store.userAccess(actor.userId)).toMatchObject({ sessionGeneration: 1, sessionsFrom: reset });
        await store.updateUser(actor.userId, { passwordHash: 'another hash' });
        expect((await store.userAccess(actor.userId))?.sessionGeneration).toBe(2);
      });

      it('counts sign-in attempts by email key in a window, locks at the limit, keeps a lock in force and clears both', async () => {
        const policy = (at: string, countSince: string) => ({ at, countSince, lockAfter: 3, lockUntil: '2026-11-21T09:30:00.000Z' });
        const count = async (key: string, p: ReturnType<typeof policy>) => {
          const attempt = await store.countSignInAttempt(key, p);
          return 'failures' in attempt ? attempt.failures : attempt;
        };
        expect(await count('key-a', policy('2026-11-21T09:00:00.000Z', '2026-11-21T08:45:00.000Z'))).toBe(1);
        // Two at once both count (on PostgreSQL, two connections).
        expect((await Promise.all([1, 2].map(() => count('key-a', policy('2026-11-21T09:01:00.000Z', '2026-11-21T08:46:00.000Z'))))).sort()).toEqual([2, 3]);
        expect(await store.signInLockedUntil('key-a')).toBe('2026-11-21T09:30:00.000Z');
        expect(await store.signInLockedUntil('key-b')).toBeNull();
        // While the lock holds, an attempt is not counted and is told when the lock ends.
        expect(await count('key-a', { ...policy('2026-11-21T09:02:00.000Z', '2026-11-21T08:47:00.000Z'), lockUntil: '2026-11-21T09:17:00.000Z' })).toEqual({
          lockedUntil: '2026-11-21T09:30:00.000Z',
        });
        expect(await store.signInLockedUntil('key-a')).toBe('2026-11-21T09:30:00.000Z');

        // An attempt with another key long after: key-a's count is out of its window, but its lock still holds, so it stays.
        expect(await count('key-b', policy('2026-11-21T09:20:00.000Z', '2026-11-21T09:05:00.000Z'))).toBe(1);
        expect(await store.signInLockedUntil('key-a')).toBe('2026-11-21T09:30:00.000Z');
        // Once the lock has ended, the next attempt anywhere drops key-a's row: its count starts again.
        expect(await count('key-b', policy('2026-11-21T09:31:00.000Z', '2026-11-21T09:16:00.000Z'))).toBe(2);
        expect(await store.signInLockedUntil('key-a')).toBeNull();
        expect(await count('key-a', policy('2026-11-21T09:32:00.000Z', '2026-11-21T09:17:00.000Z'))).toBe(1);

        // A count past the limit whose lock has ended but which is still in its window locks again at the next attempt.
        for (let i = 0; i < 3; i++) await count('key-c', { ...policy('2026-11-21T09:00:00.000Z', '2026-11-21T08:00:00.000Z'), lockUntil: '2026-11-21T09:15:00.000Z' });
        expect(await count('key-c', { ...policy('2026-11-21T09:40:00.000Z', '2026-11-21T08:40:00.000Z'), lockUntil: '2026-11-21T09:55:00.000Z' })).toBe(4);
        expect(await store.signInLockedUntil('key-c')).toBe('2026-11-21T09:55:00.000Z');

        await store.clearSignInFailures('key-b');
        expect(await count('key-b', policy('2026-11-21T09:33:00.000Z', '2026-11-21T09:18:00.000Z'))).toBe(1);
      });

      it('forgives, on a right password, only the attempts counted up to it: guesses counted while it was checked stay', async () => {
        const policy = { at: '2026-11-21T10:00:00.000Z', countSince: '2026-11-20T10:00:00.000Z', lockAfter: 5, lockUntil: '2026-11-21T10:15:00.000Z' };
        const count = async (key: string) => {
          const attempt = await store.countSignInAttempt(key, policy);
          return 'failures' in attempt ? attempt.failures : attempt;
        };
        // Two mistypes, then the right password is counted third; two guesses are counted while it is checked.
        for (const expected of [1, 2, 3, 4, 5]) expect(await count('key-owner')).toBe(expected);
        expect(await store.signInLockedUntil('key-owner')).toBe('2026-11-21T10:15:00.000Z');
        await store.forgiveSignInAttempts('key-owner', 3);
        // The two guesses still count, but alone they are short of a lock.
        expect(await store.signInLockedUntil('key-owner')).toBeNull();
        expect(await count('key-owner')).toBe(3);
        expect(await count('key-owner')).toBe(4);
        expect(await count('key-owner')).toBe(5);
        expect(await count('key-owner')).toEqual({ lockedUntil: '2026-11-21T10:15:00.000Z' });

        // With nothing counted after it, the count and the lock are gone.
        for (let i = 0; i < 5; i++) await count('key-alone');
        await store.forgiveSignInAttempts('key-alone', 5);
        expect(await store.signInLockedUntil('key-alone')).toBeNull();
        expect(await count('key-alone')).toBe(1);
      });

      it('counts attempts sent all at once in turn: only as many as the lock allows are let through', async () => {
        const policy = { at: '2026-11-21T10:00:00.000Z', countSince: '2026-11-20T10:00:00.000Z', lockAfter: 5, lockUntil: '2026-11-21T10:15:00.000Z' };
        const attempts = await Promise.all(Array.from({ length: 12 }, () => store.countSignInAttempt('key-burst', policy)));
        const letThrough = attempts.filter((attempt) => 'failures' in attempt);
        expect(letThrough.map((attempt) => ('failures' in attempt ? attempt.failures : 0)).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
        expect(attempts.filter((attempt) => 'lockedUntil' in attempt)).toEqual(Array.from({ length: 7 }, () => ({ lockedUntil: '2026-11-21T10:15:00.000Z' })));
      });
    });

    describe('migrations', () => {
      it('opens the same database a second time without migrating it again or losing data', async () => {
        const { handler, caseId } = await teamWithCase();
        const again = await opened.reopen();

        const versions = await again.db.selectFrom('schema_migrations').select('version').orderBy('version').execute();
        expect(versions.map((row) => Number(row.version))).toEqual(migrationsOf(store).map((step) => step.version));
        expect((await again.readCase(handler, caseId, 'test: read after reopening'))?.case.id).toBe(caseId);
      });

      it('refuses a database whose schema is newer than this server knows, with a clear error', async () => {
        await store.db.insertInto('schema_migrations').values({ version: 990, name: 'from-a-newer-server', applied_at: new Date(clock.now()).toISOString() }).execute();

        const known = migrationsOf(store).at(-1)?.version;
        await expect(opened.reopen()).rejects.toThrow(`The central store is at schema version 990, but this server only knows up to ${known}. Run the newer server.`);
      });
    });
  });
}
