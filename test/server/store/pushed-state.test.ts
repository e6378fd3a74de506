import { describe, expect, it } from 'vitest';
import { createPushedState } from '../../../src-server/store/pushed-state';
import type { CaseRow, SyncClientRow } from '../../../src-server/store/sync-writes';

const desk = (lastMutationId: number, id = 'desk-1'): SyncClientRow => ({ client_id: id, user_id: 'alex', last_mutation_id: lastMutationId, created_at: '2026-11-21T09:00:00.000Z' });
const caseRow = (id: string, version: number): CaseRow => ({
  id,
  reference: 'CC-7K3M-9QXP',
  reference_key: null,
  team_id: 'team',
  owner_id: 'alex',
  created_by: 'alex',
  type: 'feedback',
  channel: 'phone',
  status: 'open',
  fields: `{"description":"version ${version}"}`,
  field_seqs: '{}',
  created_at: '2026-11-21T09:00:00.000Z',
  updated_at: '2026-11-21T09:00:00.000Z',
  closed_at: null,
  version,
});

describe('what pushes through this API last committed', () => {
  it('answers for a push only when it knows the desk and every case the push does not create', () => {
    const state = createPushedState();
    expect(state.known('desk-1', ['a'], new Set())).toBeNull();
    state.remember({ client: desk(4), cases: [caseRow('a', 2)] });
    expect(state.known('desk-1', ['a'], new Set())).toEqual({ client: desk(4), cases: [caseRow('a', 2)] });
    expect(state.known('desk-1', ['a', 'b'], new Set())).toBeNull();
    // A case the push creates need not be known: it is taken not to exist yet.
    expect(state.known('desk-1', ['a', 'b'], new Set(['b']))).toEqual({ client: desk(4), cases: [caseRow('a', 2)] });
    expect(state.known('desk-2', ['a'], new Set())).toBeNull();
  });

  it('keeps the newer state when two pushes finish out of order, and forgets what a push found out of date', () => {
    const state = createPushedState();
    state.remember({ client: desk(6), cases: [caseRow('a', 3)] });
    state.remember({ client: desk(5), cases: [caseRow('a', 2)] });
    expect(state.known('desk-1', ['a'], new Set())).toEqual({ client: desk(6), cases: [caseRow('a', 3)] });
    state.forget('desk-1', ['a']);
    expect(state.known('desk-1', [], new Set())).toBeNull();
    state.remember({ client: desk(7), cases: [] });
    expect(state.known('desk-1', ['a'], new Set())).toBeNull();
  });

  it('holds at most its limits, letting the least recently used go first', () => {
    const state = createPushedState({ clients: 2, cases: 2 });
    state.remember({ client: desk(1, 'desk-1'), cases: [caseRow('a', 1), caseRow('b', 1)] });
    state.remember({ client: desk(1, 'desk-2'), cases: [] });
    // desk-1 and case a are used again, so desk-2 and case b are the least recently used.
    expect(state.known('desk-1', ['a'], new Set())).not.toBeNull();
    state.remember({ client: desk(1, 'desk-3'), cases: [caseRow('c', 1)] });
    expect(state.known('desk-1', ['a'], new Set())).not.toBeNull();
    expect(state.known('desk-2', [], new Set())).toBeNull();
    expect(state.known('desk-3', ['b'], new Set())).toBeNull();
    expect(state.known('desk-3', ['c'], new Set())).not.toBeNull();
  });
});
