import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RefusedError } from '../../../../src-main/core/errors';
import { SEARCH_RANK_CAP, toFtsQuery } from '../../../../src-main/core/cases/case-search';
import { openTestCore } from '../test-core';

describe('the screen pop (caller lookup)', () => {
  let t: ReturnType<typeof openTestCore>;
  beforeEach(() => {
    t = openTestCore();
  });
  afterEach(() => t.close());

  it('finds the caller however the number is written, with flags, open cases and the last 20 cases', () => {
    const caller = t.core.callers.save({ phone: '07400 123456', name: 'Pat Example', flags: ['vulnerable'] });
    for (let i = 0; i < 24; i++) {
      t.clock.advance(60_000);
      const c = t.core.cases.create({ type: 'question', channel: 'phone', callerId: caller.id });
      t.core.cases.updateField(c.id, 'description', `Question number ${i}`);
      if (i < 21) t.core.cases.changeStatus(c.id, 'answered');
    }
    const pop = t.core.callers.lookup('+44 (0)7400 123456'.replace('(0)', ''));
    expect(pop.caller).toMatchObject({ name: 'Pat Example', phone: '+447400123456', flags: ['vulnerable'] });
    expect(pop.recentCases).toHaveLength(20);
    expect(pop.recentCases[0]?.preview).toBe('Question number 23');
    expect(pop.openCases.map((c) => c.preview)).toEqual(['Question number 23', 'Question number 22', 'Question number 21']);
  });

  it('names the callers and the provider a case’s history refers to, by name or else by number', () => {
    const ann = t.core.callers.save({ phone: '07400 123456', name: 'Ann Jones', flags: [] });
    const unnamed = t.core.callers.save({ phone: '020 7946 0123', name: null, flags: [] });
    const provider = t.core.referenceData.searchProviders('RX1', 1)[0]!;
    const { id } = t.core.cases.create({ type: 'feedback', channel: 'phone' });
    t.core.cases.updateField(id, 'callerId', ann.id);
    t.core.cases.updateField(id, 'callerId', unnamed.id);
    t.core.cases.updateField(id, 'providerId', provider.id);
    const detail = t.core.cases.get(id);
    expect(detail.names).toEqual({ [ann.id]: 'Ann Jones', [unnamed.id]: '020 7946 0123', [provider.id]: provider.name });
    const callerEvents = detail.timeline.filter((event) => event.field === 'callerId');
    expect(callerEvents.map((event) => [event.oldValue, event.newValue])).toEqual([
      [null, ann.id],
      [ann.id, unnamed.id],
    ]);
  });

  it('answers a first-time caller with no history', () => {
    expect(t.core.callers.lookup('0113 496 0000')).toEqual({ phone: '+441134960000', caller: null, openCases: [], recentCases: [] });
  });

  it('answers a number given in E.164, as telephony sends it, and still refuses one that is no real number', () => {
    const caller = t.core.callers.save({ phone: '07400 123456', name: 'Pat Example', flags: [] });
    expect(t.core.callers.lookup('+447400123456')).toMatchObject({ phone: '+447400123456', caller: { id: caller.id } });
    expect(t.core.callers.lookup('+441134960000')).toMatchObject({ phone: '+441134960000', caller: null });
    expect(() => t.core.callers.lookup('+447700900123')).toThrow('Enter a UK phone number, like 07400 123456');
  });

  it('refuses something that is not a phone number with the hint', () => {
    expect(() => t.core.callers.lookup('hello')).toThrow(RefusedError);
    expect(() => t.core.callers.lookup('hello')).toThrow('Enter a UK phone number, like 07400 123456');
  });

  it('keeps one caller per number: saving the same number again updates that caller', () => {
    const first = t.core.callers.save({ phone: '020 7946 0123', name: 'Jo', flags: [] });
    const second = t.core.callers.save({ phone: '+442079460123', name: 'Jo Bloggs', flags: ['safeguarding'] });
    expect(second.id).toBe(first.id);
    expect(t.core.callers.lookup('02079460123').caller?.name).toBe('Jo Bloggs');
  });

  it('uses the caller-by-number and cases-by-caller indexes, never a table scan', () => {
    const plan = (sql: string) =>
      (t.core.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('x', 20) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan('SELECT * FROM callers WHERE phone = ? LIMIT ?')).toMatch(/SEARCH callers USING INDEX sqlite_autoindex_callers_\d+ \(phone=\?\)/);
    const cases = plan('SELECT * FROM cases c WHERE c.caller_id = ? ORDER BY c.created_at DESC LIMIT ?');
    expect(cases).toMatch(/USING INDEX cases_by_caller/);
    expect(cases).not.toMatch(/SCAN c\b(?! USING)/);
    expect(cases).not.toMatch(/TEMP B-TREE/);
  });
});

