import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INBOX_COUNT_CAP } from '../../../../src-main/core/inbox/inbox-repository';
import { openTestCore } from '../test-core';

const NOW = Date.parse('2026-11-21T12:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

describe('the shared inbox on the desk', () => {
  let t: ReturnType<typeof openTestCore>;
  let n = 0;
  beforeEach(() => {
    t = openTestCore();
    t.clock.set(NOW);
    t.core.db.prepare("INSERT INTO team_users (team_id, user_id, name, role, active) VALUES ('team-a', 'user-sam', 'Sam', 'handler', 1)").run();
  });
  afterEach(() => t.close());

  /** A case as sync leaves it: `owner` intake until someone claims it. */
  function contact(input: { channel: string; type?: string; status?: string; ageMinutes: number; owner?: string; description?: string; messages?: [string, 'inbound' | 'outbound', number][] }): string {
    n += 1;
    const id = `case-${String(n).padStart(3, '0')}`;
    const at = minutesAgo(input.ageMinutes);
    t.core.db
      .prepare(`INSERT INTO cases (id, reference, type, channel, status, description, owner_id, created_by, created_at, updated_at, closed_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, 'intake', ?, ?, ?)`)
      .run(id, `CC-TEST-${String(n).padStart(4, '0')}`, input.type ?? 'question', input.channel, input.status ?? 'open', input.description ?? '', input.owner ?? 'intake', at, at, input.status === 'answered' ? at : null);
    for (const [index, [body, direction, ago]] of (input.messages ?? []).entries()) {
      t.core.db
        .prepare(`INSERT INTO case_events (id, case_id, kind, new_value, body, author_id, author_name, at) VALUES (?, ?, 'message', ?, ?, 'intake', 'Patient (SMS)', ?)`)
        .run(`${id}-m${index}`, id, JSON.stringify({ direction, channel: input.channel, externalId: null }), body, minutesAgo(ago));
    }
    return id;
  }

  it('lists open contacts that did not come by phone and general enquiries, oldest first, with the newest message', () => {
    const sms = contact({ channel: 'sms', ageMinutes: 30, messages: [['Is the clinic open?', 'inbound', 30], ['Yes, until 6pm.', 'outbound', 20], ['Thanks, and on Sunday?', 'inbound', 10]] });
    const web = contact({ channel: 'web', ageMinutes: 300, description: 'How do I get a copy of my discharge letter?' });
    const enquiry = contact({ channel: 'phone', type: 'general-enquiry', ageMinutes: 90, owner: 'user-sam' });
    contact({ channel: 'phone', ageMinutes: 400 });
    contact({ channel: 'email', status: 'answered', ageMinutes: 500 });

    const page = t.core.inbox.list({});
    expect(page.items.map((item) => item.id)).toEqual([web, enquiry, sms]);
    expect(page.total).toBe(3);
    expect(page.items[2]).toMatchObject({ preview: 'Thanks, and on Sunday?', lastMessageDirection: 'inbound', claimed: false, ownerName: null });
    expect(page.items[0]).toMatchObject({ preview: 'How do I get a copy of my discharge letter?', lastMessageAt: null });
    expect(page.items[1]).toMatchObject({ claimed: true, ownerName: 'Sam' });
    expect(page.targets).toMatchObject({ social: 120, sms: 240, web: 1440, email: 1440 });
  });

  it('filters by channel, queue, status, age and who has it', () => {
    const oldSms = contact({ channel: 'sms', ageMinutes: 300 });
    const newSms = contact({ channel: 'sms', ageMinutes: 10, status: 'in-progress', owner: 'user-sam' });
    const social = contact({ channel: 'social', ageMinutes: 150, type: 'feedback' });
    const web = contact({ channel: 'web', ageMinutes: 600 });
    const ids = (filters: Parameters<typeof t.core.inbox.list>[0]) => t.core.inbox.list(filters).items.map((item) => item.id);

    expect(ids({ channel: 'sms' })).toEqual([oldSms, newSms]);
    expect(ids({ type: 'feedback' })).toEqual([social]);
    expect(ids({ status: 'in-progress' })).toEqual([newSms]);
    expect(ids({ age: 'over-4h' })).toEqual([web, oldSms]);
    // Past the target: SMS after 4 h, social after 2 h, web after 24 h.
    expect(ids({ age: 'overdue' })).toEqual([oldSms, social]);
    expect(ids({ owner: 'unclaimed' })).toEqual([web, oldSms, social]);
    t.core.inbox.setTargets({ ...t.core.inbox.targets(), web: 8 * 60 });
    expect(ids({ age: 'overdue' })).toEqual([web, oldSms, social]);
    expect(t.core.inbox.list({ channel: 'sms', limit: 1 })).toMatchObject({ total: 2, items: [{ id: oldSms }] });
  });

  it('reads the page from the inbox index, in its order', () => {
    contact({ channel: 'sms', ageMinutes: 5 });
    const plan = (t.core.db.prepare(`EXPLAIN QUERY PLAN SELECT c.id FROM cases c INDEXED BY cases_inbox WHERE c.status IN ('open', 'in-progress', 'escalated', 'referred-to-ombudsman') AND (c.channel <> 'phone' OR c.type = 'general-enquiry') AND c.channel = 'sms' ORDER BY c.created_at, c.id LIMIT 10`).all() as { detail: string }[])
      .map((row) => row.detail)
      .join(' | ');
    expect(plan).toMatch(/cases_inbox/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
    // The repository's own statements prepare with the index named, so a drift between the two fails here.
    expect(() => t.core.inbox.list({ channel: 'sms', type: 'question', status: 'open', age: 'overdue', owner: 'mine' })).not.toThrow();
  });

  it('counts up to its cap and then says there are more', () => {
    for (let i = 0; i <= INBOX_COUNT_CAP; i++) contact({ channel: 'web', ageMinutes: 5 });
    expect(t.core.inbox.list({ limit: 10 })).toMatchObject({ total: INBOX_COUNT_CAP, totalCapped: true });
    expect(t.core.inbox.list({ owner: 'mine' })).toMatchObject({ total: 0, totalCapped: false, items: [] });
  });

  it('resolves a contact with a disposition: a note saying which, the resolved status, both waiting to be pushed', () => {
    const id = contact({ channel: 'web', ageMinutes: 60, description: 'Can I bring my dog to visiting time?' });
    const before = t.core.outbox.count();
    const detail = t.core.inbox.resolve(id, 'information-given');
    expect(detail.status).toBe('answered');
    expect(detail.timeline.filter((e) => e.kind === 'note').map((e) => e.body)).toEqual(['Disposition: Information given']);
    expect(t.core.outbox.count()).toBe(before + 2);
    expect(t.core.inbox.list({}).items).toHaveLength(0);
    expect(() => t.core.inbox.resolve(id, 'information-given')).toThrow(/already closed/);
  });

  it('refuses a disposition that is not in the list, and a feedback case that is not complete, writing nothing', () => {
    const feedback = contact({ channel: 'web', type: 'feedback', ageMinutes: 60, description: 'The ward was cold' });
    const before = t.core.outbox.count();
    expect(() => t.core.inbox.resolve(feedback, 'made-up')).toThrow(/Choose a disposition/);
    expect(() => t.core.inbox.resolve(feedback, 'information-given')).toThrow(/Fill in what is missing/);
    expect(t.core.outbox.count()).toBe(before);
    expect(t.core.cases.get(feedback).timeline.filter((e) => e.kind === 'note')).toHaveLength(0);
    expect(t.core.cases.get(feedback).status).toBe('open');
  });
});
