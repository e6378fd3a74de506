import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PASSWORD } from '../../../server/api-harness';
import { startSyncWorld, type Desk, type Person, type SyncWorld } from '../sync/sync-harness';

/** A shared desk: one handler after another at the same desktop, against the real central API on loopback. */
describe('hot desking', () => {
  let world: SyncWorld;
  /** A handler of team B, who shares no cases with Asha's team A. */
  let carl: Person;
  beforeEach(async () => {
    world = await startSyncWorld();
    carl = { ...world.api.users.otherHandler, name: 'handler' };
  });
  afterEach(() => world.close());

  const caseIds = (desk: Desk) => desk.core.cases.list({ limit: 50 }).items.map((item) => item.id);
  const refreshTokensOf = async (userId: string) => (await world.api.store.db.selectFrom('refresh_tokens').select('id').where('user_id', '=', userId).execute()).length;

  it('hands the desk to a handler of another team once the last one’s work has synced: their team’s cases replace hers', async () => {
    const a = await world.desk(world.asha);
    const hers = a.core.cases.create({ type: 'feedback', channel: 'phone' });
    a.core.cases.appendNote(hers.id, 'Asha rang the ward about the visit');
    await a.engine.syncNow();
    expect(a.engine.state()).toMatchObject({ status: 'online', pending: 0 });
    expect(a.core.referenceData.get().users.map((user) => user.name)).toContain('Asha');
    const teamB = await world.desk(carl);
    const theirs = teamB.core.cases.create({ type: 'question', channel: 'phone' });
    await teamB.engine.syncNow();

    // A caller of Asha's team merged on this desk (it names them in her cases' history).
    a.core.db.prepare("INSERT INTO caller_aliases (alias_id, caller_id) VALUES ('caller-typed', 'caller-of-team-a')").run();

    await a.core.session.signOut();
    const state = await a.core.signIn(carl.email, PASSWORD);
    expect(state).toMatchObject({ status: 'signed-in', user: { id: carl.id } });

    // Nothing of Asha's team is left on the desk; reference data for everyone is.
    expect(caseIds(a)).toEqual([]);
    expect(a.core.db.prepare('SELECT count(*) AS n FROM caller_aliases').get()).toEqual({ n: 0 });
    expect(a.core.search.search('rang the ward', 10).items).toEqual([]);
    expect(a.core.referenceData.get().users).toEqual([]);
    expect(a.settings.get('syncCursor')).toBeUndefined();
    expect(a.core.referenceData.searchProviders('Orchard', 10)).toHaveLength(1);

    await a.engine.syncNow();
    expect(a.engine.state()).toMatchObject({ status: 'online', pending: 0 });
    expect(caseIds(a)).toEqual([theirs.id]);
    expect(a.core.referenceData.get().users.map((user) => user.id)).toEqual([carl.id]);

    // Carl's own work goes up under a client id of his own, from mutation 1, and is his on the server.
    const his = a.core.cases.create({ type: 'general-enquiry', channel: 'phone' });
    await a.engine.syncNow();
    expect(a.engine.state()).toMatchObject({ status: 'online', pending: 0 });
    const clients = await world.api.store.db.selectFrom('sync_clients').selectAll().where('user_id', 'in', [world.asha.id, carl.id]).orderBy('created_at').execute();
    expect(clients.filter((client) => client.user_id === carl.id && client.client_id === a.settings.get('syncClientId'))).toHaveLength(1);
    expect(clients.filter((client) => client.user_id === world.asha.id).map((client) => client.client_id)).not.toContain(a.settings.get('syncClientId'));
    const read = await world.api.call('GET', `/cases/${his.id}`, { token: await a.token() });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { case: { ownerId: string } }).case.ownerId).toBe(carl.id);
  });

  it('refuses another handler while the last one’s changes are waiting, says how many and what to do, and changes nothing', async () => {
    const a = await world.desk(world.asha);
    a.control.online = false;
    const hers = a.core.cases.create({ type: 'feedback', channel: 'phone' });
    a.core.cases.appendNote(hers.id, 'Written while the line was down');
    await a.engine.syncNow();
    const waiting = a.core.outbox.count();
    expect(waiting).toBeGreaterThan(1);
    await a.core.session.signOut();
    const carlSessions = await refreshTokensOf(carl.id);

    await expect(a.core.signIn(carl.email, PASSWORD)).rejects.toThrow(
      `This desk still has ${waiting} changes by Asha waiting to reach the central service, so it cannot be handed to you yet. Connect the desk and let them sync, or ask Asha to sign in here to send them; then sign in again.`,
    );
    expect(a.core.session.state().status).toBe('signed-out');
    expect(a.core.outbox.count()).toBe(waiting);
    expect(caseIds(a)).toEqual([hers.id]);
    expect(a.settings.get('syncUserId')).toBe(world.asha.id);
    expect(await refreshTokensOf(carl.id)).toBe(carlSessions);

    // Asha signs in again: the same handler keeps everything, and her changes go up.
    await a.core.signIn(world.asha.email, PASSWORD);
    expect(a.core.outbox.count()).toBe(waiting);
    expect(a.core.cases.get(hers.id).timeline.map((event) => event.kind)).toEqual(['created', 'note']);
    a.control.online = true;
    await a.engine.syncNow();
    expect(a.engine.state()).toMatchObject({ status: 'online', pending: 0 });

    // Now the desk can pass to Carl.
    await a.core.session.signOut();
    await expect(a.core.signIn(carl.email, PASSWORD)).resolves.toMatchObject({ status: 'signed-in' });
  });

  it('keeps the desk for the last handler while the cases she opened offline are still to reach the audit log, and says so', async () => {
    const a = await world.desk(world.asha);
    const hers = a.core.cases.create({ type: 'feedback', channel: 'phone' });
    await a.engine.syncNow();
    a.control.online = false;
    a.core.cases.open(hers.id, 'case-list');
    a.core.cases.open(hers.id, 'caller-card');
    await a.engine.syncNow();
    expect(a.engine.state()).toMatchObject({ status: 'offline', pending: 0, reports: 2 });
    await a.core.session.signOut();

    await expect(a.core.signIn(carl.email, PASSWORD)).rejects.toThrow(
      'This desk still has 2 reports for the audit log by Asha waiting to reach the central service, so it cannot be handed to you yet.',
    );
    expect(a.core.outbox.count()).toBe(2);

    // Asha sends them; under her name, then the desk can pass to Carl.
    await a.core.signIn(world.asha.email, PASSWORD);
    a.control.online = true;
    await a.engine.syncNow();
    expect(a.engine.state()).toMatchObject({ status: 'online', pending: 0, reports: 0 });
    expect((await world.api.store.auditFor(hers.id)).map((row) => [row.userId, row.reason])).toEqual([
      [world.asha.id, 'Opened from the case list or search'],
      [world.asha.id, 'Opened from the caller’s card'],
    ]);
    await a.core.session.signOut();
    await expect(a.core.signIn(carl.email, PASSWORD)).resolves.toMatchObject({ status: 'signed-in' });
  });

  it('leaves a handler who is still signed in signed in and syncing when another handler is refused', async () => {
    const a = await world.desk(world.asha);
    a.control.online = false;
    a.core.cases.create({ type: 'feedback', channel: 'phone' });
    await a.engine.syncNow();

    await expect(a.core.signIn(carl.email, PASSWORD)).rejects.toThrow('1 change by Asha');
    expect(a.core.session.state()).toMatchObject({ status: 'signed-in', user: { id: world.asha.id } });
    a.control.online = true;
    await a.engine.syncNow();
    expect(a.engine.state()).toMatchObject({ status: 'online', pending: 0 });
  });

  it('keeps everything when the same handler signs in again', async () => {
    const a = await world.desk(world.asha);
    const hers = a.core.cases.create({ type: 'feedback', channel: 'phone' });
    await a.engine.syncNow();
    const cursor = a.settings.get<number>('syncCursor');
    const clientId = a.settings.get<string>('syncClientId') ?? a.core.installId;
    await a.core.session.signOut();
    await a.core.signIn(world.asha.email, PASSWORD);
    expect(caseIds(a)).toEqual([hers.id]);
    expect(a.settings.get('syncCursor')).toBe(cursor);
    expect(a.settings.get<string>('syncClientId') ?? a.core.installId).toBe(clientId);
  });
});
