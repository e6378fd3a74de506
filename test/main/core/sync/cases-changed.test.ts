import { casesChangedBy } from '../../../../src-main/core/sync/sync-engine';
import type { Change } from '../../../../src-shared/sync/protocol';

const at = '2026-11-21T10:00:00.000Z';

describe('which cases a pulled page changed', () => {
  it('names each case once, from its own changes, its timeline events and its conflicts, and nothing else', () => {
    const changes: Change[] = [
      { seq: 1, entity: 'case', entityId: 'case-a', data: { id: 'case-a' }, at },
      { seq: 2, entity: 'caseEvent', entityId: 'e1', data: { caseId: 'case-b', kind: 'message' }, at },
      { seq: 3, entity: 'conflict', entityId: 'x1', data: { caseId: 'case-c' }, at },
      { seq: 4, entity: 'caseEvent', entityId: 'e2', data: { caseId: 'case-a', kind: 'note' }, at },
      { seq: 5, entity: 'caller', entityId: 'caller-1', data: { id: 'caller-1' }, at },
      { seq: 6, entity: 'provider', entityId: 'p1', data: { id: 'p1' }, at },
    ];
    expect(casesChangedBy(changes)).toEqual(['case-a', 'case-b', 'case-c']);
  });
});
