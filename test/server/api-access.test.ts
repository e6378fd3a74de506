import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseMutation, startApi, type ApiHarness } from './api-harness';

type Persona = 'anonymous' | 'handler' | 'otherHandler' | 'supervisor' | 'admin';
const personas: Persona[] = ['anonymous', 'handler', 'otherHandler', 'supervisor', 'admin'];

const SECRET_WORDS = 'The nurse on ward 7 shouted at my mother';

describe('who may call each endpoint', () => {
  let api: ApiHarness;
  const tokens = {} as Record<Persona, string | null>;
  let caseId = '';

  beforeAll(async () => {
    api = await startApi();
    tokens.anonymous = null;
    for (const persona of personas.slice(1) as Exclude<Persona, 'anonymous'>[]) tokens[persona] = await api.tokenFor(api.users[persona].email);
    caseId = randomUUID();
    const push = await api.call('POST', '/sync/push', {
      token: tokens.handler,
      body: {
        clientId: randomUUID(),
        mutations: [
          createCaseMutation(1, caseId),
          { id: 2, name: 'case.updateField', args: { caseId, field: 'description', value: SECRET_WORDS, at: new Date().toISOString() } },
        ],
      },
    });
    expect(push.status).toBe(200);
    const provider = await api.call('POST', '/admin/providers', { token: tokens.admin, body: { odsCode: 'RMX01', name: 'Matrix Trust', kind: 'acute trust' } });
    const queue = await api.call('POST', '/admin/queues', { token: tokens.admin, body: { id: 'matrix', name: 'Matrix queue', caseType: 'question' } });
    const disposition = await api.call('POST', '/admin/dispositions', { token: tokens.admin, body: { id: 'matrix', label: 'Matrix', resolves: false } });
    expect([provider.status, queue.status, disposition.status]).toEqual([201, 201, 201]);
  });
  afterAll(() => api.close());

  // One row per endpoint: the status each persona gets. 404 for the other team's handler: a case they may not see
  // does not exist for them.
  const table: { name: string; expected: Record<Persona, number>; request: (persona: Persona) => [string, string, unknown?] }[] = [
    { name: 'GET /me', expected: { anonymous: 401, handler: 200, otherHandler: 200, supervisor: 200, admin: 200 }, request: () => ['GET', '/me'] },
    {
      name: 'POST /sync/push',
      expected: { anonymous: 401, handler: 200, otherHandler: 200, supervisor: 200, admin: 403 },
      request: () => ['POST', '/sync/push', { clientId: randomUUID(), mutations: [createCaseMutation(1)] }],
    },
    {
      name: 'POST /sync/pull',
      expected: { anonymous: 401, handler: 200, otherHandler: 200, supervisor: 200, admin: 200 },
      request: () => ['POST', '/sync/pull', { clientId: randomUUID(), cursor: 0 }],
    },
    { name: 'GET /cases', expected: { anonymous: 401, handler: 200, otherHandler: 200, supervisor: 200, admin: 403 }, request: () => ['GET', '/cases'] },
    {
      name: 'GET /cases/:id',
      expected: { anonymous: 401, handler: 200, otherHandler: 404, supervisor: 200, admin: 403 },
      request: () => ['GET', `/cases/${caseId}?reason=${encodeURIComponent('Matrix test')}`],
    },
    {
      name: 'POST /cases/:id/reassign',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 200, admin: 403 },
      request: () => ['POST', `/cases/${caseId}/reassign`, { ownerId: api.users.handler.id }],
    },
    // The matrix case is the handler's own: claiming it again is answered with it, anyone else is told who has it.
    {
      name: 'POST /cases/:id/claim',
      expected: { anonymous: 401, handler: 200, otherHandler: 404, supervisor: 409, admin: 403 },
      request: () => ['POST', `/cases/${caseId}/claim`],
    },
    { name: 'GET /admin/users', expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: 200 }, request: () => ['GET', '/admin/users'] },
    {
      name: 'POST /admin/users',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: 201 },
      request: (p) => ['POST', '/admin/users', { email: `new-${p}@org.test`, name: 'New person', role: 'handler', teamIds: [api.teams.a], password: 'a long enough password' }],
    },
    {
      name: 'PATCH /admin/users/:id',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: 200 },
      request: () => ['PATCH', `/admin/users/${api.users.otherHandler.id}`, { name: 'Renamed' }],
    },
    { name: 'GET /admin/teams', expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: 200 }, request: () => ['GET', '/admin/teams'] },
    {
      name: 'POST /admin/teams',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: 201 },
      request: (p) => ['POST', '/admin/teams', { name: `Team of ${p}` }],
    },
    {
      name: 'GET /admin/audit',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: 200 },
      request: () => ['GET', `/admin/audit?caseId=${caseId}`],
    },
    { name: 'GET /reference', expected: { anonymous: 401, handler: 200, otherHandler: 200, supervisor: 200, admin: 200 }, request: () => ['GET', '/reference'] },
    {
      name: 'GET /admin/providers',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: 200 },
      request: () => ['GET', '/admin/providers'],
    },
    {
      name: 'POST /admin/providers',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: 201 },
      request: (p) => ['POST', '/admin/providers', { odsCode: `RMX${p.length}${p.slice(0, 2).toUpperCase()}`, name: `Trust of ${p}`, kind: 'acute trust', departments: ['Wards'], contactEmail: 'feedback@trust.example' }],
    },
    {
      name: 'PATCH /admin/providers/:id',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: 200 },
      request: () => ['PATCH', '/admin/providers/provider-rmx01', { name: 'Renamed trust' }],
    },
    {
      name: 'GET /admin/queues',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: 200 },
      request: () => ['GET', '/admin/queues'],
    },
    {
      name: 'POST /admin/queues',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: 201 },
      request: (p) => ['POST', '/admin/queues', { id: `queue-${p.toLowerCase()}`, name: `Queue of ${p}`, caseType: 'feedback' }],
    },
    {
      name: 'PATCH /admin/queues/:id',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: 200 },
      request: () => ['PATCH', '/admin/queues/matrix', { active: false }],
    },
    {
      name: 'GET /admin/dispositions',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: 200 },
      request: () => ['GET', '/admin/dispositions'],
    },
    {
      name: 'POST /admin/dispositions',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: 201 },
      request: (p) => ['POST', '/admin/dispositions', { id: `disposition-${p.toLowerCase()}`, label: `Disposition of ${p}`, resolves: true }],
    },
    {
      name: 'PATCH /admin/dispositions/:id',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: 200 },
      request: () => ['PATCH', '/admin/dispositions/matrix', { label: 'Renamed' }],
    },
    {
      name: 'GET /admin/categories',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: 200 },
      request: () => ['GET', '/admin/categories'],
    },
    {
      name: 'PATCH /admin/categories/:id',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: 200 },
      request: () => ['PATCH', '/admin/categories/parking', { label: 'Parking and charges' }],
    },
    {
      name: 'GET /reports/summary',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 200, admin: 200 },
      request: () => ['GET', '/reports/summary?from=2025-07-01&to=2025-07-31'],
    },
    {
      name: 'GET /reports/summary of another team',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: 200 },
      request: () => ['GET', `/reports/summary?from=2025-07-01&to=2025-07-31&teamId=${api.teams.b}`],
    },
    {
      name: 'GET /reports/export.csv',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 200, admin: 200 },
      request: () => ['GET', `/reports/export.csv?from=2025-07-01&to=2025-07-31&teamId=${api.teams.a}`],
    },
    {
      name: 'GET /reports/export.csv of another team',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: 200 },
      request: () => ['GET', `/reports/export.csv?from=2025-07-01&to=2025-07-31&teamId=${api.teams.b}`],
    },
    { name: 'GET /reports/settings', expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 200, admin: 200 }, request: () => ['GET', '/reports/settings'] },
    {
      name: 'PUT /admin/report-settings',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: 200 },
      request: () => [
        'PUT',
        '/admin/report-settings',
        { handlerHourlyCostPence: 1800, paidHours: { kind: 'per-handler', hoursPerDay: 7.5, weekdays: [1, 2, 3, 4, 5] }, platformCostPerMonthPence: 250000, serviceLevel: { targetSeconds: 60, targetShare: 0.95 }, abandonedAfterSeconds: 30 },
      ],
    },
    // Moderation is for supervisors of the case's team; the matrix case has no publish consent, so approving is refused
    // after the access check (422), and so is sending it to a provider (it has none).
    { name: 'GET /moderation/queue', expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 200, admin: 403 }, request: () => ['GET', '/moderation/queue'] },
    { name: 'GET /moderation/cases/:id', expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 200, admin: 403 }, request: () => ['GET', `/moderation/cases/${caseId}`] },
    {
      name: 'PUT /moderation/cases/:id/draft',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 200, admin: 403 },
      request: () => ['PUT', `/moderation/cases/${caseId}/draft`, { text: 'A relative was shouted at.' }],
    },
    {
      name: 'POST /moderation/cases/:id/approve',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 422, admin: 403 },
      request: () => ['POST', `/moderation/cases/${caseId}/approve`, { text: 'A relative was shouted at.' }],
    },
    {
      name: 'POST /moderation/cases/:id/response',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 422, admin: 403 },
      request: () => ['POST', `/moderation/cases/${caseId}/response`, { text: 'We are sorry.' }],
    },
    {
      name: 'POST /moderation/cases/:id/reject',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 200, admin: 403 },
      request: () => ['POST', `/moderation/cases/${caseId}/reject`, { reason: 'No consent to publish' }],
    },
    {
      name: 'POST /cases/:id/provider-referrals',
      expected: { anonymous: 401, handler: 422, otherHandler: 404, supervisor: 422, admin: 403 },
      request: () => ['POST', `/cases/${caseId}/provider-referrals`, { summary: 'A relative was shouted at.' }],
    },
    { name: 'GET /cases/:id/provider-referrals', expected: { anonymous: 401, handler: 200, otherHandler: 404, supervisor: 200, admin: 403 }, request: () => ['GET', `/cases/${caseId}/provider-referrals`] },
    {
      name: 'POST /cases/:id/provider-referrals/:referralId/revoke',
      expected: { anonymous: 401, handler: 404, otherHandler: 404, supervisor: 404, admin: 403 },
      request: () => ['POST', `/cases/${caseId}/provider-referrals/${randomUUID()}/revoke`],
    },
    {
      name: 'GET /reports/provider-times',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 200, admin: 200 },
      request: () => ['GET', '/reports/provider-times?from=2025-07-01&to=2025-07-31'],
    },
    {
      name: 'GET /reports/provider-times of another team',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: 200 },
      request: () => ['GET', `/reports/provider-times?from=2025-07-01&to=2025-07-31&teamId=${api.teams.b}`],
    },
    { name: 'GET /public/feedback', expected: { anonymous: 200, handler: 200, otherHandler: 200, supervisor: 200, admin: 200 }, request: () => ['GET', '/public/feedback'] },
    { name: 'GET /public/feedback.html', expected: { anonymous: 200, handler: 200, otherHandler: 200, supervisor: 200, admin: 200 }, request: () => ['GET', '/public/feedback.html'] },
    { name: 'GET /open311/v2/services.json', expected: { anonymous: 200, handler: 200, otherHandler: 200, supervisor: 200, admin: 200 }, request: () => ['GET', '/open311/v2/services.json'] },
    { name: 'GET /open311/v2/requests.json', expected: { anonymous: 200, handler: 200, otherHandler: 200, supervisor: 200, admin: 200 }, request: () => ['GET', '/open311/v2/requests.json'] },
    { name: 'GET /health', expected: { anonymous: 200, handler: 200, otherHandler: 200, supervisor: 200, admin: 200 }, request: () => ['GET', '/health'] },
    { name: 'GET /openapi.json', expected: { anonymous: 200, handler: 200, otherHandler: 200, supervisor: 200, admin: 200 }, request: () => ['GET', '/openapi.json'] },
  ];

  it('gives every persona exactly the expected outcome on every endpoint, and a denial carries no data', async () => {
    const outcomes: Record<string, Record<Persona, number>> = {};
    const expected: Record<string, Record<Persona, number>> = {};
    for (const row of table) {
      outcomes[row.name] = {} as Record<Persona, number>;
      expected[row.name] = row.expected;
      for (const persona of personas) {
        const [method, path, body] = row.request(persona);
        const response = await api.call(method, path, { token: tokens[persona], body });
        outcomes[row.name]![persona] = response.status;
        const text = await response.text();
        if (response.status >= 400) {
          expect(response.headers.get('content-type'), `${row.name} as ${persona}`).toContain('application/problem+json');
          expect(text).not.toContain(SECRET_WORDS);
          expect(text).not.toContain(caseId);
        }
      }
    }
    expect(outcomes).toEqual(expected);
  });

  it('shows the other team’s handler none of the case, in lists or in sync', async () => {
    const list = await api.call('GET', '/cases', { token: tokens.otherHandler });
    expect(await list.text()).not.toContain(caseId);
    const pull = await api.call('POST', '/sync/pull', { token: tokens.otherHandler, body: { clientId: randomUUID(), cursor: 0 } });
    const text = await pull.text();
    expect(text).not.toContain(caseId);
    expect(text).not.toContain(SECRET_WORDS);
  });

  it('records who read the case, when and why, for every read', async () => {
    const before = (await api.store.auditFor(caseId)).length;
    await api.call('GET', `/cases/${caseId}?reason=${encodeURIComponent('Caller rang back')}`, { token: tokens.supervisor });
    const audit = await api.store.auditFor(caseId);
    expect(audit).toHaveLength(before + 1);
    expect(audit.at(-1)).toMatchObject({ userId: api.users.supervisor.id, caseId, reason: 'Caller rang back' });
  });
});
