import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncState } from '../../../../src-main/core/sync/sync-engine';
import type { CaseEvent } from '../../../../src-shared/contract/cases';
import { startSyncWorld, type Desk, type SyncWorld } from './sync-harness';

interface ServerCaseView {
  case: { id: string; reference: string; fields: { description: string }; fieldSeqs: Record<string, { seq: number }> };
  events: { id: string; kind: string; body: string | null }[];
  conflicts: unknown[];
}

async function serverCase(world: SyncWorld, desk: Desk, caseId: string): Promise<{ status: number; body: ServerCaseView }> {
  const response = await world.api.call('GET', `/cases/${caseId}`, { token: await desk.token() });
  return { status: response.status, body: (await response.json()) as ServerCaseView };
}

function notes(timeline: CaseEvent[]): string[] {
  return timeline.filter((event) => event.kind === 'note').map((event) => event.body ?? '');
}

function fieldSeqs(desk: Desk, caseId: string): Record<string, number> {
  const row = desk.core.db.prepare('SELECT server_field_seqs FROM cases WHERE id = ?').get(caseId) as { server_field_seqs: string };
  return JSON.parse(row.server_field_seqs) as Record<string, number>;
}

describe('the sync engine, against the central API on loopback', () => {
  let world: SyncWorld;
  beforeEach(async () => {
    world = await startSyncWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('keeps a case created offline in the outbox, and pushes it once the central API can be reached', async () => {
    const a = await world.desk(world.asha);
    a.control.online = false;
    const created = a.core.cases.create({ type: 'feedback', channel: 'phone' });
    a.core.cases.updateField(created.id, 'description', 'The ward was cold at night');

    await a.engine.syncNow();
    expect(a.engine.state()).toMatchObject({ status: 'offline', pending: 2, lastSyncedAt: null });
    expect(a.engine.state().problem).toMatch(/cannot be reached/);
    expect(a.core.outbox.count()).toBe(2);
    expect((await serverCase(world, a, created.id)).status).toBe(404);

    a.control.online = true;
    await a.engine.syncNow();
    expect(a.engine.state()).toMatchObject({ status: 'online', pending: 0, progress: null, problem: null });
    expect(a.engine.state().lastSyncedAt).not.toBeNull();
    expect(a.core.outbox.count()).toBe(0);

    const held = await serverCase(world, a, created.id);
    expect(held.status).toBe(200);
    expect(held.body.case.reference).toBe(created.reference);
    expect(held.body.case.fields.description).toBe('The ward was cold at night');
    // The desk now knows which server change its description is, for the next edit's baseSeq.
    expect(fieldSeqs(a, created.id).description).toBe(held.body.case.fieldSeqs.description?.seq);
    // And the log says what happened without a word of what the caller said.
    expect(a.log.text()).not.toContain('ward was cold');
  });

  it('tells the agent bar what waits just after each change or list shown, without counting the outbox inside the write', async () => {
    const a = await world.desk(world.asha);
    a.control.online = false;
    const seen: { pending: number; reports: number }[] = [];
    a.core.events.subscribe((name, payload) => {
      if (name === 'sync.stateChanged') seen.push({ pending: (payload as SyncState).pending, reports: (payload as SyncState).reports });
    });
    const created = a.core.cases.create({ type: 'feedback', channel: 'phone' });
    a.core.cases.updateField(created.id, 'description', 'Asked about parking');
    // Read at once, the state is up to date; the agent bar hears of it just after.
    expect(a.engine.state()).toMatchObject({ pending: 2, reports: 0 });
    a.core.cases.list({});
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.at(-1)).toEqual({ pending: 2, reports: 1 });
  });

  it('reports a case opened from the desk’s own copy to the central audit log, offline too, without counting it as a change waiting', async () => {
    const a = await world.desk(world.asha);
    const b = await world.desk(world.ben);
    const created = a.core.cases.create({ type: 'feedback', channel: 'phone' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    const auditOf = async () => (await world.api.store.auditFor(created.id)).map((row) => ({ userId: row.userId, reason: row.reason, at: row.at }));
    expect(await auditOf()).toEqual([]);

    // Ben opens Asha's case from the list while offline: he sees it from his cache, and the read is kept to report.
    b.control.online = false;
    // (A time in the past on any machine: the server keeps a desk's time for a read unless it is ahead of its own.)
    b.clock.set(Date.parse('2025-11-21T10:30:00Z'));
    const shown = b.core.cases.open(created.id, 'case-list');
    expect(shown.reference).toBe(created.reference);
    // A refresh of the case on screen is not another read.
    b.core.cases.get(created.id);
    await b.engine.syncNow();
    expect(b.engine.state()).toMatchObject({ status: 'offline', pending: 0 });
    expect(b.core.outbox.count()).toBe(1);
    expect(await auditOf()).toEqual([]);

    b.clock.set(Date.parse('2025-11-21T11:00:00Z'));
    b.control.online = true;
    b.control.losePushAnswers = 1;
    await b.engine.syncNow();
    await b.engine.syncNow();
    expect(b.core.outbox.count()).toBe(0);
    // Once, though its answer was lost and it was sent again; at the time Ben saw it, not when it arrived.
    expect(await auditOf()).toEqual([{ userId: world.ben.id, reason: 'Opened from the case list or search', at: '2025-11-21T10:30:00.000Z' }]);
  });

  it('shows a case and its notes made on one desk on another desk of the team, each note once, and back again', async () => {
    const a = await world.desk(world.asha);
    const b = await world.desk(world.ben);
    const created = a.core.cases.create({ type: 'feedback', channel: 'phone' });
    a.core.cases.updateField(created.id, 'description', 'Waited four hours in the emergency department');
    a.core.cases.appendNote(created.id, 'Caller will ring back tomorrow');
    a.core.cases.appendNote(created.id, 'Spoke to the ward manager');
    await a.engine.syncNow();
    expect(a.engine.state()).toMatchObject({ status: 'online', pending: 0 });

    await b.engine.syncNow();
    expect(b.engine.state()).toMatchObject({ status: 'online', pending: 0 });
    const onB = b.core.cases.get(created.id);
    expect(onB.reference).toBe(created.reference);
    expect(onB.fields.description).toBe('Waited four hours in the emergency department');
    expect(notes(onB.timeline)).toEqual(['Caller will ring back tomorrow', 'Spoke to the ward manager']);
    expect(onB.timeline.filter((event) => event.kind === 'created')).toHaveLength(1);
    expect(onB.timeline.find((event) => event.kind === 'note')?.authorName).toBe('Asha');
    // The pulled case is in B's search index, by its words and by its notes.
    expect(b.core.search.search('emergency', 10).items.map((item) => item.id)).toEqual([created.id]);
    expect(b.core.search.search('ward manager', 10).items.map((item) => item.id)).toEqual([created.id]);

    b.core.cases.appendNote(created.id, 'Ben called the caller back');
    await b.engine.syncNow();
    await a.engine.syncNow();
    await b.engine.syncNow();

    const onA = a.core.cases.get(created.id);
    expect(notes(onA.timeline)).toEqual(['Caller will ring back tomorrow', 'Spoke to the ward manager', 'Ben called the caller back']);
    expect(onA.timeline.filter((event) => event.kind === 'created')).toHaveLength(1);
    expect(onA.timeline.filter((event) => event.kind === 'field' && event.field === 'description')).toHaveLength(1);
    expect(notes(b.core.cases.get(created.id).timeline)).toEqual(notes(onA.timeline));
    expect((await serverCase(world, a, created.id)).body.events.filter((event) => event.kind === 'note')).toHaveLength(3);
  });

  it('sends what comes before a change the central API does not know, says in words that the API is older, and loses nothing', async () => {
    const a = await world.desk(world.asha);
    const b = await world.desk(world.ben);
    const before = a.core.cases.create({ type: 'feedback', channel: 'phone' });
    a.core.cases.updateField(before.id, 'description', 'Discharged without the letter for the GP');
    // This desk is newer than the API: it has queued a kind of change the API has not heard of (as a desk with
    // reports of lists shown met an API from before them). Written into the outbox by hand: no code of this desk
    // queues a kind the API does not know.
    a.core.db.prepare("INSERT INTO outbox (name, args, created_at) VALUES ('case.flagForCallback', ?, ?)").run(JSON.stringify({ caseId: before.id }), '2026-11-21T09:00:00.000Z');
    const after = a.core.cases.create({ type: 'question', channel: 'phone' });
    const fromBen = b.core.cases.create({ type: 'general-enquiry', channel: 'phone' });
    await b.engine.syncNow();

    await a.engine.syncNow();

    const state = a.engine.state();
    expect(state.status).toBe('error');
    expect(state.problem).toBe(
      'The central service is older than this desk: it does not yet take one kind of change this desk sends. Ask for it to be upgraded; everything logged here is kept and is sent once it is.',
    );
    // The two changes before it went in a shorter push; it and the case after it wait, in order.
    expect((await serverCase(world, a, before.id)).body.case.fields.description).toBe('Discharged without the letter for the GP');
    expect((await serverCase(world, a, after.id)).status).toBe(404);
    expect(a.core.outbox.peek(10).map((entry) => entry.name)).toEqual(['case.flagForCallback', 'case.create']);
    expect(a.control.pushSizes).toEqual([4, 2]);
    // The pull still ran: Ben's case is on Asha's desk.
    expect(a.core.cases.get(fromBen.id).reference).toBe(fromBen.reference);

    // The next cycle asks again with the refused change first (nothing before it is left to send), and drops nothing.
    await a.engine.syncNow();
    expect(a.engine.state().problem).toMatch(/older than this desk/);
    expect(a.control.pushSizes).toEqual([4, 2, 2]);
    expect(a.core.outbox.count()).toBe(2);
  });

  it('asks for the next page of a catch-up before applying the one it has, and ends with every case once', async () => {
    const a = await world.desk(world.asha);
    const created = Array.from({ length: 12 }, () => a.core.cases.create({ type: 'feedback', channel: 'phone' }).id);
    await a.engine.syncNow();
    // 12 cases are 24 changes (each case and its creation event): pages of 5 make five pages.
    const b = await world.desk(world.ben, { pullLimit: 5 });
    const requests: { cursor: number; casesHere: number }[] = [];
    b.control.onPull = ({ cursor }) => requests.push({ cursor, casesHere: b.core.cases.list({ limit: 50 }).items.length });
    await b.engine.syncNow();
    expect(b.engine.state()).toMatchObject({ status: 'online', pending: 0 });
    expect(b.core.cases.list({ limit: 50 }).items.map((item) => item.id).sort()).toEqual([...created].sort());
    const catchUp = requests.filter((request, i) => i === 0 || request.cursor > requests[i - 1]!.cursor);
    expect(catchUp.length).toBeGreaterThanOrEqual(5);
    // When the second page was asked for, the first (which holds cases) was not applied yet.
    expect(catchUp[1]!.casesHere).toBe(0);
  });

  it('fills an empty cache with its case indexes away and builds them at the end, also when the first catch-up stops half-way', async () => {
    const a = await world.desk(world.asha);
    const created = Array.from({ length: 12 }, () => a.core.cases.create({ type: 'feedback', channel: 'phone' }).id);
    await a.engine.syncNow();
    const indexSql = (desk: Desk) =>
      (desk.core.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases' AND sql IS NOT NULL ORDER BY name").all() as { sql: string }[]).map(
        (row) => row.sql,
      );

    // The first catch-up loses its connection at the third page: what it has is kept, its indexes are back.
    const b = await world.desk(world.ben, { pullLimit: 5 });
    const schema = indexSql(b);
    expect(schema.length).toBeGreaterThan(5);
    const seen: number[] = [];
    b.control.onPull = ({ cursor }) => {
      seen.push(indexSql(b).length);
      if (cursor > 0 && seen.length === 3) b.control.online = false;
    };
    await b.engine.syncNow();
    expect(b.engine.state().status).toBe('offline');
    expect(seen.slice(1)).toEqual([0, 0]);
    const partly = b.core.cases.list({ limit: 50 }).items.length;
    expect(partly).toBeGreaterThan(0);
    expect(partly).toBeLessThan(created.length);
    expect(indexSql(b)).toEqual(schema);

    // The rest comes a page at a time into the indexed tables, and every case is there once.
    const later: number[] = [];
    b.control.onPull = () => later.push(indexSql(b).length);
    b.control.online = true;
    await b.engine.syncNow();
    expect(b.engine.state()).toMatchObject({ status: 'online', pending: 0 });
    expect(later.length).toBeGreaterThan(0);
    expect(later.every((count) => count === schema.length)).toBe(true);
    expect(b.core.cases.list({ limit: 50 }).items.map((item) => item.id).sort()).toEqual([...created].sort());

    // A desk whose first catch-up ends well has them all too.
    const c = await world.desk(world.ben, { pullLimit: 5 });
    const during: number[] = [];
    c.control.onPull = ({ cursor }) => {
      if (cursor > 0) during.push(indexSql(c).length);
    };
    await c.engine.syncNow();
    expect(during.length).toBeGreaterThanOrEqual(3);
    expect(during.every((count) => count === 0)).toBe(true);
    expect(indexSql(c)).toEqual(schema);
    expect(c.core.cases.list({ limit: 50 }).items).toHaveLength(created.length);
  });

  it('leaves both caches committing with synchronous=FULL after cycles that push, pull and note the time', async () => {
    // A cycle commits its acknowledgements, pulled pages and last-synced time without waiting for the disk; the
    // handler's own saves must still wait for it.
    const a = await world.desk(world.asha);
    const b = await world.desk(world.ben);
    a.core.cases.create({ type: 'feedback', channel: 'phone' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    expect(b.core.cases.list({ limit: 10 }).items).toHaveLength(1);
    expect(a.core.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(b.core.db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('lets the first of two offline edits of a field win, shows the winner on the losing desk and logs who won', async () => {
    const a = await world.desk(world.asha);
    const b = await world.desk(world.ben);
    const created = a.core.cases.create({ type: 'feedback', channel: 'phone' });
    await a.engine.syncNow();
    await b.engine.syncNow();

    a.control.online = false;
    a.clock.advance(60_000);
    a.core.cases.updateField(created.id, 'description', 'Asha typed this while offline');
    await a.engine.syncNow();
    expect(a.engine.state().status).toBe('offline');

    b.clock.advance(120_000);
    b.core.cases.updateField(created.id, 'description', 'Ben typed this online');
    await b.engine.syncNow();
    expect(b.engine.state().status).toBe('online');

    a.control.online = true;
    await a.engine.syncNow();
    expect(a.engine.state()).toMatchObject({ status: 'online', pending: 0 });
    expect(a.control.pushAnswers.at(-1)?.conflicts).toBe(1);
    expect(a.core.cases.get(created.id).fields.description).toBe('Ben typed this online');

    const conflicts = a.core.db.prepare('SELECT * FROM case_conflicts WHERE case_id = ?').all(created.id) as Record<string, unknown>[];
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({
      field: 'description',
      kind: 'stale-edit',
      losing_value: JSON.stringify('Asha typed this while offline'),
      losing_by: world.asha.id,
      losing_at: new Date(a.clock.now()).toISOString(),
      winning_value: JSON.stringify('Ben typed this online'),
      winning_by_name: 'Ben',
      winning_at: new Date(b.clock.now()).toISOString(),
      seen: 0,
    });
    // The case tells the handler who changed it and keeps what she typed.
    expect(a.core.cases.get(created.id).conflicts).toEqual([
      expect.objectContaining({ field: 'description', kind: 'stale-edit', winningByName: 'Ben', losingValue: 'Asha typed this while offline', winningValue: 'Ben typed this online' }),
    ]);
    // The handler's own words are kept in the timeline even though they lost.
    const edits = a.core.cases.get(created.id).timeline.filter((event) => event.kind === 'field').map((event) => event.newValue);
    expect(edits).toEqual(['Asha typed this while offline', 'Ben typed this online']);

    // Having seen Ben's value, Asha's next edit is made on top of it and is kept.
    a.core.cases.updateField(created.id, 'description', 'Asha agrees with Ben');
    await a.engine.syncNow();
    expect(a.control.pushAnswers.at(-1)?.conflicts).toBe(0);
    expect((await serverCase(world, a, created.id)).body.case.fields.description).toBe('Asha agrees with Ben');
  });

  it('keeps a local edit that is still waiting on top of an older value pulled from the server', async () => {
    const a = await world.desk(world.asha);
    const b = await world.desk(world.ben);
    const created = a.core.cases.create({ type: 'feedback', channel: 'phone' });
    a.core.cases.updateField(created.id, 'description', 'First words');
    await a.engine.syncNow();
    await b.engine.syncNow();
    b.core.cases.updateField(created.id, 'department', 'Ward 7');
    await b.engine.syncNow();

    // Asha types while her desk's sync is under way: her edit is committed locally after the push, before the pull.
    a.control.beforePull = () => {
      a.core.cases.updateField(created.id, 'description', 'Second words, typed during the sync');
      a.core.cases.changeStatus(created.id, 'in-progress');
    };
    await a.engine.syncNow();
    const onA = a.core.cases.get(created.id);
    expect(onA.fields.department).toBe('Ward 7');
    expect(onA.fields.description).toBe('Second words, typed during the sync');
    expect(onA.status).toBe('in-progress');
    expect(a.core.outbox.count()).toBe(2);
    expect(a.core.search.search('typed during', 10).items.map((item) => item.id)).toEqual([created.id]);

    await a.engine.syncNow();
    expect(a.core.outbox.count()).toBe(0);
    // The two edits, and the search's report of the case it showed (for the audit log).
    expect(a.control.pushAnswers.at(-1)).toMatchObject({ applied: 3, conflicts: 0 });
    const held = await serverCase(world, a, created.id);
    expect(held.body.case.fields.description).toBe('Second words, typed during the sync');
    expect(a.core.cases.get(created.id)).toMatchObject({ status: 'in-progress', fields: { description: 'Second words, typed during the sync', department: 'Ward 7' } });
  });

  it('sends a push again when its answer was lost, and the server keeps each change once', async () => {
    const a = await world.desk(world.asha);
    const created = a.core.cases.create({ type: 'question', channel: 'phone' });
    a.core.cases.appendNote(created.id, 'Asked about visiting hours');
    a.core.cases.updateField(created.id, 'description', 'Visiting hours on the children’s ward');

    a.control.losePushAnswers = 1;
    await a.engine.syncNow();
    expect(a.engine.state()).toMatchObject({ status: 'offline', pending: 3 });
    expect(a.control.pushAnswers).toEqual([{ lastMutationId: 3, applied: 3, skipped: 0, conflicts: 0 }]);

    await a.engine.syncNow();
    expect(a.engine.state()).toMatchObject({ status: 'online', pending: 0 });
    expect(a.control.pushAnswers.at(-1)).toEqual({ lastMutationId: 3, applied: 0, skipped: 3, conflicts: 0 });
    const held = await serverCase(world, a, created.id);
    expect(held.body.events.filter((event) => event.kind === 'note')).toHaveLength(1);
    expect(held.body.events.filter((event) => event.kind === 'created')).toHaveLength(1);
    expect(held.body.conflicts).toEqual([]);
    const list = (await (await world.api.call('GET', '/cases', { token: await a.token() })).json()) as { items: { id: string }[] };
    expect(list.items.map((item) => item.id)).toEqual([created.id]);
    expect(notes(a.core.cases.get(created.id).timeline)).toEqual(['Asked about visiting hours']);
  });

  it('splits long notes over several pushes so that no request is over the central API’s size limit', async () => {
    const a = await world.desk(world.asha);
    const long = 'The caller described the whole visit in detail. '.repeat(200).slice(0, 10_000);
    for (let c = 0; c < 4; c += 1) {
      const created = a.core.cases.create({ type: 'feedback', channel: 'phone' });
      for (let n = 0; n < 30; n += 1) a.core.cases.appendNote(created.id, `${n}: ${long}`);
    }
    await a.engine.syncNow();
    expect(a.engine.state()).toMatchObject({ status: 'online', pending: 0, problem: null });
    expect(a.control.pushSizes.length).toBeGreaterThan(2);
    expect(a.control.pushSizes.reduce((sum, size) => sum + size, 0)).toBe(124);
  });

  it('reports the waiting count and a progress bar while it catches up on 1,000 changes made offline', async () => {
    const a = await world.desk(world.asha);
    a.control.online = false;
    const writes = a.core.db.transaction(() => {
      for (let c = 0; c < 20; c += 1) {
        const created = a.core.cases.create({ type: 'feedback', channel: 'phone' });
        for (let n = 0; n < 49; n += 1) a.core.cases.appendNote(created.id, `Note ${n} on case ${c}`);
      }
    });
    writes();
    expect(a.core.outbox.count()).toBe(1000);
    a.control.online = true;

    const seen: SyncState[] = [];
    a.engine.onChange((state) => seen.push(state));
    await a.engine.syncNow();

    expect(a.control.pushSizes).toEqual([200, 200, 200, 200, 200]);
    const pushing = seen.filter((state) => state.progress && state.progress.done <= 1000 && state.progress.total === 1000);
    expect(pushing.map((state) => [state.pending, state.progress?.done])).toEqual([
      [1000, 0],
      [800, 200],
      [600, 400],
      [400, 600],
      [200, 800],
      [0, 1000],
    ]);
    // 1,024 changes come back (the team's 4 people, 20 cases, 20 "created" events, 980 notes): two pages, the first
    // with more to come.
    const pulling = seen.filter((state) => state.progress && state.progress.done > 1000).map((state) => state.progress);
    expect(pulling).toEqual([
      { done: 2000, total: 3000 },
      { done: 2024, total: 2024 },
    ]);
    expect(a.engine.state()).toMatchObject({ status: 'online', pending: 0, progress: null });
  });
});
