import { randomUUID } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { LOCK_AFTER_FAILURES } from '../../src-server/auth/sign-in-lockout';
import { VOICE_TOKENS_PER_MINUTE } from '../../src-server/routes/twilio';
import { signInRequestSchema, signInResponseSchema } from '../../src-shared/api/people';
import { emptyFlags } from '../../src-shared/domain/case-record';
import { apiHealthSchema } from '../../src-shared/health';
import { pullResponseSchema, pushRequestSchema } from '../../src-shared/sync/protocol';
import { encodeReference } from '../../src-shared/domain/reference-number';
import type { Offer } from '../../src-shared/telephony/model';
import { registeredRoutes } from './api-edges';
import { personMaker, PASSWORD, startApi, type WiredApiHarness } from './api-harness';

// The API builds its own Fastify instance and Twilio clients: these record its routes, and send the `twilio`
// package's requests to a fake of Twilio's cloud (see api-edges.ts). Everything else is the real code.
vi.mock('fastify', async (real) => (await import('./api-edges')).recordingFastify(await real()));
vi.mock('twilio', async (real) => (await import('./api-edges')).withFakeTwilioCloud(await real()));

interface MediaType {
  schema?: Record<string, unknown>;
}
interface DescribedResponse {
  description: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  responses: Record<string, DescribedResponse>;
  requestBody?: { content: Record<string, MediaType> };
}
interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, unknown>;
}

/**
 * Routes the API registers that the description leaves out, each with why: pages and stylesheets for people in a
 * browser, and Twilio's callbacks, which only Twilio calls, in Twilio's own contract (form posts it signs, answered in
 * TwiML). Anything else the API registers must be described.
 */
const undescribed: Record<string, string> = {
  'GET /contact': 'the public contact form, an HTML page for patients',
  'POST /contact': 'the contact form’s submission: a browser posts it and is sent on to a page',
  'GET /contact/sent': 'the HTML page that confirms a contact form was sent',
  'GET /contact/contact.css': 'the contact form’s stylesheet',
  'GET /public/feedback.html': 'the public feed as an HTML page (the feed itself is described: GET /public/feedback)',
  'GET /public/feedback.css': 'the public feed page’s stylesheet',
  'GET /provider-response/:token': 'the provider’s HTML page behind the link emailed to them',
  'POST /provider-response/:token': 'the form on the provider’s page: a browser posts it and is sent back to the page',
  'POST /twilio/sms': 'Twilio’s callback when a text message comes in',
  'POST /twilio/voice': 'Twilio’s callback when a call comes in',
  'POST /twilio/voice/menu': 'Twilio’s callback with the caller’s menu choice',
  'POST /twilio/call-status': 'Twilio’s callback when a call leg changes state',
  'POST /twilio/conference-status': 'Twilio’s callback when a conference changes',
  'POST /twilio/hold-music': 'Twilio’s callback for the hold music to play',
};
/** Of those, the ones only an API with a Twilio line registers. */
const twilioLineOnly = ['POST /twilio/voice', 'POST /twilio/voice/menu', 'POST /twilio/call-status', 'POST /twilio/conference-status', 'POST /twilio/hold-music'];

/** `METHOD /url` as Fastify registers it, for each operation of the description. */
function describedRoutes(doc: OpenApi): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`))
    .sort();
}

function operationOf(doc: OpenApi, route: string): Operation | undefined {
  const [method = '', url = ''] = route.split(' ');
  return doc.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
}

/** A JSON Schema 2020-12 validator (OpenAPI 3.1's dialect), strict but for `required` keys zod's records list under `propertyNames`. */
function validator() {
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
  addFormats(ajv);
  return ajv;
}

/** `schema` with each reference into the description (`#/components/...`) replaced by what it points at. */
function resolved(doc: OpenApi, schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map((item) => resolved(doc, item));
  if (typeof schema !== 'object' || schema === null) return schema;
  const { $ref: ref, ...rest } = schema as { $ref?: unknown };
  if (typeof ref === 'string') {
    const target = ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
    if (target === undefined) throw new Error(`${ref} points at nothing in the description`);
    return { ...(resolved(doc, target) as object), ...(resolved(doc, rest) as object) };
  }
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, resolved(doc, value)]));
}

