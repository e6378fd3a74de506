import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { HONEYPOT_FIELD } from '../../src-server/intake/web-form';
import { encodeReference } from '../../src-shared/domain/reference-number';
import { LIVE_BEARER_PREFIX, LIVE_PATH, LIVE_PROTOCOL } from '../../src-shared/telephony/live-protocol';
import type { Offer } from '../../src-shared/telephony/model';
import { registeredRoutes } from './api-edges';
import { PASSWORD, personMaker, startApi, type TestPerson, type WiredApiHarness } from './api-harness';

// The API builds its own Fastify instance and Twilio clients: these record its routes, and send the `twilio`
// package's requests to a fake of Twilio's cloud (see api-edges.ts). Everything else is the real code.
vi.mock('fastify', async (real) => (await import('./api-edges')).recordingFastify(await real()));
vi.mock('twilio', async (real) => (await import('./api-edges')).withFakeTwilioCloud(await real()));

type Persona = 'anonymous' | 'handler' | 'otherHandler' | 'supervisor' | 'admin';
type SignedIn = Exclude<Persona, 'anonymous'>;
type Outcomes = Record<Persona, number>;
const personas: Persona[] = ['anonymous', 'handler', 'otherHandler', 'supervisor', 'admin'];
const signedIn: SignedIn[] = ['handler', 'otherHandler', 'supervisor', 'admin'];

/** Every persona gets the same answer. */
const all = (status: number): Outcomes => ({ anonymous: status, handler: status, otherHandler: status, supervisor: status, admin: status });
/** Signed-in people only, whatever their role; anonymous is asked to sign in. */
const everyone = (status: number): Outcomes => ({ ...all(status), anonymous: 401 });
const adminOnly = (status: number): Outcomes => ({ anonymous: 401, handler: 403, otherHandler: 403, supervisor: 403, admin: status });
const managers = (supervisor: number, admin = supervisor): Outcomes => ({ anonymous: 401, handler: 403, otherHandler: 403, supervisor, admin });
const moderators = (supervisor: number): Outcomes => ({ anonymous: 401, handler: 403, otherHandler: 403, supervisor, admin: 403 });
/** Call control on the handler's own call: the handler may, anyone else who takes calls is told it is not theirs. */
const ownCall = (handler: number): Outcomes => ({ anonymous: 401, handler, otherHandler: 409, supervisor: 409, admin: 403 });

/** Words only the caller said: a denial, or anyone outside team A, must never be shown them. */
const SECRET_WORDS = 'The nurse on ward 7 shouted at my mother';
const TEAM_B_WORDS = 'My father waited nine hours in the corridor';
const EMAIL_WORDS = 'I never heard back about my appointment letter';
const PATIENT_EMAIL = 'jo.bloggs@example.org';
const PROVIDER_EMAIL = 'feedback@matrix.example.org';
const SUMMARY = 'A relative reports being shouted at on a ward.';

/** An email as Postmark posts it. */
function inboundEmail(text: string) {
  return {
    FromName: 'Jo Bloggs',
    From: PATIENT_EMAIL,
    FromFull: { Email: PATIENT_EMAIL, Name: 'Jo Bloggs', MailboxHash: '' },
    To: 'help@care-line.example.org',
    Subject: 'My appointment',
    MessageID: randomUUID(),
    Date: 'Sat, 21 Nov 2026 09:00:00 +0000',
    TextBody: text,
    HtmlBody: `<p>${text}</p>`,
    StrippedTextReply: '',
    Headers: [],
    Attachments: [],
  };
}

/** A request as the table sends it: JSON `body`, or a `form` as a browser or Twilio posts it. */
interface ApiRequest {
  method: string;
  path: string;
  body?: unknown;
  form?: Record<string, string>;
}

interface Row {
  /** Unique; the route, and what is special about this row when a route has several. */
  name: string;
  /** `METHOD /url` exactly as the app registers it. */
  route: string;
  expected: Outcomes;
  /** The embedded API's outcomes where they differ, or 'absent' when it does not have the route. */
  embedded?: Partial<Outcomes> | 'absent';
  request(persona: Persona): ApiRequest;
  /** Runs once before the row's requests (to ring a call, say). */
  setup?(): Promise<void>;
  /** Runs once after them, to check what the row changed. */
  after?(): Promise<void>;
  /** How refusals come when not as problem+json: the HTML pages in HTML, Open311 in its own JSON. */
  refusesAs?: 'text/html' | 'application/json';
}

/** A route anyone may call, because something other than an access token protects it (or there is nothing to protect). */
interface PublicRow extends Row {
  why: string;
  protectedBy: string;
  /** What whoever holds the credential is shown by design (the case's reference on the provider's page). */
  shows?(): string[];
  /** Shows the protection working: a request without it is refused and changes nothing, one with it is served. */
  proof?(): Promise<void>;
}

/** What each persona may never be shown, in any answer: filled in once the cases exist. */
type Secrets = { teamA: string[]; teamB: string[]; words: string[] };

