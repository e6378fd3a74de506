import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChangeApplier, PendingEdits, type ApplySummary } from '../../../../src-main/core/sync/apply-changes';
import type { CaseDetail } from '../../../../src-shared/contract/cases';
import { defaultCaseFields } from '../../../../src-shared/domain/case-record';
import type { Change } from '../../../../src-shared/sync/protocol';
import { openTestCore } from '../test-core';

const at = '2026-11-21T09:00:00.000Z';

describe('applying pulled changes to the local cache', () => {
  let t: ReturnType<typeof openTestCore>;
  let seq = 100;
  beforeEach(() => {
    t = openTestCore();
  });
  afterEach(() => t.close());

  function change(entity: Change['entity'], data: Record<string, unknown>): Change {
    seq += 1;
    return { seq, entity, entityId: String(data.id ?? data.aliasId ?? seq), data, at };
  }

  /** A 'case' change as the server sends it: the case as it stands, with the change number of each field. */
  function serverCase(local: CaseDetail, patch: { fields?: Record<string, unknown>; status?: string; fieldSeqs?: Record<string, number> } = {}) {
    return change('case', {
      id: local.id,
      reference: local.reference,
      teamId: 'team-a',
      ownerId: 'user-asha',
      createdBy: 'user-asha',
      status: patch.status ?? local.status,
      fields: { ...local.fields, ...patch.fields },
      fieldSeqs: Object.fromEntries(Object.entries(patch.fieldSeqs ?? {}).map(([field, n]) => [field, { seq: n, by: 'user-ben', byName: 'Ben', at }])),
      createdAt: local.createdAt,
      updatedAt: at,
      closedAt: null,
      version: 3,
    });
  }

  function apply(...changes: Change[]): ApplySummary {
    const applier = createChangeApplier(t.core.db, { search: t.core.search, logger: t.log.logger });
    return t.core.db.transaction(() => applier.applyPage(changes, new PendingEdits(t.core.outbox.pendingEdits())))();
  }

  function seqsOf(caseId: string): Record<string, number> {
    const row = t.core.db.prepare('SELECT server_field_seqs FROM cases WHERE id = ?').get(caseId) as { server_field_seqs: string };
    return JSON.parse(row.server_field_seqs) as Record<string, number>;
  }

  it('takes several states of one case in a page as the newest, with every event between them and the newest change numbers', () => {
    const created = t.core.cases.create({ type: 'feedback', channel: 'phone' });
    const summary = apply(
      serverCase(created, { fields: { description: 'First words' }, fieldSeqs: { description: 5 } }),
      change('caseEvent', { id: 'note-from-ben', caseId: created.id, kind: 'note', field: null, value: null, body: 'Ben rang the ward', authorId: 'user-ben', authorName: 'Ben', at }),
      serverCase(created, { fields: { description: 'Newer words', department: 'Ward 3' }, fieldSeqs: { description: 7, department: 8 } }),
    );
    expect(summary).toMatchObject({ applied: 2, skipped: 1 });
    const held = t.core.cases.get(created.id);
    expect(held.fields).toMatchObject({ description: 'Newer words', department: 'Ward 3' });
    expect(held.timeline.filter((event) => event.kind === 'note').map((event) => event.body)).toEqual(['Ben rang the ward']);
    expect(seqsOf(created.id)).toEqual({ description: 7, department: 8 });
    expect(t.core.search.search('newer', 10).items.map((item) => item.id)).toEqual([created.id]);
  });

  /** A case made on another desk, as the server sends it: its words changed as server change `seq`. */
  function elsewhereCase(id: string, reference: string, description: string, fields: Record<string, unknown> = {}, seq = 3): Change {
    return change('case', {
      id,
      reference,
      teamId: 'team-a',
      ownerId: 'user-ben',
      createdBy: 'user-ben',
      status: 'open',
      fields: { ...defaultCaseFields('feedback', 'phone'), description, ...fields },
      fieldSeqs: { description: { seq, by: 'user-ben', byName: 'Ben', at } },
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      version: 1,
    });
  }

  function found(words: string): string[] {
    return t.core.search.search(words, 10).items.map((item) => item.id);
  }

  it('finds cases new to this desk by their words, their notes in the same page or a later one, and a conflict’s winning words', () => {
    const note = (id: string, caseId: string, body: string) =>
      change('caseEvent', { id, caseId, kind: 'note', field: null, value: null, body, authorId: 'user-ben', authorName: 'Ben', at });
    apply(
      elsewhereCase('case-plain', 'CC-7K3M-9QX1', 'The car park barrier was broken'),
      elsewhereCase('case-noted', 'CC-7K3M-9QX2', 'Waited four hours in outpatients'),
      note('note-1', 'case-noted', 'Called the clinic manager back'),
      elsewhereCase('case-disputed', 'CC-7K3M-9QX3', 'Lost hearing aid on the ward'),
      change('conflict', {
        id: 'conflict-1',
        caseId: 'case-disputed',
        field: 'description',
        kind: 'stale-edit',
        losingValue: 'Lost hearing aid on the ward',
        losingBy: 'user-ben',
        losingByName: 'Ben',
        losingAt: at,
        winningValue: 'Lost dentures on the stroke unit',
        winningByName: 'Sam',
        winningAt: at,
        reason: 'changed while offline',
        seq: 9,
      }),
    );
    expect(found('barrier')).toEqual(['case-plain']);
    expect(found('outpatients')).toEqual(['case-noted']);
    expect(found('clinic manager')).toEqual(['case-noted']);
    expect(found('dentures')).toEqual(['case-disputed']);
    expect(found('hearing')).toEqual([]);

    // A later page's note is added to the entry the first page wrote (the entry is replaced whole: its words stay).
    apply(note('note-2', 'case-plain', 'Estates fixed the barrier'));
    expect(found('estates')).toEqual(['case-plain']);
    expect(found('barrier')).toEqual(['case-plain']);
    expect(found('car park')).toEqual(['case-plain']);
  });

  it('indexes a case new to this desk that a page writes twice, with a note between, by its newest words and the note', () => {
    // A conflict in the page keeps each state of the case apart (they are not taken as one newest state).
    const first = elsewhereCase('case-twice', 'CC-7K3M-9QX4', 'Appointment letter never arrived');
    const second = elsewhereCase('case-twice', 'CC-7K3M-9QX4', 'Appointment moved twice without notice');
    apply(
      first,
      change('caseEvent', { id: 'note-twice', caseId: 'case-twice', kind: 'note', field: null, value: null, body: 'Booking office apologised', authorId: 'user-ben', authorName: 'Ben', at }),
      change('conflict', {
        id: 'conflict-twice',
        caseId: 'case-twice',
        field: 'priority',
        kind: 'stale-edit',
        losingValue: 'normal',
        losingBy: 'user-ben',
        losingByName: 'Ben',
        losingAt: at,
        winningValue: 'high',
        winningByName: 'Sam',
        winningAt: at,
        reason: 'changed while offline',
        seq: 4,
      }),
      second,
    );
    expect(found('moved twice')).toEqual(['case-twice']);
    expect(found('booking office')).toEqual(['case-twice']);
    expect(found('letter')).toEqual([]);
  });

  it('moves the cases of a local caller onto a pulled caller with the same number, and removes the duplicate', () => {
    const local = t.core.callers.save({ phone: '07400 123456', name: 'Typed locally', flags: [] });
    const created = t.core.cases.create({ type: 'feedback', channel: 'phone', callerId: local.id });

    apply(change('caller', { id: 'caller-server', teamId: 'team-a', phone: '+447400123456', name: 'From the server', flags: ['interpreter'], updatedAt: at }));

    expect(t.core.callers.lookup('+447400123456').caller).toMatchObject({ id: 'caller-server', flags: ['interpreter'] });
    expect(t.core.cases.get(created.id).caller?.id).toBe('caller-server');
    expect(t.core.callers.get(local.id)).toBeNull();
  });

  it('repoints cases from an alias to the caller it stands for, keeping the number', () => {
    const local = t.core.callers.save({ phone: '07400 654321', name: null, flags: [] });
    const created = t.core.cases.create({ type: 'question', channel: 'phone', callerId: local.id });

    apply(change('callerAlias', { aliasId: local.id, callerId: 'caller-canonical' }));

    expect(t.core.cases.get(created.id).caller?.id).toBe('caller-canonical');
    expect(t.core.callers.lookup('+447400654321').caller?.id).toBe('caller-canonical');
    expect(t.core.callers.get(local.id)).toBeNull();
  });

  it('still names a caller in a case’s history after merging them into the pulled caller they stand for', () => {
    const byNumber = t.core.callers.save({ phone: '07400 123456', name: 'Typed locally', flags: [] });
    const byAlias = t.core.callers.save({ phone: '07400 654321', name: 'Another typed locally', flags: [] });
    const first = t.core.cases.create({ type: 'feedback', channel: 'phone' });
    t.core.cases.updateField(first.id, 'callerId', byNumber.id);
    const second = t.core.cases.create({ type: 'question', channel: 'phone' });
    t.core.cases.updateField(second.id, 'callerId', byAlias.id);

    // A pulled caller with the same number, then an alias of that caller, then an alias of the second caller.
    apply(change('caller', { id: 'caller-server', teamId: 'team-a', phone: '+447400123456', name: 'From the server', flags: [], updatedAt: at }));
    apply(change('callerAlias', { aliasId: 'caller-server', callerId: 'caller-canonical' }));
    apply(change('callerAlias', { aliasId: byAlias.id, callerId: 'caller-canonical' }));

    expect(t.core.callers.get(byNumber.id)).toBeNull();
    expect(t.core.cases.get(first.id).names).toEqual({ [byNumber.id]: 'From the server' });
    expect(t.core.cases.get(second.id).names).toEqual({ [byAlias.id]: 'From the server' });
  });

  it('keeps a pulled case whose provider and caller this desk does not know, and logs it without the case’s words', () => {
    const summary = apply(
      elsewhereCase('case-from-elsewhere', 'CC-7K3M-9QXP', 'Nobody answered the maternity unit phone', { channel: 'web', providerId: 'provider-new-trust', callerId: 'caller-not-here' }, 7),
    );

    expect(summary).toEqual({ applied: 1, skipped: 0, reindexed: 1 });
    const pulled = t.core.cases.get('case-from-elsewhere');
    expect(pulled.provider).toMatchObject({ id: 'provider-new-trust', name: 'Unknown provider' });
    expect(pulled.caller).toBeNull();
    expect(seqsOf('case-from-elsewhere')).toEqual({ description: 7 });
    expect(t.core.search.search('maternity', 10).items.map((item) => item.id)).toEqual(['case-from-elsewhere']);
    expect(t.log.text()).toContain('placeholder');
    expect(t.log.text()).not.toContain('maternity');
  });

  it('skips changes of entities it does not keep and changes it cannot read, and applies the rest of the page', () => {
    const created = t.core.cases.create({ type: 'feedback', channel: 'phone' });
    const summary = apply(
      change('provider', { id: 'provider-x', name: 'A trust' }),
      change('user', { id: 'user-x', name: 'Someone' }),
      change('case', { id: created.id, reference: created.reference }),
      serverCase(created, { fields: { department: 'Outpatients' }, fieldSeqs: { department: 9 } }),
    );
    expect(summary).toMatchObject({ applied: 1, skipped: 3 });
    expect(t.core.cases.get(created.id).fields.department).toBe('Outpatients');
  });

  it('adds a pulled note once and never rewrites an event it already has', () => {
    const created = t.core.cases.create({ type: 'feedback', channel: 'phone' });
    const note = { id: 'note-from-ben', caseId: created.id, kind: 'note', field: null, value: null, body: 'Ben rang the ward', authorId: 'user-ben', authorName: 'Ben', at, seq: 12 };
    apply(change('caseEvent', note));
    apply(change('caseEvent', { ...note, body: 'Something else entirely' }));

    const notes = t.core.cases.get(created.id).timeline.filter((event) => event.kind === 'note');
    expect(notes).toEqual([expect.objectContaining({ id: 'note-from-ben', body: 'Ben rang the ward', authorName: 'Ben' })]);
    expect(t.core.search.search('rang the ward', 10).items.map((item) => item.id)).toEqual([created.id]);
  });

  it('gives a field the winning value of a conflict, unless the handler typed a newer edit that is still waiting', () => {
    const created = t.core.cases.create({ type: 'feedback', channel: 'phone' });
    t.core.outbox.acknowledge(Number.MAX_SAFE_INTEGER);
    t.clock.advance(1000);
    t.core.cases.updateField(created.id, 'description', 'My first words');
    const losingAt = new Date(t.clock.now()).toISOString();
    const conflict = (id: string, field: string, losingValue: unknown, winningValue: unknown) =>
      change('conflict', {
        id,
        caseId: created.id,
        field,
        kind: 'stale-edit',
        losingValue,
        losingBy: 'user-asha',
        losingByName: 'Asha',
        losingAt,
        winningValue,
        winningBy: 'user-ben',
        winningByName: 'Ben',
        winningAt: at,
        reason: 'Changed by Ben while this edit was offline.',
        seq: 40,
      });

    // The push's answer was lost, so the edit that lost is still in the outbox: the winner replaces it.
    apply(conflict('conflict-1', 'description', 'My first words', 'Ben’s words'));
    expect(t.core.cases.get(created.id).fields.description).toBe('Ben’s words');
    expect(seqsOf(created.id).description).toBe(40);

    // A newer edit waiting in the outbox stays on top of the winner.
    t.clock.advance(1000);
    t.core.cases.updateField(created.id, 'description', 'My second words');
    apply(conflict('conflict-2', 'description', 'My first words', 'Ben’s newer words'));
    expect(t.core.cases.get(created.id).fields.description).toBe('My second words');

    const rows = t.core.db.prepare('SELECT id, winning_by_name, seen FROM case_conflicts ORDER BY id').all();
    expect(rows).toEqual([
      { id: 'conflict-1', winning_by_name: 'Ben', seen: 0 },
      { id: 'conflict-2', winning_by_name: 'Ben', seen: 0 },
    ]);
  });

  it('keeps a waiting status change on top of a pulled case, and takes the server’s change number only for values it already has', () => {
    const created = t.core.cases.create({ type: 'feedback', channel: 'phone' });
    t.core.outbox.acknowledge(Number.MAX_SAFE_INTEGER);
    t.core.cases.changeStatus(created.id, 'in-progress');
    t.core.cases.updateField(created.id, 'department', 'Ward 7');

    apply(serverCase(created, { status: 'open', fields: { department: 'Ward 7', description: 'Server words' }, fieldSeqs: { status: 5, department: 6, description: 8 } }));

    const after = t.core.cases.get(created.id);
    expect(after.status).toBe('in-progress');
    expect(after.fields).toMatchObject({ department: 'Ward 7', description: 'Server words' });
    expect(seqsOf(created.id)).toEqual({ department: 6, description: 8 });
    // The next edit of the description tells the server which value it was made on.
    t.core.cases.updateField(created.id, 'description', 'Edited on top');
    expect(t.core.outbox.peek(10).at(-1)?.args).toMatchObject({ field: 'description', baseSeq: 8, eventId: expect.any(String) });
  });
});
