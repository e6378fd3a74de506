import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startPublishingApi, type PublishingHarness } from '../moderation/publishing-harness';

/** What a GeoReport v2 client reads, with the types the specification gives (w3 datetimes, open or closed). */
const w3 = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
const serviceSchema = z
  .object({ service_code: z.string(), service_name: z.string(), description: z.string(), metadata: z.boolean(), type: z.enum(['realtime', 'batch', 'blackbox']), keywords: z.string(), group: z.string() })
  .strict();
const requestSchema = z
  .object({
    service_request_id: z.string(),
    status: z.enum(['open', 'closed']),
    status_notes: z.string().nullable(),
    service_name: z.string(),
    service_code: z.string(),
    description: z.string().max(4000),
    agency_responsible: z.string(),
    service_notice: z.string().nullable(),
    requested_datetime: w3,
    updated_datetime: w3,
    expected_datetime: w3.nullable(),
  })
  .strict();
const errorSchema = z.array(z.object({ code: z.number().int(), description: z.string() }).strict()).length(1);

describe.each(['sqlite', 'postgres'] as const)('Open311 GeoReport v2 on %s', (dialect) => {
  let api: PublishingHarness;
  const ids: Record<'open' | 'closed', string> = { open: '', closed: '' };
  const hidden: string[] = [];

  beforeAll(async () => {
    api = await startPublishingApi({ dialect });
    const open = await api.createCase({ description: 'Caller words one', category: 'food', at: '2026-02-14T10:00:00.000Z' });
    ids.open = ((await (await api.approve(open.caseId, 'The food on the ward was cold every day.')).json()) as { publicId: string }).publicId;
    const closed = await api.createCase({ description: 'Caller words two', category: 'parking', at: '2026-03-02T10:00:00.000Z' });
    ids.closed = ((await (await api.approve(closed.caseId, 'The car park machines did not take cards.')).json()) as { publicId: string }).publicId;
    const push = await api.call('POST', '/sync/push', { token: api.tokens.handler, body: { clientId: randomUUID(), mutations: [{ id: 1, name: 'case.changeStatus', args: { caseId: closed.caseId, from: 'open', to: 'responded', at: new Date(api.clock.now()).toISOString() } }] } });
    expect(push.status).toBe(200);
    // Not published: awaiting a second moderator, rejected, never moderated.
    const second = await api.createCase({ description: 'Caller words three', needsSecondModeration: true });
    await api.approve(second.caseId, 'Awaiting a second moderator.');
    const rejected = await api.createCase({ description: 'Caller words four' });
    await api.call('POST', `/moderation/cases/${rejected.caseId}/reject`, { token: api.tokens.supervisor, body: { reason: 'Not suitable for publication' } });
    const untouched = await api.createCase({ description: 'Caller words five' });
    hidden.push(second.caseId, rejected.caseId, untouched.caseId, 'Awaiting a second moderator.');
  });
  afterAll(() => api.close());

  it('lists the feedback categories as services a GeoReport client can read', async () => {
    const response = await api.call('GET', '/open311/v2/services.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const services = z.array(serviceSchema).parse(await response.json());
    expect(services.map((s) => s.service_code)).toContain('food');
    expect(services.find((s) => s.service_code === 'staff-attitude')?.service_name).toBe('Staff attitude');
  });

  it('serves published feedback only, with GeoReport’s field names and types', async () => {
    const response = await api.call('GET', '/open311/v2/requests.json');
    expect(response.status).toBe(200);
    const text = await response.text();
    const requests = z.array(requestSchema).parse(JSON.parse(text));
    expect(requests.map((r) => r.service_request_id).sort()).toEqual([ids.open, ids.closed].sort());
    const food = requests.find((r) => r.service_request_id === ids.open)!;
    expect(food).toMatchObject({ status: 'open', service_code: 'food', service_name: 'Food', description: 'The food on the ward was cold every day.', agency_responsible: 'St George’s Hospital', requested_datetime: '2026-02-01T00:00:00Z' });
    expect(requests.find((r) => r.service_request_id === ids.closed)?.status).toBe('closed');
    for (const secret of hidden) expect(text).not.toContain(secret);
    expect(text).not.toContain('Caller words');
  });

  it('filters by status, service code and ids, and answers one request as a list of one', async () => {
    const open = z.array(requestSchema).parse(await (await api.call('GET', '/open311/v2/requests.json?status=open')).json());
    expect(open.map((r) => r.service_request_id)).toEqual([ids.open]);
    const parking = z.array(requestSchema).parse(await (await api.call('GET', '/open311/v2/requests.json?service_code=parking,delays')).json());
    expect(parking.map((r) => r.service_request_id)).toEqual([ids.closed]);
    const byId = z.array(requestSchema).parse(await (await api.call('GET', `/open311/v2/requests.json?service_request_id=${ids.closed},nope`)).json());
    expect(byId.map((r) => r.service_request_id)).toEqual([ids.closed]);
    const one = await api.call('GET', `/open311/v2/requests/${ids.open}.json`);
    expect(z.array(requestSchema).length(1).parse(await one.json())[0]!.service_request_id).toBe(ids.open);
  });

  it('never finds an unpublished case, even by its id, and errors in GeoReport’s shape', async () => {
    for (const id of hidden.slice(0, 3)) {
      const response = await api.call('GET', `/open311/v2/requests/${id}.json`);
      expect(response.status).toBe(404);
      expect(errorSchema.parse(await response.json())[0]!.code).toBe(404);
    }
    const tooLong = await api.call('GET', '/open311/v2/requests.json?start_date=2025-01-01T00:00:00Z&end_date=2026-01-01T00:00:00Z');
    expect(tooLong.status).toBe(400);
    expect(errorSchema.parse(await tooLong.json())[0]!.description).toContain('90 days');
    const badStatus = await api.call('GET', '/open311/v2/requests.json?status=pending');
    expect(badStatus.status).toBe(400);
    expect((await api.call('GET', '/open311/v2/requests.json?start_date=yesterday')).status).toBe(400);
    expect((await api.call('GET', '/open311/v2/requests.json?service_code=potholes')).status).toBe(400);
  });

  it('takes the most recent 90 days when no dates are given, and a range of months when they are', async () => {
    await api.advance(200 * 24 * 60 * 60 * 1000);
    expect(await (await api.call('GET', '/open311/v2/requests.json')).json()).toEqual([]);
    const february = z.array(requestSchema).parse(await (await api.call('GET', '/open311/v2/requests.json?start_date=2026-02-10T00:00:00Z&end_date=2026-02-20T00:00:00Z')).json());
    expect(february.map((r) => r.service_request_id)).toEqual([ids.open]);
  });
});