describe.each(['production', 'embedded'] as const)('the OpenAPI description of the %s API', (wiring) => {
  let api: WiredApiHarness;
  let doc: OpenApi;
  beforeAll(async () => {
    api = await startApi({ wiring });
    doc = (await (await api.call('GET', '/openapi.json')).json()) as OpenApi;
  });
  afterAll(() => api?.close());

  it('describes exactly the routes the API registered, but for those listed with why they are not API operations', () => {
    const registered = registeredRoutes(api.app);
    expect(doc.openapi).toBe('3.1.0');
    expect(describedRoutes(doc)).toEqual(registered.filter((route) => !(route in undescribed)));
    // The list hides no route that is gone, and says why for each.
    for (const [route, why] of Object.entries(undescribed)) {
      if (wiring === 'embedded' && twilioLineOnly.includes(route)) continue;
      expect(registered, route).toContain(route);
      expect(why, route).not.toBe('');
    }
  });

  it('describes bodies with the very schemas the routes validate with and answer in', () => {
    const json = (schema: z.ZodType, io: 'input' | 'output') => {
      const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
      return rest;
    };
    const body = (route: string, status?: number) => {
      const operation = operationOf(doc, route)!;
      return (status === undefined ? operation.requestBody : operation.responses[String(status)])?.content?.['application/json']?.schema;
    };
    expect(body('POST /sync/push')).toEqual(json(pushRequestSchema, 'input'));
    expect(body('POST /sync/pull', 200)).toEqual(json(pullResponseSchema, 'output'));
    expect(body('POST /auth/sign-in')).toEqual(json(signInRequestSchema, 'input'));
    expect(body('POST /auth/sign-in', 200)).toEqual(json(signInResponseSchema, 'output'));
    expect(body('GET /health', 200)).toEqual(json(apiHealthSchema, 'output'));
  });

  it('gives each operation one success and its refusals as problem+json (Open311 as GeoReport’s JSON), with schemas that compile', () => {
    const ajv = validator();
    for (const route of describedRoutes(doc)) {
      const operation = operationOf(doc, route)!;
      const statuses = Object.keys(operation.responses).map(Number);
      expect(statuses.filter((status) => status < 300), `${route}: one success`).toHaveLength(1);
      for (const [status, response] of Object.entries(operation.responses)) {
        expect(response.description, `${route} ${status}`).not.toBe('');
        if (Number(status) >= 400) {
          const types = Object.keys(response.content ?? {});
          expect(types.includes('application/problem+json') || (route.includes('/open311/') && types.includes('application/json')), `${route} ${status} as ${types.join(', ')}`).toBe(true);
        }
        for (const media of Object.values(response.content ?? {})) if (media.schema) ajv.compile(resolved(doc, media.schema) as object);
      }
      for (const media of Object.values(operation.requestBody?.content ?? {})) if (media.schema) ajv.compile(resolved(doc, media.schema) as object);
    }
  });
});

