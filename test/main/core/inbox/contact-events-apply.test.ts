import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChangeApplier, PendingEdits } from '../../../../src-main/core/sync/apply-changes';
import type { Change } from '../../../../src-shared/sync/protocol';
import { openTestCore } from '../test-core';

const at = '2026-11-21T09:00:00.000Z';

describe('pulling message, moderation, provider and call events', () => {
  let t: ReturnType<typeof openTestCore>;
  let seq = 0;
  beforeEach(() => {
    t = openTestCore();
  });
  afterEach(() => t.close());

  function event(data: Record<string, unknown>): Change {
    seq += 1;
    return { seq, entity: 'caseEvent', entityId: String(data.id), data: { field: null, body: null, at, ...data }, at };
  }

  function apply(...changes: Change[]) {
    const applier = createChangeApplier(t.core.db, { search: t.core.search, logger: t.log.logger });
    return t.core.db.transaction(() => applier.applyPage(changes, new PendingEdits(t.core.outbox.pendingEdits())))();
  }

  it('keeps each with its value and text, the provider as its author, and skips what it cannot show', () => {
    const created = t.core.cases.create({ type: 'feedback', channel: 'email' });
    const summary = apply(
      event({ id: 'm1', caseId: created.id, kind: 'message', value: { direction: 'inbound', channel: 'email', externalId: '<a@b>', subject: 'Ward 7' }, body: 'The ward was cold.', authorId: 'intake', authorName: 'Patient (email)' }),
      event({ id: 'd1', caseId: created.id, kind: 'moderation', value: { step: 'approved', tier: 1, needsSecond: true, overrides: [] }, body: 'A ward was cold.', authorId: 'user-sup', authorName: 'Sam' }),
      event({ id: 'p1', caseId: created.id, kind: 'provider', value: { step: 'acknowledged', referralId: 'r1', providerId: 'provider-rx1' }, authorId: 'provider:provider-rx1', authorName: 'Northbridge Hospitals' }),
      event({ id: 'c1', caseId: created.id, kind: 'call', value: { outcome: 'answered', answeredAt: at }, authorId: 'user-asha', authorName: 'Asha' }),
      event({ id: 'x1', caseId: created.id, kind: 'telepathy', value: {}, authorId: 'intake', authorName: 'Intake' }),
      event({ id: 'x2', caseId: created.id, kind: 'message', value: { direction: 'inbound', channel: 'email' }, body: null, authorId: 'intake', authorName: 'Intake' }),
    );
    expect(summary).toMatchObject({ applied: 4, skipped: 2 });
    const timeline = t.core.cases.get(created.id).timeline.filter((e) => e.kind !== 'created');
    expect(timeline.map((e) => [e.kind, e.authorId, e.body])).toEqual([
      ['message', 'intake', 'The ward was cold.'],
      ['moderation', 'user-sup', 'A ward was cold.'],
      ['provider', 'provider:provider-rx1', null],
      ['call', 'user-asha', null],
    ]);
    expect(timeline[0]!.newValue).toMatchObject({ direction: 'inbound', subject: 'Ward 7' });
    expect(timeline[2]!.newValue).toMatchObject({ step: 'acknowledged', providerId: 'provider-rx1' });
    // Pulled again (a re-pull from the start): kept once.
    expect(apply(event({ id: 'm1', caseId: created.id, kind: 'message', value: { direction: 'inbound', channel: 'email' }, body: 'Changed?', authorId: 'intake', authorName: 'Patient (email)' }))).toMatchObject({ applied: 0, skipped: 1 });
    expect(t.core.cases.get(created.id).timeline.find((e) => e.id === 'm1')?.body).toBe('The ward was cold.');
  });
});
