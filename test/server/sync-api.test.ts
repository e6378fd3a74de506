import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LISTED_CASES, MAX_PUSH_LISTED_CASES, pullResponseSchema } from '../../src-shared/sync/protocol';
import { createCaseMutation, startApi, type ApiHarness } from './api-harness';

describe('the sync endpoints', () => {
  let api: ApiHarness;
  let token = '';
  beforeAll(async () => {
    api = await startApi();
    token = await api.tokenFor('handler@a.test');
  });
  afterAll(() => api.close());

  it('applies a push, skips its replay, and returns the changes and lastMutationId on pull', async () => {
    const clientId = randomUUID();
    const body = { clientId, mutations: [createCaseMutation(1), createCaseMutation(2)] };
    expect(await (await api.call('POST', '/sync/push', { token, body })).json()).toEqual({ lastMutationId: 2, applied: 2, skipped: 0, conflicts: 0 });
    expect(await (await api.call('POST', '/sync/push', { token, body })).json()).toEqual({ lastMutationId: 2, applied: 0, skipped: 2, conflicts: 0 });
    const pull = (await (await api.call('POST', '/sync/pull', { token, body: { clientId, cursor: 0 } })).json()) as { changes: { entity: string }[]; lastMutationId: number; cursor: number };
    expect(pull.lastMutationId).toBe(2);
    expect(pull.changes.filter((c) => c.entity === 'case')).toHaveLength(2);
    const again = (await (await api.call('POST', '/sync/pull', { token, body: { clientId, cursor: pull.cursor } })).json()) as { changes: unknown[] };
    expect(again.changes).toEqual([]);
  });

  it('answers a pull with a page in the protocol’s shape that holds exactly what the store’s pull returns, whatever the notes hold', async () => {
    const clientId = randomUUID();
    const caseId = randomUUID();
    const text = 'She said "it\'s urgent" \\ then:\n\tline two — naïve café ✓ \u2028 </script>';
    const mutations = [createCaseMutation(1, caseId), { id: 2, name: 'case.appendNote', args: { caseId, noteId: randomUUID(), text, at: new Date().toISOString() } }];
    expect((await api.call('POST', '/sync/push', { token, body: { clientId, mutations } })).status).toBe(200);

    const response = await api.call('POST', '/sync/pull', { token, body: { clientId, cursor: 0, limit: 2 } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const page = pullResponseSchema.parse(await response.json());
    const actor = { userId: api.users.handler.id, name: 'handler', role: 'handler' as const, teamIds: [api.teams.a] };
    expect(page).toEqual(await api.store.pull(actor, clientId, 0, 2));
    expect(page.hasMore).toBe(true);

    const rest = pullResponseSchema.parse(await (await api.call('POST', '/sync/pull', { token, body: { clientId, cursor: page.cursor } })).json());
    expect(rest).toEqual(await api.store.pull(actor, clientId, page.cursor, 1000));
    expect(rest.changes.find((change) => change.entity === 'caseEvent' && (change.data as { kind: string }).kind === 'note')?.data).toMatchObject({ caseId, body: text });
    expect(rest.lastMutationId).toBe(2);
  });

  it('lets the first user to pull with a new client id keep it: another user can then neither pull nor push as it', async () => {
    const clientId = randomUUID();
    const first = await api.call('POST', '/sync/pull', { token, body: { clientId, cursor: 0 } });
    expect(first.status).toBe(200);
    const other = await api.tokenFor('handler@b.test');
    expect((await api.call('POST', '/sync/pull', { token: other, body: { clientId, cursor: 0 } })).status).toBe(403);
    expect((await api.call('POST', '/sync/push', { token: other, body: { clientId, mutations: [createCaseMutation(1)] } })).status).toBe(403);
    // The id stays the first user's: their own pushes as it still go through.
    expect((await api.call('POST', '/sync/push', { token, body: { clientId, mutations: [createCaseMutation(1)] } })).status).toBe(200);
  });

  it('refuses a gap with 409 problem+json naming the expected id', async () => {
    const response = await api.call('POST', '/sync/push', { token, body: { clientId: randomUUID(), mutations: [createCaseMutation(3)] } });
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await response.json()) as { type: string };
    expect(problem.type).toBe('/problems/sync-gap');
    expect(JSON.stringify(problem)).toContain('"expected\\":1');
  });

  it('answers an admin’s clash with what is stored as a problem, not a server error, and changes nothing', async () => {
    const admin = await api.tokenFor('admin@org.test');
    const teamsBefore = await (await api.call('GET', '/admin/teams', { token: admin })).json();
    const taken = (teamsBefore as { name: string }[])[0]!.name;

    const duplicate = await api.call('POST', '/admin/teams', { token: admin, body: { name: taken } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get('content-type')).toContain('application/problem+json');
    expect(await duplicate.json()).toMatchObject({ type: '/problems/conflict', title: 'There is already a team with that name.' });
    expect(await (await api.call('GET', '/admin/teams', { token: admin })).json()).toEqual(teamsBefore);

    const ghostTeam = randomUUID();
    const before = await (await api.call('GET', '/admin/users', { token: admin })).json();
    for (const [method, path, body] of [
      ['PATCH', `/admin/users/${api.users.handler.id}`, { teamIds: [api.teams.a, ghostTeam] }],
      ['POST', '/admin/users', { email: 'new.handler@a.test', name: 'New Handler', role: 'handler', teamIds: [ghostTeam], password: 'a long enough password' }],
    ] as const) {
      const refused = await api.call(method, path, { token: admin, body });
      expect(refused.status).toBe(422);
      expect(await refused.json()).toMatchObject({ type: '/problems/validation', title: 'Unknown team' });
    }
    expect(await (await api.call('GET', '/admin/users', { token: admin })).json()).toEqual(before);
  });

  it('refuses an oversized batch with a problem that points at the field', async () => {
    const mutations = Array.from({ length: 501 }, (_, i) => createCaseMutation(i + 1));
    const response = await api.call('POST', '/sync/push', { token, body: { clientId: randomUUID(), mutations } });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: { pointer: string }[] };
    expect(problem.errors[0]?.pointer).toBe('#/body/mutations');
  });

  it('refuses reports of cases shown in lists that name too many cases between them, or one case twice, keeping nothing of the batch', async () => {
    const clientId = randomUUID();
    const caseId = randomUUID();
    const at = new Date().toISOString();
    const list = (id: number, caseIds: string[]) => ({ id, name: 'cases.listed', args: { caseIds, shownIn: 'case-list', at } });
    const full = (id: number) => list(id, [caseId, ...Array.from({ length: MAX_LISTED_CASES - 1 }, () => randomUUID())]);
    const reportsOver = Array.from({ length: MAX_PUSH_LISTED_CASES / MAX_LISTED_CASES }, (_, i) => full(i + 2));
    const over = await api.call('POST', '/sync/push', { token, body: { clientId, mutations: [createCaseMutation(1, caseId), ...reportsOver, list(reportsOver.length + 2, [caseId])] } });
    expect(over.status).toBe(400);
    expect(((await over.json()) as { errors: { pointer: string; message: string }[] }).errors[0]).toMatchObject({ pointer: '#/body/mutations', message: expect.stringContaining(`more than ${MAX_PUSH_LISTED_CASES} cases`) });
    const twice = await api.call('POST', '/sync/push', { token, body: { clientId, mutations: [createCaseMutation(1, caseId), list(2, [caseId, caseId])] } });
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as { errors: { pointer: string }[] }).errors[0]?.pointer).toBe('#/body/mutations/1/args/caseIds');
    const pull = (await (await api.call('POST', '/sync/pull', { token, body: { clientId, cursor: 0 } })).json()) as { changes: { entityId: string }[]; lastMutationId: number };
    expect(pull.lastMutationId).toBe(0);

    // Up to the limit is taken.
    const atLimit = await api.call('POST', '/sync/push', { token, body: { clientId, mutations: [createCaseMutation(1, caseId), ...reportsOver] } });
    expect(atLimit.status).toBe(200);
    expect(await atLimit.json()).toMatchObject({ lastMutationId: reportsOver.length + 1 });
  });

  it('refuses a note whose id is in the server’s own form (m:<number>), pointing at it and keeping nothing of the batch', async () => {
    const clientId = randomUUID();
    const caseId = randomUUID();
    const note = { id: 2, name: 'case.appendNote', args: { caseId, noteId: 'm:42', text: 'Rang back.', at: new Date().toISOString() } };
    const response = await api.call('POST', '/sync/push', { token, body: { clientId, mutations: [createCaseMutation(1, caseId), note] } });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: { pointer: string; message: string }[] };
    expect(problem.errors[0]).toMatchObject({ pointer: '#/body/mutations/1/args/noteId', message: expect.stringContaining('server’s own') });
    const pull = (await (await api.call('POST', '/sync/pull', { token, body: { clientId, cursor: 0 } })).json()) as { changes: { entityId: string }[]; lastMutationId: number };
    expect(pull.lastMutationId).toBe(0);
    expect(pull.changes.some((change) => change.entityId === caseId)).toBe(false);
  });

  it('refuses a body over the size limit with 413', async () => {
    const note = { id: 1, name: 'case.appendNote', args: { caseId: 'x', noteId: 'n', text: 'x'.repeat(9000), at: new Date().toISOString() } };
    const response = await api.call('POST', '/sync/push', { token, body: { clientId: randomUUID(), mutations: Array.from({ length: 200 }, (_, i) => ({ ...note, id: i + 1 })) } });
    expect(response.status).toBe(413);
  });
});
