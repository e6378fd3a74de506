import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SHOWN_AGAIN_AFTER_MS } from '../../../../src-main/core/cases/shown-cases';
import type { OutboxEntry } from '../../../../src-main/core/sync/outbox';
import { PASSWORD } from '../../../server/api-harness';
import { startSyncWorld, type SyncWorld } from '../sync/sync-harness';

type Report = { caseIds: string[]; shownIn: string; at: string };

/** The reports of lists shown that wait in the desk's outbox, oldest first. */
function listReports(entries: readonly OutboxEntry[]): Report[] {
  return entries.filter((entry) => entry.name === 'cases.listed').map((entry) => entry.args as Report);
}

describe('cases shown in lists on the desk, reported for the central audit log', () => {
  let world: SyncWorld;
  beforeEach(async () => {
    world = await startSyncWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('reports the cases the case list, search, the caller’s card and the inbox show, offline too, once a quarter of an hour for each place, and the server audits each', async () => {
    const a = await world.desk(world.asha);
    const b = await world.desk(world.ben);
    const caller = a.core.callers.save({ phone: '07400 123456', name: 'Pat Caller', flags: [] });
    const withCaller = a.core.cases.create({ type: 'feedback', channel: 'phone', callerId: caller.id });
    a.core.cases.updateField(withCaller.id, 'description', 'Waited four hours for a bed');
    const enquiry = a.core.cases.create({ type: 'general-enquiry', channel: 'phone' });
    await a.engine.syncNow();
    await b.engine.syncNow();

    // Ben is offline. Each list he is shown is read from his desk's copy, and its report is kept with the read.
    b.control.online = false;
    b.clock.set(Date.parse('2025-11-21T10:00:00Z'));
    const page = b.core.cases.list({});
    expect(page.items.map((item) => item.id).sort()).toEqual([withCaller.id, enquiry.id].sort());
    expect(b.core.search.search('four hours', 10).items.map((item) => item.id)).toEqual([withCaller.id]);
    expect(b.core.callers.lookup('07400 123456').openCases.map((item) => item.id)).toEqual([withCaller.id]);
    expect(b.core.inbox.list({}).items.map((item) => item.id)).toEqual([enquiry.id]);
    // Shown again within the quarter of an hour: nothing more to report.
    b.clock.set(Date.parse('2025-11-21T10:10:00Z'));
    b.core.cases.list({});
    b.core.search.search('four', 10);
    const at = '2025-11-21T10:00:00.000Z';
    expect(listReports(b.core.outbox.peek(100))).toEqual([
      { caseIds: page.items.map((item) => item.id), shownIn: 'case-list', at },
      { caseIds: [withCaller.id], shownIn: 'search', at },
      { caseIds: [withCaller.id], shownIn: 'caller-card', at },
      { caseIds: [enquiry.id], shownIn: 'inbox', at },
    ]);
    // Reports are not changes of Ben's: none is waiting, four reports are.
    await b.engine.syncNow();
    expect(b.engine.state()).toMatchObject({ status: 'offline', pending: 0, reports: 4 });

    // A quarter of an hour after it was first reported, a case shown again is reported again.
    b.clock.set(Date.parse('2025-11-21T10:15:00Z'));
    b.core.cases.list({});
    expect(listReports(b.core.outbox.peek(100)).at(-1)).toEqual({ caseIds: page.items.map((item) => item.id), shownIn: 'case-list', at: '2025-11-21T10:15:00.000Z' });

    b.control.online = true;
    await b.engine.syncNow();
    expect(b.core.outbox.count()).toBe(0);
    const audit = async (caseId: string) => (await world.api.store.auditFor(caseId)).filter((row) => row.userId === world.ben.id).map((row) => [row.reason, row.at]);
    expect(await audit(withCaller.id)).toEqual([
      ['Shown in the case list', at],
      ['Shown in search results', at],
      ['Shown on the caller’s card', at],
      ['Shown in the case list', '2025-11-21T10:15:00.000Z'],
    ]);
    expect(await audit(enquiry.id)).toEqual([
      ['Shown in the case list', at],
      ['Shown in the inbox', at],
      ['Shown in the case list', '2025-11-21T10:15:00.000Z'],
    ]);
    expect(SHOWN_AGAIN_AFTER_MS).toBe(15 * 60_000);
  });

  it('reports nothing for a list that shows no case, and nothing while no one is signed in', async () => {
    const a = await world.desk(world.asha);
    a.core.cases.create({ type: 'feedback', channel: 'phone' });
    await a.engine.syncNow();
    expect(a.core.search.search('nothing matches this', 10).items).toEqual([]);
    expect(a.core.callers.lookup('07400 123999').caller).toBeNull();
    expect(a.core.outbox.count()).toBe(0);

    await a.core.session.signOut();
    expect(a.core.cases.list({}).items).toHaveLength(1);
    expect(a.core.outbox.count()).toBe(0);
  });

  it('sends the reports still waiting when the handler signs out, so the next handler can take the desk, and reports the same list again for them', async () => {
    const a = await world.desk(world.asha);
    const created = a.core.cases.create({ type: 'feedback', channel: 'phone' });
    await a.engine.syncNow();
    // Asha looks at her list and signs out at once: the report has not gone yet.
    a.core.cases.list({});
    expect(a.core.outbox.waiting()).toEqual({ pending: 0, reports: 1 });
    await a.core.signOut();
    expect(a.core.outbox.count()).toBe(0);
    expect((await world.api.store.auditFor(created.id)).map((row) => [row.userId, row.reason])).toEqual([[world.asha.id, 'Shown in the case list']]);

    // Ben takes the desk, and the same list shown to him is his read.
    expect(await a.core.signIn(world.ben.email, PASSWORD)).toMatchObject({ status: 'signed-in', user: { id: world.ben.id } });
    await a.engine.syncNow();
    a.core.cases.list({});
    expect(listReports(a.core.outbox.peek(10))).toEqual([expect.objectContaining({ caseIds: [created.id], shownIn: 'case-list' })]);
  });

  it('reports again when the clock has been put back, and when the read that reported was in a transaction that was undone', async () => {
    const a = await world.desk(world.asha);
    a.core.cases.create({ type: 'feedback', channel: 'phone' });
    await a.engine.syncNow();
    a.control.online = false;
    a.clock.set(Date.parse('2025-11-21T12:00:00Z'));
    a.core.cases.list({});
    a.clock.set(Date.parse('2025-11-21T11:00:00Z'));
    a.core.cases.list({});
    expect(listReports(a.core.outbox.peek(10)).map((report) => report.at)).toEqual(['2025-11-21T12:00:00.000Z', '2025-11-21T11:00:00.000Z']);

    // A new case shown in a list read inside a transaction that is then rolled back: the report goes with it, and the
    // next showing reports the case (the one already reported at 11:00 is not reported again).
    a.clock.set(Date.parse('2025-11-21T11:01:00Z'));
    const second = a.core.cases.create({ type: 'feedback', channel: 'phone' });
    const undone = a.core.db.transaction(() => {
      a.core.cases.list({});
      throw new Error('undone');
    });
    expect(() => undone()).toThrow('undone');
    expect(listReports(a.core.outbox.peek(10))).toHaveLength(2);
    a.core.cases.list({});
    expect(listReports(a.core.outbox.peek(10)).at(-1)).toEqual({ caseIds: [second.id], shownIn: 'case-list', at: '2025-11-21T11:01:00.000Z' });
  });

  it('names at most 200 cases in one report, and a push takes the reports of at most 1,000 cases', async () => {
    const a = await world.desk(world.asha);
    for (let i = 0; i < 250; i += 1) a.core.cases.create({ type: 'feedback', channel: 'phone' });
    await a.engine.syncNow();
    a.control.online = false;
    // The longest page (200), then the rest of the list; then the first page again five times, a quarter of an hour
    // apart, so the push holding them must be split.
    const first = a.core.cases.list({ limit: 200 });
    a.core.cases.list({ limit: 200, cursor: first.nextCursor! });
    expect(listReports(a.core.outbox.peek(100)).map((report) => report.caseIds.length)).toEqual([200, 50]);
    for (let i = 0; i < 5; i += 1) {
      a.clock.set(a.clock.now() + SHOWN_AGAIN_AFTER_MS);
      a.core.cases.list({ limit: 200 });
    }
    expect(listReports(a.core.outbox.peek(100)).map((report) => report.caseIds.length)).toEqual([200, 50, 200, 200, 200, 200, 200]);

    a.control.online = true;
    await a.engine.syncNow();
    expect(a.core.outbox.count()).toBe(0);
    // 250 + 200 * 4 = 1,050 cases named: more than one push may carry, so two pushes.
    expect(a.control.pushSizes.slice(-2)).toEqual([5, 2]);
  });
});
