import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RefusedError } from '../../../../src-main/core/errors';
import { createReferenceAllocator } from '../../../../src-main/core/cases/reference-allocator';
import { createSettings } from '../../../../src-main/core/settings';
import { decodeReference, RESERVED_DESK_TAG_MIN, SERVER_DESK_TAGS, validateReference } from '../../../../src-shared/domain/reference-number';
import { openTestCore } from '../test-core';

function refusal(fn: () => unknown): RefusedError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RefusedError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the case repository', () => {
  let t: ReturnType<typeof openTestCore>;
  beforeEach(() => {
    t = openTestCore();
  });
  afterEach(() => t.close());

  const provider = () => t.core.referenceData.searchProviders('RX1', 1)[0]!.id;

  it('opens a case with a valid reference, status open, a created event and one outbox entry', () => {
    const created = t.core.cases.create({ type: 'feedback', channel: 'phone' });
    expect(validateReference(created.reference)).toEqual({ ok: true, reference: created.reference });
    expect(created.status).toBe('open');
    expect(created.timeline.map((e) => e.kind)).toEqual(['created']);
    expect(t.core.outbox.peek(10).map((e) => e.name)).toEqual(['case.create']);
    expect(created.missing.map((issue) => issue.path)).toEqual(expect.arrayContaining(['description', 'category', 'providerId']));
  });

  it('never hands out the same reference twice', () => {
    const references = new Set<string>();
    for (let i = 0; i < 500; i++) references.add(t.core.cases.create({ type: 'question', channel: 'web' }).reference);
    expect(references.size).toBe(500);
  });

  it('saves a field with its timeline event and outbox entry, and writes nothing when the value is unchanged', () => {
    const { id } = t.core.cases.create({ type: 'feedback', channel: 'phone' });
    const saved = t.core.cases.updateField(id, 'category', 'cleanliness');
    expect(saved).toMatchObject({ changed: true, value: 'cleanliness', version: 2 });
    const again = t.core.cases.updateField(id, 'category', 'cleanliness');
    expect(again.changed).toBe(false);
    const detail = t.core.cases.get(id);
    expect(detail.fields.category).toBe('cleanliness');
    expect(detail.timeline.filter((e) => e.kind === 'field')).toEqual([
      expect.objectContaining({ field: 'category', oldValue: null, newValue: 'cleanliness' }),
    ]);
    expect(t.core.outbox.count()).toBe(2);
  });

  it('normalises a contact number to E.164 as it saves it', () => {
    const { id } = t.core.cases.create({ type: 'question', channel: 'phone' });
    expect(t.core.cases.updateField(id, 'contactPhone', '07400 123456').value).toBe('+447400123456');
  });

  it.each([
    ['contactPhone', '07700 900123', 'Enter a UK phone number, like 07400 123456'],
    ['description', 'x'.repeat(20_001), '20,000'],
    ['providerId', 'no-such-provider', 'Choose a provider from the list.'],
  ] as const)('refuses a bad %s with a message for that field, and stores nothing', (field, value, message) => {
    const { id } = t.core.cases.create({ type: 'feedback', channel: 'phone' });
    const before = t.core.cases.get(id);
    const outboxBefore = t.core.outbox.count();
    const error = refusal(() => t.core.cases.updateField(id, field, value));
    expect(error.code).toBe('invalid-input');
    expect(error.issues?.[0]?.path).toBe(field);
    expect(error.message).toContain(message);
    expect(t.core.cases.get(id)).toEqual(before);
    expect(t.core.outbox.count()).toBe(outboxBefore);
  });

  it('refuses high priority for a category that does not allow it', () => {
    const { id } = t.core.cases.create({ type: 'feedback', channel: 'phone' });
    t.core.cases.updateField(id, 'category', 'parking');
    const error = refusal(() => t.core.cases.updateField(id, 'priority', 'high'));
    expect(error.issues?.[0]?.path).toBe('priority');
    t.core.cases.updateField(id, 'category', 'cleanliness');
    expect(t.core.cases.updateField(id, 'priority', 'high').changed).toBe(true);
  });

  it('rolls the change back when its outbox entry cannot be written', () => {
    const { id } = t.core.cases.create({ type: 'feedback', channel: 'phone' });
    t.core.db.exec("CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    expect(() => t.core.cases.updateField(id, 'category', 'food')).toThrow(/disk full/);
    expect(() => t.core.cases.appendNote(id, 'a note')).toThrow(/disk full/);
    const detail = t.core.cases.get(id);
    expect(detail.fields.category).toBeNull();
    expect(detail.timeline.map((e) => e.kind)).toEqual(['created']);
    expect(detail.version).toBe(1);
  });

  it('appends notes to the timeline, refusing empty and over-long ones', () => {
    const { id } = t.core.cases.create({ type: 'question', channel: 'phone' });
    t.clock.advance(1000);
    t.core.cases.appendNote(id, 'Caller asked about parking charges.');
    t.clock.advance(1000);
    t.core.cases.appendNote(id, 'Gave the trust’s parking office number.');
    expect(t.core.cases.get(id).timeline.filter((e) => e.kind === 'note').map((e) => e.body)).toEqual([
      'Caller asked about parking charges.',
      'Gave the trust’s parking office number.',
    ]);
    expect(refusal(() => t.core.cases.appendNote(id, '   ')).message).toBe('Write the note before adding it.');
    expect(refusal(() => t.core.cases.appendNote(id, 'n'.repeat(10_001))).message).toContain('10,000');
    expect(refusal(() => t.core.cases.appendNote('missing', 'hello')).code).toBe('not-found');
  });

  it('moves a case only along the allowed transitions, and only closes it once it is complete', () => {
    const { id } = t.core.cases.create({ type: 'feedback', channel: 'phone' });
    expect(t.core.cases.changeStatus(id, 'in-progress').allowedStatuses).toContain('responded');
    expect(refusal(() => t.core.cases.changeStatus(id, 'answered')).issues?.[0]?.path).toBe('status');
    const incomplete = refusal(() => t.core.cases.changeStatus(id, 'responded'));
    expect(incomplete.issues?.map((issue) => issue.path).sort()).toEqual(['category', 'description', 'providerId']);
    t.core.cases.updateField(id, 'description', 'The ward was dirty.');
    t.core.cases.updateField(id, 'category', 'cleanliness');
    t.core.cases.updateField(id, 'providerId', provider());
    const closed = t.core.cases.changeStatus(id, 'responded');
    expect(closed).toMatchObject({ status: 'responded', isOpen: false });
    expect(closed.closedAt).not.toBeNull();
    expect(closed.allowedStatuses).toEqual(['in-progress']);
    expect(t.core.cases.changeStatus(id, 'in-progress').closedAt).toBeNull();
  });

  it('lists cases newest first with filters, and pages through all of them exactly once', () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      t.clock.advance(60_000);
      const c = t.core.cases.create({ type: i % 2 ? 'question' : 'feedback', channel: 'phone' });
      ids.push(c.id);
      if (i % 5 === 0) t.core.cases.updateField(c.id, 'providerId', provider());
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = t.core.cases.list({ limit: 7, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect(t.core.cases.list({ type: 'question' }).items).toHaveLength(12);
    expect(t.core.cases.list({ providerId: provider() }).items).toHaveLength(5);
    expect(t.core.cases.list({ status: 'closed' }).items).toHaveLength(0);
    expect(t.core.cases.list({ mine: true }).items).toHaveLength(25);
    const day = new Date(t.clock.now()).toISOString().slice(0, 10);
    expect(t.core.cases.list({ from: day, to: day, limit: 200 }).items.length).toBeGreaterThan(0);
    expect(t.core.cases.list({ to: '2000-01-01' }).items).toHaveLength(0);
  });
});

describe("a desk's reference tag", () => {
  it('is drawn below the tags the central API keeps for itself, and a desk holding one of those draws again', () => {
    const t = openTestCore();
    try {
      const { deskTag } = createReferenceAllocator(t.core.db, createSettings(t.core.db, Date));
      expect(deskTag).toBeLessThan(RESERVED_DESK_TAG_MIN);
      const settings = createSettings(t.core.db, Date);
      settings.set('deskTag', SERVER_DESK_TAGS.intake);
      const redrawn = createReferenceAllocator(t.core.db, settings);
      expect(redrawn.deskTag).toBeLessThan(RESERVED_DESK_TAG_MIN);
      expect(settings.get<number>('deskTag')).toBe(redrawn.deskTag);
      const reference = t.core.db.transaction(() => redrawn.next())();
      expect(decodeReference(reference)?.deskTag).toBe(redrawn.deskTag);
    } finally {
      t.close();
    }
  });
});