describe('what the production API answers, against its OpenAPI description', () => {
  let api: WiredApiHarness;
  let doc: OpenApi;
  const ajv = validator();
  /** Each answer that the description does not allow, in words. */
  const untrue: string[] = [];
  /** Each route and status the walk below saw. */
  const seen = new Set<string>();

  beforeAll(async () => {
    api = await startApi({ wiring: 'production' });
    doc = (await (await api.call('GET', '/openapi.json')).json()) as OpenApi;
  });
  afterAll(() => api?.close());

  /**
   * Checks one answer of `route` against the description: its status is one the operation lists, its media type one
   * that status lists, and its body valid against that media type's schema. Throws if the status is not `expected`
   * (the walk depends on it); records any untruth of the description in `untrue`. Returns the parsed body.
   */
  async function answer(route: string, sent: Promise<Response> | Response, expected: number): Promise<unknown> {
    const response = await sent;
    const text = await response.text();
    if (response.status !== expected) throw new Error(`${route}: expected ${expected}, got ${response.status} ${text.slice(0, 500)}`);
    seen.add(`${route} ${response.status}`);
    const operation = operationOf(doc, route);
    if (!operation) {
      untrue.push(`${route} is not described`);
      return null;
    }
    const described = operation.responses[String(response.status)];
    if (!described) {
      untrue.push(`${route} answered ${response.status}; the description lists ${Object.keys(operation.responses).join(', ')}`);
      return null;
    }
    const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim() ?? null;
    if (!described.content) {
      if (text !== '') untrue.push(`${route} ${response.status} is described with no body but has one (${mediaType})`);
      return null;
    }
    const media = mediaType === null ? undefined : described.content[mediaType];
    if (!media) {
      untrue.push(`${route} ${response.status} answered as ${mediaType}; the description says ${Object.keys(described.content).join(', ')}`);
      return null;
    }
    const body: unknown = mediaType?.endsWith('json') ? JSON.parse(text) : text;
    if (!media.schema) {
      untrue.push(`${route} ${response.status} has no schema for ${mediaType}`);
      return body;
    }
    const validate = ajv.compile(resolved(doc, media.schema) as object);
    if (!validate(body)) untrue.push(`${route} ${response.status}: ${ajv.errorsText(validate.errors)}`);
    return body;
  }

  const call = (method: string, path: string, token: string | null, body?: unknown) => api.call(method, path, { token, ...(body !== undefined ? { body } : {}) });

  it('answers a representative call of every kind, and its refusals, with a status and body the description lists', async () => {
    const signIn = async (email: string) => (await answer('POST /auth/sign-in', api.signIn(email), 200)) as { accessToken: string; refreshToken: string };
    const handler = await signIn(api.users.handler.email);
    const supervisor = (await signIn(api.users.supervisor.email)).accessToken;
    const admin = (await signIn(api.users.admin.email)).accessToken;
    const h = handler.accessToken;
    const teammate = await (await personMaker(api.store))('teammate@a.test', 'handler', [api.teams.a]);

    // Meta and sessions.
    await answer('GET /health', call('GET', '/health', null), 200);
    await answer('GET /openapi.json', call('GET', '/openapi.json', null), 200);
    await answer('GET /me', call('GET', '/me', h), 200);
    const refreshed = (await answer('POST /auth/refresh', call('POST', '/auth/refresh', null, { refreshToken: handler.refreshToken }), 200)) as { refreshToken: string };
    await answer('POST /auth/sign-out', call('POST', '/auth/sign-out', null, { refreshToken: refreshed.refreshToken }), 204);

    // Reference data: a provider with an email, for publishing and referrals.
    await answer('GET /reference', call('GET', '/reference', h), 200);
    await answer('GET /admin/providers', call('GET', '/admin/providers', admin), 200);
    await answer('POST /admin/providers', call('POST', '/admin/providers', admin, { odsCode: 'RMX01', name: 'Matrix Trust', kind: 'acute trust', departments: ['Wards'], contactEmail: 'feedback@matrix.example.org' }), 201);
    await answer('PATCH /admin/providers/:id', call('PATCH', '/admin/providers/provider-rmx01', admin, { name: 'Matrix Trust' }), 200);
    await answer('GET /admin/queues', call('GET', '/admin/queues', admin), 200);
    await answer('POST /admin/queues', call('POST', '/admin/queues', admin, { id: 'openapi', name: 'OpenAPI queue', caseType: 'question' }), 201);
    await answer('PATCH /admin/queues/:id', call('PATCH', '/admin/queues/openapi', admin, { active: false }), 200);
    await answer('GET /admin/dispositions', call('GET', '/admin/dispositions', admin), 200);
    await answer('POST /admin/dispositions', call('POST', '/admin/dispositions', admin, { id: 'openapi', label: 'OpenAPI', resolves: false }), 201);
    await answer('PATCH /admin/dispositions/:id', call('PATCH', '/admin/dispositions/openapi', admin, { label: 'OpenAPI checked' }), 200);
    await answer('GET /admin/categories', call('GET', '/admin/categories', admin), 200);
    await answer('PATCH /admin/categories/:id', call('PATCH', '/admin/categories/parking', admin, { label: 'Parking and charges' }), 200);

    // Sync: a feedback case that may be published, by the handler.
    const clientId = randomUUID();
    const caseId = randomUUID();
    const at = new Date().toISOString();
    const fields = {
      description: 'The nurse on ward 7 was kind but the wait was long',
      providerId: 'provider-rmx01',
      category: 'delays',
      flags: { ...emptyFlags(), publishConsent: true },
    };
    const mutations = [
      { id: 1, name: 'case.create', args: { caseId, reference: encodeReference(31, 1), type: 'feedback', channel: 'phone', callerId: null, at } },
      ...Object.entries(fields).map(([field, value], index) => ({ id: index + 2, name: 'case.updateField', args: { caseId, field, value, at } })),
    ];
    await answer('POST /sync/push', call('POST', '/sync/push', h, { clientId, mutations }), 200);
    await answer('POST /sync/pull', call('POST', '/sync/pull', h, { clientId, cursor: 0 }), 200);

    // Cases.
    await answer('GET /cases', call('GET', '/cases', h), 200);
    await answer('GET /cases/:id', call('GET', `/cases/${caseId}?reason=${encodeURIComponent('Checking the description')}`, h), 200);
    await answer('POST /cases/:id/claim', call('POST', `/cases/${caseId}/claim`, h), 200);
    await answer('POST /cases/:id/reassign', call('POST', `/cases/${caseId}/reassign`, supervisor, { ownerId: teammate.id }), 200);

    // Administration and reports.
    await answer('GET /admin/audit', call('GET', `/admin/audit?caseId=${caseId}`, admin), 200);
    await answer('GET /admin/users', call('GET', '/admin/users', admin), 200);
    const created = (await answer('POST /admin/users', call('POST', '/admin/users', admin, { email: 'new@org.test', name: 'New person', role: 'handler', teamIds: [api.teams.a], password: 'a long enough password' }), 201)) as { id: string };
    await answer('PATCH /admin/users/:id', call('PATCH', `/admin/users/${created.id}`, admin, { name: 'Renamed' }), 200);
    await answer('GET /admin/teams', call('GET', '/admin/teams', admin), 200);
    await answer('POST /admin/teams', call('POST', '/admin/teams', admin, { name: 'Team C' }), 201);
    await answer('GET /reports/summary', call('GET', '/reports/summary?from=2025-07-01&to=2025-07-31', supervisor), 200);
    await answer('GET /reports/export.csv', call('GET', '/reports/export.csv?from=2025-07-01&to=2025-07-31', supervisor), 200);
    await answer('GET /reports/settings', call('GET', '/reports/settings', supervisor), 200);
    await answer(
      'PUT /admin/report-settings',
      call('PUT', '/admin/report-settings', admin, {
        handlerHourlyCostPence: 1800,
        paidHours: { kind: 'per-handler', hoursPerDay: 7.5, weekdays: [1, 2, 3, 4, 5] },
        platformCostPerMonthPence: 250000,
        serviceLevel: { targetSeconds: 60, targetShare: 0.95 },
        abandonedAfterSeconds: 30,
      }),
      200,
    );
    await answer('GET /reports/provider-times', call('GET', '/reports/provider-times?from=2025-07-01&to=2025-07-31', supervisor), 200);

    // Moderation and publication: the case is published, then read back from the feed and Open311.
    const text = 'A relative found the wait on the ward too long, though the staff were kind.';
    await answer('GET /moderation/queue', call('GET', '/moderation/queue', supervisor), 200);
    await answer('GET /moderation/cases/:id', call('GET', `/moderation/cases/${caseId}`, supervisor), 200);
    await answer('PUT /moderation/cases/:id/draft', call('PUT', `/moderation/cases/${caseId}/draft`, supervisor, { text }), 200);
    const approved = (await answer('POST /moderation/cases/:id/approve', call('POST', `/moderation/cases/${caseId}/approve`, supervisor, { text }), 200)) as { publicId: string };
    await answer('POST /moderation/cases/:id/response', call('POST', `/moderation/cases/${caseId}/response`, supervisor, { text: 'We are sorry for the wait.' }), 200);
    await answer('GET /public/feedback', call('GET', '/public/feedback', null), 200);
    await answer('GET /open311/v2/services.json', call('GET', '/open311/v2/services.json', null), 200);
    await answer('GET /open311/v2/requests.json', call('GET', '/open311/v2/requests.json', null), 200);
    await answer('GET /open311/v2/requests/:file', call('GET', `/open311/v2/requests/${approved.publicId}.json`, null), 200);
    await answer('POST /moderation/cases/:id/reject', call('POST', `/moderation/cases/${caseId}/reject`, supervisor, { reason: 'Withdrawn for the test' }), 200);

    // Referrals to the provider, by email.
    await answer('POST /cases/:id/provider-referrals', call('POST', `/cases/${caseId}/provider-referrals`, supervisor, { summary: 'A relative reports a long wait on a ward.' }), 201);
    const referrals = (await answer('GET /cases/:id/provider-referrals', call('GET', `/cases/${caseId}/provider-referrals`, supervisor), 200)) as { items: { id: string }[] };
    await answer('POST /cases/:id/provider-referrals/:referralId/revoke', call('POST', `/cases/${caseId}/provider-referrals/${referrals.items[0]!.id}/revoke`, supervisor), 200);

    // Intake by each channel, and a reply.
    const email = {
      FromName: 'Jo Bloggs',
      From: 'jo.bloggs@example.org',
      FromFull: { Email: 'jo.bloggs@example.org', Name: 'Jo Bloggs', MailboxHash: '' },
      To: 'help@care-line.example.org',
      Subject: 'My appointment',
      MessageID: randomUUID(),
      Date: 'Sat, 21 Nov 2026 09:00:00 +0000',
      TextBody: 'I never heard back about my appointment letter',
      HtmlBody: '<p>I never heard back about my appointment letter</p>',
      StrippedTextReply: '',
      Headers: [],
      Attachments: [],
    };
    const receipt = (await answer('POST /intake/email', api.emailWebhook(email), 200)) as { caseId: string };
    await answer('POST /cases/:id/messages', call('POST', `/cases/${receipt.caseId}/messages`, h, { body: 'Thank you for writing to us.' }), 201);
    await answer('POST /intake/social', api.socialWebhook({ platform: 'x', kind: 'direct-message', id: randomUUID(), author: { id: 'a1', handle: '@patient' }, text: 'Who do I talk to about parking?' }), 200);

    // Telephony: the line, and a call's life (rung in through Twilio's webhooks, which are not described).
    await answer('GET /telephony/snapshot', call('GET', '/telephony/snapshot', h), 200);
    await answer('POST /twilio/token', call('POST', '/twilio/token', h, {}), 200);
    await answer('GET /telephony/simulator', call('GET', '/telephony/simulator', supervisor), 409);
    await answer('PUT /telephony/handlers/:handlerId/skills', call('PUT', `/telephony/handlers/${api.users.handler.id}/skills`, supervisor, { queueIds: ['feedback', 'concern', 'question', 'general'] }), 200);
    await answer('PUT /telephony/handlers/:handlerId/state', call('PUT', `/telephony/handlers/${api.users.supervisor.id}/state`, supervisor, { state: 'break', reason: 'Team meeting' }), 200);
    await answer('PUT /telephony/me/state', call('PUT', '/telephony/me/state', h, { state: 'available' }), 200);
    const ring = async (n: number): Promise<string> => {
      expect((await api.twilioWebhook('/twilio/voice/menu', { CallSid: `CA${String(n).repeat(32)}`, From: '+447400123456', To: '+441134960000', Digits: '1' })).status).toBe(200);
      for (let tries = 0; tries < 500; tries += 1) {
        const snapshot = (await (await call('GET', '/telephony/snapshot', h)).json()) as { offers?: Offer[] };
        const offer = snapshot.offers?.find((candidate) => candidate.handlerId === api.users.handler.id);
        if (offer) return offer.call.id;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('no call rang for the handler');
    };
    const callId = await ring(2);
    await answer('POST /telephony/calls/:callId/answer', call('POST', `/telephony/calls/${callId}/answer`, h), 200);
    await answer('POST /telephony/calls/:callId/hold', call('POST', `/telephony/calls/${callId}/hold`, h, { on: true }), 200);
    await answer('PUT /telephony/calls/:callId/case', call('PUT', `/telephony/calls/${callId}/case`, h, { caseId }), 200);
    await answer('POST /telephony/calls/:callId/monitor', call('POST', `/telephony/calls/${callId}/monitor`, supervisor, { mode: 'listen' }), 200);
    await answer('POST /telephony/calls/:callId/hang-up', call('POST', `/telephony/calls/${callId}/hang-up`, h), 200);
    await answer('POST /telephony/calls/:callId/wrap-up', call('POST', `/telephony/calls/${callId}/wrap-up`, h, { dispositionId: 'information-given' }), 200);
    await answer('PUT /telephony/me/state', call('PUT', '/telephony/me/state', h, { state: 'available' }), 200);
    const second = await ring(3);
    await answer('POST /telephony/calls/:callId/decline', call('POST', `/telephony/calls/${second}/decline`, h), 204);

    // Refusals.
    await answer('GET /me', call('GET', '/me', null), 401);
    await answer('GET /admin/users', call('GET', '/admin/users', h), 403);
    await answer('GET /cases', call('GET', '/cases?limit=0', h), 400);
    await answer('GET /cases/:id', call('GET', `/cases/${randomUUID()}`, h), 404);
    await answer('POST /cases/:id/claim', call('POST', `/cases/${caseId}/claim`, h), 409);
    await answer('POST /cases/:id/reassign', call('POST', `/cases/${caseId}/reassign`, supervisor, { ownerId: api.users.otherHandler.id }), 422);
    await answer('POST /admin/teams', call('POST', '/admin/teams', admin, { name: 'Team C' }), 409);
    await answer('POST /admin/users', call('POST', '/admin/users', admin, { email: 'ghost@org.test', name: 'Ghost', role: 'handler', teamIds: [randomUUID()], password: 'a long enough password' }), 422);
    await answer('PATCH /admin/users/:id', call('PATCH', `/admin/users/${randomUUID()}`, admin, { name: 'Nobody' }), 404);
    await answer('POST /sync/push', call('POST', '/sync/push', h, { clientId: randomUUID(), mutations: [{ ...mutations[0]!, id: 3 }] }), 409);
    await answer('POST /sync/push', api.call('POST', '/sync/push', { token: h, rawBody: '<push/>', contentType: 'application/xml' }), 415);
    const note = { id: 1, name: 'case.appendNote', args: { caseId, noteId: 'n', text: 'x'.repeat(9000), at } };
    await answer('POST /sync/push', call('POST', '/sync/push', h, { clientId: randomUUID(), mutations: Array.from({ length: 200 }, (_, i) => ({ ...note, id: i + 1 })) }), 413);
    await answer('POST /moderation/cases/:id/approve', call('POST', `/moderation/cases/${caseId}/approve`, supervisor, { text: 'Ring the relative back on 07700 900123.' }), 422);
    await answer('GET /open311/v2/requests.json', call('GET', '/open311/v2/requests.json?status=lost', null), 400);
    await answer('GET /open311/v2/requests/:file', call('GET', `/open311/v2/requests/${caseId}.json`, null), 404);
    await answer('POST /intake/social', api.socialWebhook({ platform: 'x', kind: 'post', id: 'p1', author: { id: 'a1' }, text: 'Hello' }, null), 403);
    const locked = await (await personMaker(api.store))('locked@a.test', 'handler', [api.teams.a]);
    for (let i = 0; i < LOCK_AFTER_FAILURES; i += 1) await answer('POST /auth/sign-in', api.signIn(locked.email, 'not the password'), 401);
    await answer('POST /auth/sign-in', api.signIn(locked.email, PASSWORD), 423);
    for (let i = 0; i < VOICE_TOKENS_PER_MINUTE - 1; i += 1) await answer('POST /twilio/token', call('POST', '/twilio/token', h, {}), 200);
    await answer('POST /twilio/token', call('POST', '/twilio/token', h, {}), 429);

    expect(untrue).toEqual([]);
    // The walk covers what it is meant to: the answers the description once got wrong, and each kind of refusal.
    expect([...seen]).toEqual(
      expect.arrayContaining([
        'GET /cases 200',
        'GET /cases/:id 200',
        'POST /cases/:id/reassign 200',
        'POST /cases/:id/claim 200',
        'GET /admin/audit 200',
        'GET /reports/export.csv 200',
        'POST /auth/sign-out 204',
        'GET /open311/v2/services.json 200',
        'GET /open311/v2/requests.json 200',
        'GET /open311/v2/requests/:file 200',
        'POST /sync/push 200',
        'POST /sync/pull 200',
        'POST /auth/sign-in 200',
        'POST /auth/refresh 200',
        'GET /health 200',
        'GET /openapi.json 200',
        'GET /cases/:id 404',
        'POST /admin/teams 409',
        'POST /admin/users 422',
        'POST /sync/push 413',
        'POST /auth/sign-in 423',
        'POST /twilio/token 429',
      ]),
    );
  });
});