describe('case search', () => {
  let t: ReturnType<typeof openTestCore>;
  beforeEach(() => {
    t = openTestCore();
  });
  afterEach(() => t.close());

  it('finds a case by a word from its notes, by its reference typed loosely, and by the caller’s number', () => {
    const caller = t.core.callers.save({ phone: '07400 654321', name: null, flags: [] });
    const c = t.core.cases.create({ type: 'feedback', channel: 'phone', callerId: caller.id });
    t.core.cases.updateField(c.id, 'description', 'Waited six hours in the emergency department.');
    t.core.cases.appendNote(c.id, 'Caller mentioned the physiotherapy referral was lost.');
    t.core.cases.create({ type: 'question', channel: 'web' });

    const byNote = t.core.search.search('physiotherapy', 10);
    expect(byNote.items.map((i) => i.id)).toEqual([c.id]);
    expect(byNote.items[0]?.snippet).toContain('physiotherapy referral');
    expect(t.core.search.search('physio', 10).items.map((i) => i.id)).toEqual([c.id]);
    expect(t.core.search.search('emergency waited', 10).items.map((i) => i.id)).toEqual([c.id]);

    const loose = c.reference.toLowerCase().replace(/-/g, ' ');
    expect(t.core.search.search(loose, 10)).toMatchObject({ matchedBy: 'reference', items: [{ id: c.id }] });
    expect(t.core.search.search('07400 654321', 10)).toMatchObject({ matchedBy: 'phone', items: [{ id: c.id }] });
  });

  it('ranks the more relevant case first', () => {
    const once = t.core.cases.create({ type: 'feedback', channel: 'phone' });
    t.core.cases.updateField(once.id, 'description', 'Food was cold, and the staff were kind about it.');
    const many = t.core.cases.create({ type: 'feedback', channel: 'phone' });
    t.core.cases.updateField(many.id, 'description', 'Cold food, cold tea, cold toast: the food was cold every day.');
    expect(t.core.search.search('cold', 10).items.map((i) => i.id)).toEqual([many.id, once.id]);
  });

  it('stays bounded for a word in very many cases: ranks the newest matches and says it was capped', () => {
    const insert = t.core.db.prepare("INSERT INTO case_search (rowid, reference, description, notes) VALUES (?, 'CC', 'ward visit', '')");
    t.core.db.transaction(() => {
      for (let i = 1; i <= SEARCH_RANK_CAP + 50; i++) insert.run(100_000 + i);
    })();
    const result = t.core.search.search('ward', 10);
    expect(result.capped).toBe(true);
    expect(t.core.search.search('nothing-like-this', 10)).toMatchObject({ capped: false, items: [] });
  });

  it('shows the newest matches, newest first, for a word in more cases than the cap', () => {
    const ids = insertCases(t.core.db, SEARCH_RANK_CAP + 20, () => 'The kettle on the ward was broken');
    const result = t.core.search.search('kettle', 10);
    expect(result.capped).toBe(true);
    expect(result.items.map((item) => item.id)).toEqual(ids.slice(-10).reverse());
  });

  it('takes a complete common word as typed, without widening it to every word it starts', () => {
    insertCases(t.core.db, SEARCH_RANK_CAP + 20, () => 'Left on the ward overnight');
    const wardrobe = t.core.cases.create({ type: 'feedback', channel: 'phone' });
    t.core.cases.updateField(wardrobe.id, 'description', 'Clothes went missing from the wardrobe');
    const common = t.core.search.search('ward', 10);
    expect(common.capped).toBe(true);
    expect(common.items.map((item) => item.id)).not.toContain(wardrobe.id);
    expect(t.core.search.search('wardr', 10).items.map((item) => item.id)).toEqual([wardrobe.id]);
  });

  it('turns typed text into a safe query: quotes every word, prefix-matches the last', () => {
    expect(toFtsQuery('ward 9 "dirty')).toBe('"ward" "9" "dirty"*');
    expect(toFtsQuery('ward 9 "dirty', { lastIsPrefix: false })).toBe('"ward" "9" "dirty"');
    expect(toFtsQuery('NEAR(a b) OR cold')).toBe('"near" "a" "b" "or" "cold"*');
    expect(toFtsQuery('  --  ')).toBeNull();
    // A one- or two-letter last word is matched whole: expanding it would read thousands of words' postings.
    expect(toFtsQuery('ward wa')).toBe('"ward" "wa"');
  });
});

/** Many cases at once, straight into the tables (the repository's one-transaction-per-case is too slow for 2,000). */
function insertCases(db: Database.Database, count: number, description: (i: number) => string): string[] {
  const insertCase = db.prepare(`INSERT INTO cases (id, reference, type, channel, status, description, owner_id, created_by, created_at, updated_at)
    VALUES (?, ?, 'feedback', 'phone', 'open', ?, 'h', 'h', ?, ?)`);
  const insertSearch = db.prepare("INSERT INTO case_search (rowid, reference, description, notes) VALUES (?, ?, ?, '')");
  return db.transaction(() =>
    Array.from({ length: count }, (_, i) => {
      const at = new Date(Date.parse('2026-01-01T00:00:00Z') + i * 60_000).toISOString();
      const id = `bulk-${i}`;
      const rowid = insertCase.run(id, `BULK-${i}`, description(i), at, at).lastInsertRowid;
      insertSearch.run(rowid, `BULK-${i}`, description(i));
      return id;
    }),
  )();
}