describe.each(['production', 'embedded'] as const)('who may call each endpoint of the %s API', (wiring) => {
  let api: WiredApiHarness;
  const tokens = {} as Record<Persona, string | null>;
  /** Two sessions per person: the first's refresh token is for the refresh row, the second's for sign-out. */
  const refreshTokens = {} as Record<SignedIn, [string, string]>;
  let teammate: TestPerson;
  let teammateToken = '';
  const cases = { matrix: { id: '', reference: '' }, teamB: { id: '', reference: '' }, email: { id: '', reference: '' } };
  const secrets: Secrets = { teamA: [], teamB: [], words: [] };
  let callId = '';
  let outboundCallId = '';
  let referralId = '';
  let providerToken = '';
  let rings = 0;

  const bearer = (token: string | null): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

  async function send(request: ApiRequest, token: string | null): Promise<Response> {
    if (request.form) {
      return fetch(`${api.base}${request.path}`, {
        method: request.method,
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...bearer(token) },
        body: new URLSearchParams(request.form).toString(),
      });
    }
    return api.call(request.method, request.path, { token, body: request.body });
  }

  async function ok(request: ApiRequest, token: string | null, status = 200): Promise<unknown> {
    const response = await send(request, token);
    const text = await response.text();
    if (response.status !== status) throw new Error(`${request.method} ${request.path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  async function pushCase(token: string, reference: string, fields: Record<string, unknown>): Promise<string> {
    const caseId = randomUUID();
    const at = new Date().toISOString();
    const mutations = [
      { id: 1, name: 'case.create', args: { caseId, reference, type: 'feedback', channel: 'phone', callerId: null, at } },
      ...Object.entries(fields).map(([field, value], index) => ({ id: index + 2, name: 'case.updateField', args: { caseId, field, value, at } })),
    ];
    await ok({ method: 'POST', path: '/sync/push', body: { clientId: randomUUID(), mutations } }, token);
    return caseId;
  }

  /** The case's owner, as its team's supervisor reads it. */
  async function ownerOf(caseId: string, token = tokens.supervisor): Promise<string | null> {
    const read = (await ok({ method: 'GET', path: `/cases/${caseId}?reason=${encodeURIComponent('Checking the owner')}` }, token)) as { case: { ownerId: string | null } };
    return read.case.ownerId;
  }

  /** The token in the link of the last email to the provider. */
  function latestProviderLink(): string {
    const mail = api.smtp.mails.filter((candidate) => candidate.to.includes(PROVIDER_EMAIL)).at(-1);
    return /\/provider-response\/([A-Za-z0-9_-]{43})/.exec(mail?.body.replace(/=\r?\n/g, '') ?? '')?.[1] ?? '';
  }

  /** The handler's snapshot until a call rings for them; its id. */
  async function offeredToHandler(): Promise<string> {
    for (let tries = 0; tries < 500; tries += 1) {
      const snapshot = (await ok({ method: 'GET', path: '/telephony/snapshot' }, tokens.handler)) as { offers?: Offer[] };
      const offer = snapshot.offers?.find((candidate) => candidate.handlerId === api.users.handler.id);
      if (offer) return offer.call.id;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('no call rang for the handler');
  }

  /**
   * A caller rings the feedback queue the way the line takes calls: on Twilio, the menu webhook Twilio signs; on the
   * simulator, one simulated caller. Resolves with the call once it rings for the handler (the only one available).
   */
  async function ringIn(): Promise<string> {
    rings += 1;
    if (api.wiring === 'production') {
      const response = await api.twilioWebhook('/twilio/voice/menu', { CallSid: `CA${rings.toString(16).padStart(32, 'e')}`, From: '+447400123456', To: '+441134960000', Digits: '1' });
      expect(response.status).toBe(200);
    } else {
      const simulator = api.line.telephony.simulator!;
      const before = simulator.status().callsGenerated;
      simulator.start({ feedback: 3600, concern: 0, question: 0, general: 0 });
      // About one caller a second; stopped as soon as the first arrives, so only one does.
      const giveUpAt = Date.now() + 15_000;
      while (simulator.status().callsGenerated === before && Date.now() < giveUpAt) await new Promise((resolve) => setTimeout(resolve, 2));
      simulator.stop();
    }
    return offeredToHandler();
  }

  beforeAll(async () => {
    api = await startApi({ wiring });
    tokens.anonymous = null;
    for (const persona of signedIn) {
      const first = (await (await api.signIn(api.users[persona].email)).json()) as { accessToken: string; refreshToken: string };
      const second = (await (await api.signIn(api.users[persona].email)).json()) as { refreshToken: string };
      tokens[persona] = first.accessToken;
      refreshTokens[persona] = [first.refreshToken, second.refreshToken];
    }
    teammate = await (await personMaker(api.store))('teammate@a.test', 'handler', [api.teams.a]);
    teammateToken = await api.tokenFor(teammate.email);

    await ok({ method: 'POST', path: '/admin/providers', body: { odsCode: 'RMX01', name: 'Matrix Trust', kind: 'acute trust', departments: ['Wards'], contactEmail: PROVIDER_EMAIL } }, tokens.admin, 201);
    await ok({ method: 'POST', path: '/admin/queues', body: { id: 'matrix', name: 'Matrix queue', caseType: 'question' } }, tokens.admin, 201);
    await ok({ method: 'POST', path: '/admin/dispositions', body: { id: 'matrix', label: 'Matrix', resolves: false } }, tokens.admin, 201);

    // Team A's case, the handler's own, about the provider above; team B's case, the other handler's.
    cases.matrix.reference = encodeReference(11, 1);
    cases.matrix.id = await pushCase(tokens.handler!, cases.matrix.reference, { description: SECRET_WORDS, providerId: 'provider-rmx01' });
    cases.teamB.reference = encodeReference(12, 1);
    cases.teamB.id = await pushCase(tokens.otherHandler!, cases.teamB.reference, { description: TEAM_B_WORDS });
    // An email opens a case in team A (the oldest team takes intake), for replies.
    const email = await api.emailWebhook(inboundEmail(EMAIL_WORDS));
    expect(email.status).toBe(200);
    const receipt = (await email.json()) as { caseId: string; reference: string };
    cases.email = { id: receipt.caseId, reference: receipt.reference };

    secrets.teamA = [cases.matrix.id, cases.matrix.reference, SECRET_WORDS, cases.email.id, cases.email.reference, EMAIL_WORDS, PATIENT_EMAIL];
    secrets.teamB = [cases.teamB.id, cases.teamB.reference, TEAM_B_WORDS];
    secrets.words = [SECRET_WORDS, TEAM_B_WORDS, EMAIL_WORDS, PATIENT_EMAIL];
  });
  afterAll(() => api?.close());

  const matrix = () => cases.matrix.id;

  // One row per endpoint that needs an access token (and one more where the same endpoint matters on another
  // team's data): the status each persona gets. The rows run in order, and the telephony rows follow one call's life.
  // A case of a team someone may not see does not exist for them: 404.
  const table: Row[] = [
    { name: 'GET /me', route: 'GET /me', expected: everyone(200), request: () => ({ method: 'GET', path: '/me' }) },
    {
      name: 'POST /sync/push',
      route: 'POST /sync/push',
      expected: { anonymous: 401, handler: 200, otherHandler: 200, supervisor: 200, admin: 403 },
      request: (p) => ({ method: 'POST', path: '/sync/push', body: { clientId: randomUUID(), mutations: [{ id: 1, name: 'case.create', args: { caseId: randomUUID(), reference: encodeReference(20 + personas.indexOf(p), 1), type: 'feedback', channel: 'phone', callerId: null, at: new Date().toISOString() } }] } }),
    },
    { name: 'POST /sync/pull', route: 'POST /sync/pull', expected: everyone(200), request: () => ({ method: 'POST', path: '/sync/pull', body: { clientId: randomUUID(), cursor: 0 } }) },
    { name: 'GET /cases', route: 'GET /cases', expected: { anonymous: 401, handler: 200, otherHandler: 200, supervisor: 200, admin: 403 }, request: () => ({ method: 'GET', path: '/cases' }) },
    {
      name: 'GET /cases/:id',
      route: 'GET /cases/:id',
      expected: { anonymous: 401, handler: 200, otherHandler: 404, supervisor: 200, admin: 403 },
      request: () => ({ method: 'GET', path: `/cases/${matrix()}?reason=${encodeURIComponent('Matrix test')}` }),
    },
    // The matrix case is the handler's own: claiming it again is answered with it, anyone else is told it is taken.
    { name: 'POST /cases/:id/claim', route: 'POST /cases/:id/claim', expected: { anonymous: 401, handler: 200, otherHandler: 404, supervisor: 409, admin: 403 }, request: () => ({ method: 'POST', path: `/cases/${matrix()}/claim` }) },
    {
      name: 'POST /cases/:id/reassign to a colleague in the team',
      route: 'POST /cases/:id/reassign',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 200, admin: 403 },
      request: () => ({ method: 'POST', path: `/cases/${matrix()}/reassign`, body: { ownerId: teammate.id } }),
      async setup() {
        expect(await ownerOf(matrix())).toBe(api.users.handler.id);
      },
      async after() {
        expect.soft(await ownerOf(matrix()), 'the supervisor gave the case to the teammate').toBe(teammate.id);
      },
    },
    {
      name: 'POST /cases/:id/reassign of another team’s case',
      route: 'POST /cases/:id/reassign',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 404, admin: 403 },
      request: () => ({ method: 'POST', path: `/cases/${cases.teamB.id}/reassign`, body: { ownerId: api.users.handler.id } }),
      async after() {
        expect.soft(await ownerOf(cases.teamB.id, tokens.otherHandler), 'team B’s case keeps its owner').toBe(api.users.otherHandler.id);
      },
    },
    {
      name: 'POST /cases/:id/reassign to someone outside the case’s team',
      route: 'POST /cases/:id/reassign',
      expected: { anonymous: 401, handler: 403, otherHandler: 403, supervisor: 422, admin: 403 },
      request: () => ({ method: 'POST', path: `/cases/${matrix()}/reassign`, body: { ownerId: api.users.otherHandler.id } }),
      async after() {
        expect.soft(await ownerOf(matrix()), 'the case stays with the teammate').toBe(teammate.id);
      },
    },
    {
      name: 'POST /cases/:id/messages',
      route: 'POST /cases/:id/messages',
      expected: { anonymous: 401, handler: 201, otherHandler: 404, supervisor: 201, admin: 403 },
      request: (p) => ({ method: 'POST', path: `/cases/${cases.email.id}/messages`, body: { body: `Thank you for writing to us (${p}).` } }),
      async after() {
        const replies = api.smtp.mails.filter((mail) => mail.to.includes(PATIENT_EMAIL));
        expect.soft(replies.map((mail) => /\((\w+)\)/.exec(mail.body.replace(/=\r?\n/g, ''))?.[1]), 'only the handler’s and the supervisor’s replies went out').toEqual(['handler', 'supervisor']);
      },
    },
    { name: 'GET /admin/users', route: 'GET /admin/users', expected: adminOnly(200), request: () => ({ method: 'GET', path: '/admin/users' }) },
    {
      name: 'POST /admin/users',
      route: 'POST /admin/users',
      expected: adminOnly(201),
      request: (p) => ({ method: 'POST', path: '/admin/users', body: { email: `new-${p}@org.test`, name: 'New person', role: 'handler', teamIds: [api.teams.a], password: 'a long enough password' } }),
    },
    { name: 'PATCH /admin/users/:id', route: 'PATCH /admin/users/:id', expected: adminOnly(200), request: () => ({ method: 'PATCH', path: `/admin/users/${api.users.otherHandler.id}`, body: { name: 'Renamed' } }) },
    { name: 'GET /admin/teams', route: 'GET /admin/teams', expected: adminOnly(200), request: () => ({ method: 'GET', path: '/admin/teams' }) },
    { name: 'POST /admin/teams', route: 'POST /admin/teams', expected: adminOnly(201), request: (p) => ({ method: 'POST', path: '/admin/teams', body: { name: `Team of ${p}` } }) },
    { name: 'GET /admin/audit', route: 'GET /admin/audit', expected: adminOnly(200), request: () => ({ method: 'GET', path: `/admin/audit?caseId=${matrix()}` }) },
    { name: 'GET /reference', route: 'GET /reference', expected: everyone(200), request: () => ({ method: 'GET', path: '/reference' }) },
    { name: 'GET /admin/providers', route: 'GET /admin/providers', expected: adminOnly(200), request: () => ({ method: 'GET', path: '/admin/providers' }) },
    {
      name: 'POST /admin/providers',
      route: 'POST /admin/providers',
      expected: adminOnly(201),
      request: (p) => ({ method: 'POST', path: '/admin/providers', body: { odsCode: `RMX${p.length}${p.slice(0, 2).toUpperCase()}`, name: `Trust of ${p}`, kind: 'acute trust', departments: ['Wards'], contactEmail: 'feedback@trust.example' } }),
    },
    { name: 'PATCH /admin/providers/:id', route: 'PATCH /admin/providers/:id', expected: adminOnly(200), request: () => ({ method: 'PATCH', path: '/admin/providers/provider-rmx01', body: { name: 'Renamed trust' } }) },
    { name: 'GET /admin/queues', route: 'GET /admin/queues', expected: adminOnly(200), request: () => ({ method: 'GET', path: '/admin/queues' }) },
    { name: 'POST /admin/queues', route: 'POST /admin/queues', expected: adminOnly(201), request: (p) => ({ method: 'POST', path: '/admin/queues', body: { id: `queue-${p.toLowerCase()}`, name: `Queue of ${p}`, caseType: 'feedback' } }) },
    { name: 'PATCH /admin/queues/:id', route: 'PATCH /admin/queues/:id', expected: adminOnly(200), request: () => ({ method: 'PATCH', path: '/admin/queues/matrix', body: { active: false } }) },
    { name: 'GET /admin/dispositions', route: 'GET /admin/dispositions', expected: adminOnly(200), request: () => ({ method: 'GET', path: '/admin/dispositions' }) },
    {
      name: 'POST /admin/dispositions',
      route: 'POST /admin/dispositions',
      expected: adminOnly(201),
      request: (p) => ({ method: 'POST', path: '/admin/dispositions', body: { id: `disposition-${p.toLowerCase()}`, label: `Disposition of ${p}`, resolves: true } }),
    },
    { name: 'PATCH /admin/dispositions/:id', route: 'PATCH /admin/dispositions/:id', expected: adminOnly(200), request: () => ({ method: 'PATCH', path: '/admin/dispositions/matrix', body: { label: 'Renamed' } }) },
    { name: 'GET /admin/categories', route: 'GET /admin/categories', expected: adminOnly(200), request: () => ({ method: 'GET', path: '/admin/categories' }) },
    { name: 'PATCH /admin/categories/:id', route: 'PATCH /admin/categories/:id', expected: adminOnly(200), request: () => ({ method: 'PATCH', path: '/admin/categories/parking', body: { label: 'Parking and charges' } }) },
    { name: 'GET /reports/summary', route: 'GET /reports/summary', expected: managers(200), request: () => ({ method: 'GET', path: '/reports/summary?from=2025-07-01&to=2025-07-31' }) },
    {
      name: 'GET /reports/summary of another team',
      route: 'GET /reports/summary',
      expected: managers(403, 200),
      request: () => ({ method: 'GET', path: `/reports/summary?from=2025-07-01&to=2025-07-31&teamId=${api.teams.b}` }),
    },
    {
      name: 'GET /reports/export.csv',
      route: 'GET /reports/export.csv',
      expected: managers(200),
      request: () => ({ method: 'GET', path: `/reports/export.csv?from=2025-07-01&to=2025-07-31&teamId=${api.teams.a}` }),
    },
    {
      name: 'GET /reports/export.csv of another team',
      route: 'GET /reports/export.csv',
      expected: managers(403, 200),
      request: () => ({ method: 'GET', path: `/reports/export.csv?from=2025-07-01&to=2025-07-31&teamId=${api.teams.b}` }),
    },
    { name: 'GET /reports/settings', route: 'GET /reports/settings', expected: managers(200), request: () => ({ method: 'GET', path: '/reports/settings' }) },
    {
      name: 'PUT /admin/report-settings',
      route: 'PUT /admin/report-settings',
      expected: adminOnly(200),
      request: () => ({
        method: 'PUT',
        path: '/admin/report-settings',
        body: { handlerHourlyCostPence: 1800, paidHours: { kind: 'per-handler', hoursPerDay: 7.5, weekdays: [1, 2, 3, 4, 5] }, platformCostPerMonthPence: 250000, serviceLevel: { targetSeconds: 60, targetShare: 0.95 }, abandonedAfterSeconds: 30 },
      }),
    },
    // Moderation is for supervisors of the case's team; the matrix case has no publish consent, so approving is
    // refused after the access check (422).
    { name: 'GET /moderation/queue', route: 'GET /moderation/queue', expected: moderators(200), request: () => ({ method: 'GET', path: '/moderation/queue' }) },
    { name: 'GET /moderation/cases/:id', route: 'GET /moderation/cases/:id', expected: moderators(200), request: () => ({ method: 'GET', path: `/moderation/cases/${matrix()}` }) },
    {
      name: 'PUT /moderation/cases/:id/draft',
      route: 'PUT /moderation/cases/:id/draft',
      expected: moderators(200),
      request: () => ({ method: 'PUT', path: `/moderation/cases/${matrix()}/draft`, body: { text: 'A relative was shouted at.' } }),
    },
    {
      name: 'POST /moderation/cases/:id/approve',
      route: 'POST /moderation/cases/:id/approve',
      expected: moderators(422),
      request: () => ({ method: 'POST', path: `/moderation/cases/${matrix()}/approve`, body: { text: 'A relative was shouted at.' } }),
    },
    {
      name: 'POST /moderation/cases/:id/response',
      route: 'POST /moderation/cases/:id/response',
      expected: moderators(422),
      request: () => ({ method: 'POST', path: `/moderation/cases/${matrix()}/response`, body: { text: 'We are sorry.' } }),
    },
    {
      name: 'POST /moderation/cases/:id/reject',
      route: 'POST /moderation/cases/:id/reject',
      expected: moderators(200),
      request: () => ({ method: 'POST', path: `/moderation/cases/${matrix()}/reject`, body: { reason: 'No consent to publish' } }),
    },
    // The handler and then the supervisor send the case to its provider; the second link replaces the first.
    {
      name: 'POST /cases/:id/provider-referrals',
      route: 'POST /cases/:id/provider-referrals',
      expected: { anonymous: 401, handler: 201, otherHandler: 404, supervisor: 201, admin: 403 },
      request: () => ({ method: 'POST', path: `/cases/${matrix()}/provider-referrals`, body: { summary: SUMMARY } }),
      async after() {
        expect.soft(api.smtp.mails.filter((mail) => mail.to.includes(PROVIDER_EMAIL)), 'one email to the provider per referral').toHaveLength(2);
        providerToken = latestProviderLink();
      },
    },
    {
      name: 'GET /cases/:id/provider-referrals',
      route: 'GET /cases/:id/provider-referrals',
      expected: { anonymous: 401, handler: 200, otherHandler: 404, supervisor: 200, admin: 403 },
      request: () => ({ method: 'GET', path: `/cases/${matrix()}/provider-referrals` }),
      async after() {
        const listed = (await ok({ method: 'GET', path: `/cases/${matrix()}/provider-referrals` }, tokens.handler)) as { items: { id: string; revokedAt: string | null }[] };
        referralId = listed.items.find((item) => item.revokedAt === null)?.id ?? '';
      },
    },
    // The handler withdraws the live link; the supervisor finds it withdrawn already.
    {
      name: 'POST /cases/:id/provider-referrals/:referralId/revoke',
      route: 'POST /cases/:id/provider-referrals/:referralId/revoke',
      expected: { anonymous: 401, handler: 200, otherHandler: 404, supervisor: 200, admin: 403 },
      request: () => ({ method: 'POST', path: `/cases/${matrix()}/provider-referrals/${referralId}/revoke` }),
      async after() {
        expect.soft((await fetch(`${api.base}/provider-response/${providerToken}`)).status, 'a withdrawn link no longer opens').toBe(410);
      },
    },
    {
      name: 'GET /reports/provider-times',
      route: 'GET /reports/provider-times',
      expected: managers(200),
      request: () => ({ method: 'GET', path: '/reports/provider-times?from=2025-07-01&to=2025-07-31' }),
    },
    {
      name: 'GET /reports/provider-times of another team',
      route: 'GET /reports/provider-times',
      expected: managers(403, 200),
      request: () => ({ method: 'GET', path: `/reports/provider-times?from=2025-07-01&to=2025-07-31&teamId=${api.teams.b}` }),
    },

    // Telephony. The simulator first: on a Twilio line there is none to drive (409, after the access check).
    { name: 'GET /telephony/simulator', route: 'GET /telephony/simulator', expected: managers(409), embedded: { supervisor: 200, admin: 200 }, request: () => ({ method: 'GET', path: '/telephony/simulator' }) },
    {
      name: 'POST /telephony/simulator/start',
      route: 'POST /telephony/simulator/start',
      expected: managers(409),
      embedded: { supervisor: 200, admin: 200 },
      request: () => ({ method: 'POST', path: '/telephony/simulator/start', body: { ratesPerHour: { feedback: 0, concern: 0, question: 0, general: 0 } } }),
    },
    {
      name: 'PUT /telephony/simulator/rates',
      route: 'PUT /telephony/simulator/rates',
      expected: managers(409),
      embedded: { supervisor: 200, admin: 200 },
      request: () => ({ method: 'PUT', path: '/telephony/simulator/rates', body: { ratesPerHour: { feedback: 0 } } }),
    },
    { name: 'POST /telephony/simulator/stop', route: 'POST /telephony/simulator/stop', expected: managers(409), embedded: { supervisor: 200, admin: 200 }, request: () => ({ method: 'POST', path: '/telephony/simulator/stop' }) },
    // The softphone's token exists on a Twilio line only; on the simulator it says so.
    {
      name: 'POST /twilio/token',
      route: 'POST /twilio/token',
      expected: { anonymous: 401, handler: 200, otherHandler: 200, supervisor: 200, admin: 403 },
      embedded: { handler: 501, otherHandler: 501, supervisor: 501 },
      request: () => ({ method: 'POST', path: '/twilio/token', body: {} }),
    },
    { name: 'GET /telephony/snapshot', route: 'GET /telephony/snapshot', expected: everyone(200), request: () => ({ method: 'GET', path: '/telephony/snapshot' }) },
    // Supervisors set the state and skills of handlers in their teams; admins of anyone.
    {
      name: 'PUT /telephony/handlers/:handlerId/state',
      route: 'PUT /telephony/handlers/:handlerId/state',
      expected: managers(200),
      request: () => ({ method: 'PUT', path: `/telephony/handlers/${api.users.handler.id}/state`, body: { state: 'break', reason: 'Team meeting' } }),
    },
    {
      name: 'PUT /telephony/handlers/:handlerId/state of another team',
      route: 'PUT /telephony/handlers/:handlerId/state',
      expected: managers(403, 200),
      request: () => ({ method: 'PUT', path: `/telephony/handlers/${api.users.otherHandler.id}/state`, body: { state: 'break', reason: 'Team meeting' } }),
    },
    {
      name: 'PUT /telephony/handlers/:handlerId/skills',
      route: 'PUT /telephony/handlers/:handlerId/skills',
      expected: managers(200),
      request: () => ({ method: 'PUT', path: `/telephony/handlers/${api.users.handler.id}/skills`, body: { queueIds: ['feedback', 'concern', 'question', 'general'] } }),
    },
    {
      name: 'PUT /telephony/handlers/:handlerId/skills of another team',
      route: 'PUT /telephony/handlers/:handlerId/skills',
      expected: managers(403, 200),
      request: () => ({ method: 'PUT', path: `/telephony/handlers/${api.users.otherHandler.id}/skills`, body: { queueIds: ['general'] } }),
    },
    // The handler makes themselves available; everyone else who takes calls goes on a break, so calls ring for the handler.
    {
      name: 'PUT /telephony/me/state',
      route: 'PUT /telephony/me/state',
      expected: { anonymous: 401, handler: 200, otherHandler: 200, supervisor: 200, admin: 403 },
      request: (p) => ({ method: 'PUT', path: '/telephony/me/state', body: p === 'handler' ? { state: 'available' } : { state: 'break', reason: 'Training' } }),
    },
    // One inbound call's life: it rings for the handler, who answers, holds, links cases, consults a colleague, hangs up
    // and wraps up. Only the handler may control it; a supervisor may listen in.
    {
      name: 'POST /telephony/calls/:callId/answer',
      route: 'POST /telephony/calls/:callId/answer',
      expected: ownCall(200),
      request: () => ({ method: 'POST', path: `/telephony/calls/${callId}/answer` }),
      async setup() {
        callId = await ringIn();
      },
    },
    { name: 'POST /telephony/calls/:callId/hold', route: 'POST /telephony/calls/:callId/hold', expected: ownCall(200), request: () => ({ method: 'POST', path: `/telephony/calls/${callId}/hold`, body: { on: true } }) },
    // Team B's handler is refused on the case (team A's, so as if it did not exist) before the call.
    { name: 'PUT /telephony/calls/:callId/case', route: 'PUT /telephony/calls/:callId/case', expected: { ...ownCall(200), otherHandler: 404 }, request: () => ({ method: 'PUT', path: `/telephony/calls/${callId}/case`, body: { caseId: matrix() } }) },
    // Listening needs the call's audio: on the simulated line there is none (409, after the access check).
    {
      name: 'POST /telephony/calls/:callId/monitor',
      route: 'POST /telephony/calls/:callId/monitor',
      expected: managers(200),
      embedded: { supervisor: 409, admin: 409 },
      request: () => ({ method: 'POST', path: `/telephony/calls/${callId}/monitor`, body: { mode: 'listen' } }),
    },
    {
      name: 'POST /telephony/calls/:callId/transfer',
      route: 'POST /telephony/calls/:callId/transfer',
      expected: ownCall(200),
      request: () => ({ method: 'POST', path: `/telephony/calls/${callId}/transfer`, body: { mode: 'warm', target: { kind: 'handler', handlerId: teammate.id } } }),
      async setup() {
        await ok({ method: 'PUT', path: '/telephony/me/state', body: { state: 'available' } }, teammateToken);
      },
    },
    { name: 'POST /telephony/calls/:callId/consult/cancel', route: 'POST /telephony/calls/:callId/consult/cancel', expected: ownCall(200), request: () => ({ method: 'POST', path: `/telephony/calls/${callId}/consult/cancel` }) },
    { name: 'POST /telephony/calls/:callId/hang-up', route: 'POST /telephony/calls/:callId/hang-up', expected: ownCall(200), request: () => ({ method: 'POST', path: `/telephony/calls/${callId}/hang-up` }) },
    // A handler writes only their own team's cases: linking their call (in wrap-up
    // now) to a case of another team is refused as if that case did not exist.
    {
      name: 'PUT /telephony/calls/:callId/case with another team’s case',
      route: 'PUT /telephony/calls/:callId/case',
      // The supervisor (team A only) is refused on team B's case before the call; team B's handler on the call.
      expected: { ...ownCall(404), supervisor: 404 },
      request: () => ({ method: 'PUT', path: `/telephony/calls/${callId}/case`, body: { caseId: cases.teamB.id } }),
    },
    {
      name: 'POST /telephony/calls/:callId/wrap-up',
      route: 'POST /telephony/calls/:callId/wrap-up',
      // Team B's handler is refused on the case (team A's, so as if it did not exist) before the call.
      expected: { ...ownCall(200), otherHandler: 404 },
      request: () => ({ method: 'POST', path: `/telephony/calls/${callId}/wrap-up`, body: { dispositionId: 'information-given', caseId: matrix() } }),
    },
    // Calling a patient about a case: a case of a team one may not see does not exist for them.
    {
      name: 'POST /telephony/calls/outbound about a case',
      route: 'POST /telephony/calls/outbound',
      expected: { anonymous: 401, handler: 201, otherHandler: 404, supervisor: 201, admin: 403 },
      request: () => ({ method: 'POST', path: '/telephony/calls/outbound', body: { to: '01134960123', caseId: matrix() } }),
      async after() {
        const snapshot = (await ok({ method: 'GET', path: '/telephony/snapshot' }, tokens.handler)) as { calls: { id: string; handlerId: string | null; direction: string }[] };
        outboundCallId = snapshot.calls.find((call) => call.handlerId === api.users.handler.id && call.direction === 'outbound')?.id ?? '';
      },
    },
    // The handler consults the teammate on the outbound call and hands it over.
    {
      name: 'POST /telephony/calls/:callId/consult/complete',
      route: 'POST /telephony/calls/:callId/consult/complete',
      expected: ownCall(200),
      request: () => ({ method: 'POST', path: `/telephony/calls/${outboundCallId}/consult/complete` }),
      async setup() {
        await ok({ method: 'POST', path: `/telephony/calls/${outboundCallId}/transfer`, body: { mode: 'warm', target: { kind: 'handler', handlerId: teammate.id } } }, tokens.handler);
      },
    },
    // The handler, in wrap-up after handing the call over, files it against a case of another team: refused as above.
    {
      name: 'POST /telephony/calls/:callId/wrap-up with another team’s case',
      route: 'POST /telephony/calls/:callId/wrap-up',
      // The supervisor (team A only) is refused on team B's case before the call; team B's handler on the call.
      expected: { ...ownCall(404), supervisor: 404 },
      request: () => ({ method: 'POST', path: `/telephony/calls/${outboundCallId}/wrap-up`, body: { dispositionId: 'information-given', caseId: cases.teamB.id } }),
    },
    // A second caller rings for the handler, who turns it down.
    {
      name: 'POST /telephony/calls/:callId/decline',
      route: 'POST /telephony/calls/:callId/decline',
      expected: ownCall(204),
      request: () => ({ method: 'POST', path: `/telephony/calls/${callId}/decline` }),
      async setup() {
        // Still in wrap-up if the row above was refused; if it was not, the call is finished already.
        const wrapped = await send({ method: 'POST', path: `/telephony/calls/${outboundCallId}/wrap-up`, body: { dispositionId: 'information-given' } }, tokens.handler);
        expect([200, 409]).toContain(wrapped.status);
        await ok({ method: 'PUT', path: '/telephony/me/state', body: { state: 'available' } }, tokens.handler);
        callId = await ringIn();
      },
    },
  ];

  const twilioWebhook = (path: string, params: Record<string, string>, answer: number): PublicRow => ({
    name: `POST ${path}`,
    route: `POST ${path}`,
    why: 'Twilio calls it; Twilio has no access token',
    protectedBy: 'Twilio’s signature (X-Twilio-Signature, HMAC-SHA1 with the auth token over the public URL and the form)',
    expected: all(403),
    embedded: 'absent',
    request: () => ({ method: 'POST', path, form: params }),
    async proof() {
      if (api.wiring === 'embedded') {
        // Only SMS is on the embedded API, and off: it says so whether signed or not.
        expect((await api.twilioWebhook(path, params, null)).status).toBe(501);
        expect((await api.twilioWebhook(path, params)).status).toBe(501);
        return;
      }
      expect((await api.twilioWebhook(path, params, null)).status, `${path} without a signature`).toBe(403);
      expect((await api.twilioWebhook(path, params, 'bm90IGEgc2lnbmF0dXJl')).status, `${path} with a wrong signature`).toBe(403);
      expect((await api.twilioWebhook(path, params)).status, `${path} signed by Twilio`).toBe(answer);
    },
  });
  const contactForm = { type: 'question', providerId: '', description: 'Where do I park at the hospital?', name: '', contactMethod: 'none', contactPhone: '', contactEmail: '', [HONEYPOT_FIELD]: '' };

  // Routes without an access token, by design. Each says why and what protects it, and shows it: bearer tokens make
  // no difference, and where there is a credential, a request without it is refused and changes nothing.
  const publicByDesign: PublicRow[] = [
    {
      name: 'POST /auth/sign-in',
      route: 'POST /auth/sign-in',
      why: 'how an access token is got',
      protectedBy: 'the password; a limit per address; an account locks after repeated wrong passwords',
      expected: { ...all(200), anonymous: 401 },
      request: (p) => ({ method: 'POST', path: '/auth/sign-in', body: p === 'anonymous' ? { email: 'nobody@org.test', password: PASSWORD } : { email: api.users[p].email, password: PASSWORD } }),
      async proof() {
        expect((await api.signIn(api.users.handler.email, 'not the password')).status).toBe(401);
      },
    },
    {
      name: 'POST /auth/refresh',
      route: 'POST /auth/refresh',
      why: 'renews an expired access token',
      protectedBy: 'the refresh token, which works once',
      expected: { ...all(200), anonymous: 401 },
      request: (p) => ({ method: 'POST', path: '/auth/refresh', body: { refreshToken: p === 'anonymous' ? 'a'.repeat(43) : refreshTokens[p][0] } }),
    },
    {
      name: 'POST /auth/sign-out',
      route: 'POST /auth/sign-out',
      why: 'ends a session whose access token may have expired',
      protectedBy: 'the refresh token: only its holder can end that session, and an unknown one ends nothing',
      expected: all(204),
      request: (p) => ({ method: 'POST', path: '/auth/sign-out', body: { refreshToken: p === 'anonymous' ? 'a'.repeat(43) : refreshTokens[p][1] } }),
      async proof() {
        expect((await send({ method: 'POST', path: '/auth/refresh', body: { refreshToken: refreshTokens.handler[1] } }, null)).status, 'a signed-out session cannot be refreshed').toBe(401);
      },
    },
    { name: 'GET /health', route: 'GET /health', why: 'load balancers and the desk’s connection light', protectedBy: 'nothing to protect: status, version and time only', expected: all(200), request: () => ({ method: 'GET', path: '/health' }) },
    { name: 'GET /openapi.json', route: 'GET /openapi.json', why: 'the API’s description', protectedBy: 'nothing to protect: no data', expected: all(200), request: () => ({ method: 'GET', path: '/openapi.json' }) },
    ...(['/public/feedback', '/public/feedback.html', '/public/feedback.css'] as const).map(
      (path): PublicRow => ({
        name: `GET ${path}`,
        route: `GET ${path}`,
        why: 'the public feed of published feedback',
        protectedBy: 'moderation: only text a supervisor approved for a case with consent to publish',
        expected: all(200),
        request: () => ({ method: 'GET', path }),
      }),
    ),
    ...(['/open311/v2/services.json', '/open311/v2/requests.json'] as const).map(
      (path): PublicRow => ({ name: `GET ${path}`, route: `GET ${path}`, why: 'Open311 GeoReport v2', protectedBy: 'moderation, as the public feed', expected: all(200), request: () => ({ method: 'GET', path }) }),
    ),
    {
      name: 'GET /open311/v2/requests/:file of an unpublished case',
      route: 'GET /open311/v2/requests/:file',
      why: 'Open311 GeoReport v2: one published request',
      protectedBy: 'moderation: a case that was not published is not there',
      expected: all(404),
      refusesAs: 'application/json',
      request: () => ({ method: 'GET', path: `/open311/v2/requests/${matrix()}.json` }),
    },
    ...(['/contact', '/contact/contact.css', `/contact/sent?reference=${encodeReference(99, 5)}`] as const).map(
      (path): PublicRow => ({
        name: `GET ${path.split('?')[0]}`,
        route: `GET ${path.split('?')[0]}`,
        why: 'the public contact form',
        protectedBy: 'nothing to protect: the form, its stylesheet, and a page repeating the reference it is given',
        expected: all(200),
        refusesAs: 'text/html',
        request: () => ({ method: 'GET', path }),
      }),
    ),
    {
      name: 'POST /contact',
      route: 'POST /contact',
      why: 'patients write in without an account',
      protectedBy: 'it only creates: a limit per address, a honeypot, and the answer is the new case’s reference, nothing else',
      expected: all(303),
      refusesAs: 'text/html',
      request: () => ({ method: 'POST', path: '/contact', form: contactForm }),
    },
    {
      name: 'GET /provider-response/:token',
      route: 'GET /provider-response/:token',
      why: 'the provider’s page behind the link emailed to them',
      protectedBy: 'the link’s 256-bit token (stored hashed, expires, revocable); a limit per address',
      expected: all(200),
      refusesAs: 'text/html',
      request: () => ({ method: 'GET', path: `/provider-response/${providerToken}` }),
      // The table withdrew the earlier links: the handler sends the case again.
      async setup() {
        await ok({ method: 'POST', path: `/cases/${matrix()}/provider-referrals`, body: { summary: SUMMARY } }, tokens.handler, 201);
        providerToken = latestProviderLink();
      },
      shows: () => [cases.matrix.reference],
      async proof() {
        const wrong = await send({ method: 'GET', path: `/provider-response/${'A'.repeat(43)}` }, tokens.supervisor);
        expect(wrong.status, 'an unknown link').toBe(404);
        const text = await wrong.text();
        for (const secret of [...secrets.teamA, SUMMARY]) expect(text).not.toContain(secret);
      },
    },
    {
      name: 'POST /provider-response/:token',
      route: 'POST /provider-response/:token',
      why: 'the provider answers through the link',
      protectedBy: 'the link’s token, as the page',
      expected: all(303),
      refusesAs: 'text/html',
      request: () => ({ method: 'POST', path: `/provider-response/${providerToken}`, form: { outcome: 'acknowledged', response: 'We are looking into it.' } }),
      async proof() {
        const wrong = await send({ method: 'POST', path: `/provider-response/${'A'.repeat(43)}`, form: { outcome: 'addressed', response: 'Done.' } }, tokens.supervisor);
        expect(wrong.status, 'an unknown link').toBe(404);
      },
    },
    {
      name: 'POST /intake/email',
      route: 'POST /intake/email',
      why: 'Postmark delivers inbound email',
      protectedBy: 'HTTP Basic with the intake email secret',
      expected: all(403),
      request: () => ({ method: 'POST', path: '/intake/email', body: inboundEmail('Hello again') }),
      async proof() {
        expect((await api.emailWebhook(inboundEmail('Hello again'), null)).status, 'without credentials').toBe(403);
        expect((await api.emailWebhook(inboundEmail('Hello again'), 'not-the-email-secret-at-all')).status, 'with a wrong secret').toBe(403);
        expect((await api.emailWebhook(inboundEmail('Hello again'))).status, 'with the secret').toBe(200);
      },
    },
    {
      name: 'POST /intake/social',
      route: 'POST /intake/social',
      why: 'social networks deliver posts and messages',
      protectedBy: 'an HMAC-SHA256 signature of the body with the intake social secret',
      expected: all(403),
      request: () => ({ method: 'POST', path: '/intake/social', body: { platform: 'x', kind: 'post', id: 'p1', author: { id: 'a1' }, text: 'Hello' } }),
      async proof() {
        const post = { platform: 'x', kind: 'direct-message', id: randomUUID(), author: { id: 'a1', handle: '@patient' }, text: 'Who do I talk to about parking?' };
        expect((await api.socialWebhook(post, null)).status, 'without a signature').toBe(403);
        expect((await api.socialWebhook(post, `sha256=${'0'.repeat(64)}`)).status, 'with a wrong signature').toBe(403);
        expect((await api.socialWebhook(post)).status, 'signed').toBe(200);
      },
    },
    {
      ...twilioWebhook('/twilio/sms', { MessageSid: `SM${'1'.repeat(32)}`, AccountSid: `AC${'1'.repeat(32)}`, From: '+447400123456', To: '+441134960000', Body: 'Can I change my appointment?', NumMedia: '0' }, 200),
      why: 'Twilio delivers text messages',
      // Without Twilio, SMS intake is off and says so to everyone.
      embedded: all(501),
    },
    twilioWebhook('/twilio/voice', { CallSid: `CA${'2'.repeat(32)}`, From: '+447400123456', To: '+441134960000' }, 200),
    twilioWebhook('/twilio/voice/menu', { CallSid: `CA${'3'.repeat(32)}`, From: '+447400123456', To: '+441134960000', Digits: '3' }, 200),
    twilioWebhook('/twilio/call-status', { CallSid: `CA${'4'.repeat(32)}`, CallStatus: 'completed' }, 204),
    twilioWebhook('/twilio/conference-status', { ConferenceSid: `CF${'5'.repeat(32)}`, FriendlyName: 'cc-unknown', StatusCallbackEvent: 'conference-start', SequenceNumber: '1' }, 204),
    twilioWebhook('/twilio/hold-music', { CallSid: `CA${'6'.repeat(32)}` }, 200),
  ];

  const applies = (row: Row) => !(wiring === 'embedded' && row.embedded === 'absent');
  const expectedOf = (row: Row): Outcomes => (wiring === 'embedded' && row.embedded && row.embedded !== 'absent' ? { ...row.expected, ...row.embedded } : row.expected);

  it('has a row for every route the app registered, and none for a route it did not', () => {
    const covered = new Set([...table, ...publicByDesign].filter(applies).map((row) => row.route));
    expect([...covered].sort()).toEqual(registeredRoutes(api.app));
  });

  // Not a Fastify route (an upgrade on the same server), so named here rather than in the table.
  it('lets only a signed-in person open the live socket, and shows them only their own picture', async () => {
    const open = (token: string | null) =>
      new Promise<{ status: number; first: string | null }>((resolve, reject) => {
        const socket = new WebSocket(`${api.base.replace('http', 'ws')}${LIVE_PATH}`, token ? [LIVE_PROTOCOL, `${LIVE_BEARER_PREFIX}${token}`] : [LIVE_PROTOCOL]);
        socket.on('unexpected-response', (_request, response) => {
          resolve({ status: response.statusCode ?? 0, first: null });
          socket.terminate();
        });
        socket.on('message', (data) => {
          resolve({ status: 101, first: String(data) });
          socket.close();
        });
        socket.on('error', reject);
      });
    const outcomes = {} as Outcomes;
    for (const persona of personas) {
      const { status, first } = await open(tokens[persona]);
      outcomes[persona] = status;
      if (first) expect(JSON.parse(first)).toMatchObject({ type: 'snapshot' });
      if (persona === 'otherHandler' || persona === 'anonymous') for (const secret of secrets.teamA) expect.soft(first ?? '', `the live snapshot for ${persona}`).not.toContain(secret);
    }
    expect(outcomes).toEqual({ ...all(101), anonymous: 401 });
  });

  it('gives every persona exactly the expected outcome on every endpoint, and a denial carries no data', async () => {
    const outcomes: Record<string, Outcomes> = {};
    const expected: Record<string, Outcomes> = {};
    for (const row of [...table, ...publicByDesign].filter(applies)) {
      await row.setup?.();
      outcomes[row.name] = {} as Outcomes;
      expected[row.name] = expectedOf(row);
      for (const persona of personas) {
        const request = row.request(persona);
        const response = await send(request, tokens[persona]);
        outcomes[row.name]![persona] = response.status;
        const text = await response.text();
        const where = `${row.name} as ${persona} (${response.status})`;
        // What the request carried itself (an id in the path, say) is not disclosed by being repeated.
        const sent = `${request.path} ${JSON.stringify(request.body ?? request.form ?? '')}`;
        const shown = response.status < 400 && 'shows' in row ? ((row as PublicRow).shows?.() ?? []) : [];
        const hidden = (list: string[]) => list.filter((secret) => !sent.includes(secret) && !shown.includes(secret));
        if (response.status >= 400) {
          expect.soft(response.headers.get('content-type'), where).toContain(row.refusesAs ?? 'application/problem+json');
          for (const secret of hidden([...secrets.teamA, ...secrets.teamB])) expect.soft(text, `${where} carries no case data`).not.toContain(secret);
        }
        // Whatever the answer: nothing of team A's cases to someone outside it, nothing of team B's to team A, no
        // case at all to someone not signed in, and no caller's words to an administrator.
        const neverShown: Record<Persona, string[]> = {
          anonymous: [...secrets.teamA, ...secrets.teamB],
          handler: secrets.teamB,
          otherHandler: secrets.teamA,
          supervisor: secrets.teamB,
          admin: secrets.words,
        };
        for (const secret of hidden(neverShown[persona])) expect.soft(text, `${where} shows nothing of a case it may not see`).not.toContain(secret);
      }
      await row.after?.();
    }
    expect(outcomes).toEqual(expected);
  });

  it('refuses every public route’s request that lacks what protects it', async () => {
    for (const row of publicByDesign.filter(applies)) {
      expect(row.why, row.name).not.toBe('');
      expect(row.protectedBy, row.name).not.toBe('');
      await row.proof?.();
    }
  });

  it('shows the other team’s handler none of the case, in lists or in sync', async () => {
    const list = await api.call('GET', '/cases', { token: tokens.otherHandler });
    expect(await list.text()).not.toContain(matrix());
    const pull = await api.call('POST', '/sync/pull', { token: tokens.otherHandler, body: { clientId: randomUUID(), cursor: 0 } });
    const text = await pull.text();
    for (const secret of secrets.teamA) expect(text).not.toContain(secret);
  });

  it('records who read the case, when and why, for every read', async () => {
    const before = (await api.store.auditFor(matrix())).length;
    await api.call('GET', `/cases/${matrix()}?reason=${encodeURIComponent('Caller rang back')}`, { token: tokens.supervisor });
    const audit = await api.store.auditFor(matrix());
    expect(audit).toHaveLength(before + 1);
    expect(audit.at(-1)).toMatchObject({ userId: api.users.supervisor.id, caseId: matrix(), reason: 'Caller rang back' });
  });
});
