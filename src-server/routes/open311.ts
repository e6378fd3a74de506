import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { categories, categoryHints, categoryLabels } from '../../src-shared/domain/categories';
import type { PublishedFeedback, PublicationStore } from '../publication/publication-store';
import type { PublicLimiter } from './public-feedback';
import { defineRoute, type RouteSpec } from './route-spec';

/**
 * Open311 GeoReport v2, read-only, over published feedback, so civic tools that read 311 services can read it:
 * GET Service List, GET Service Requests and GET Service Request, in JSON. A service is a feedback category; a
 * request is one piece of published feedback under its public id, with the moderated description, the provider as
 * the agency responsible, and the month it was given as its requested time. Only published feedback is served, so
 * nothing personal can be. Errors use GeoReport's shape: a list of { code, description }.
 */

/** GeoReport: "may not span more than 90 days", and a query with no dates covers the most recent 90 days. */
const MAX_RANGE_MS = 90 * 24 * 60 * 60 * 1000;
/** GeoReport leaves the page size to the server; 1,000 is what most servers send at most. */
export const OPEN311_MAX_REQUESTS = 1_000;
const GROUP = 'Patient feedback';

/** A GeoReport service request: one piece of published feedback. */
const open311RequestSchema = z.object({
  service_request_id: z.string(),
  status: z.enum(['open', 'closed']),
  status_notes: z.string().nullable(),
  service_name: z.string(),
  service_code: z.string(),
  description: z.string(),
  agency_responsible: z.string(),
  service_notice: z.string().nullable(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string().nullable(),
});
export type Open311Request = z.infer<typeof open311RequestSchema>;

/** A GeoReport service: one feedback category. */
const open311ServiceSchema = z.object({
  service_code: z.enum(categories),
  service_name: z.string(),
  description: z.string(),
  metadata: z.literal(false),
  type: z.literal('realtime'),
  keywords: z.string(),
  group: z.string(),
});

/** GeoReport's errors: a list of { code, description }, in JSON, instead of problem+json. */
const refusesAsGeoReport = { mediaType: 'application/json', schema: z.array(z.object({ code: z.number().int(), description: z.string() })) };

function toRequest(item: PublishedFeedback): Open311Request {
  return {
    service_request_id: item.id,
    status: item.status,
    status_notes: item.response?.text ?? null,
    service_name: item.categoryLabel,
    service_code: item.category,
    description: item.description,
    agency_responsible: item.provider.name,
    service_notice: null,
    // The month only: the day and time could help identify who gave the feedback.
    requested_datetime: `${item.month}-01T00:00:00Z`,
    updated_datetime: `${item.updated}T00:00:00Z`,
    expected_datetime: null,
  };
}

function open311Error(reply: FastifyReply, code: 400 | 404 | 429, description: string): FastifyReply {
  return reply.code(code).type('application/json; charset=utf-8').send([{ code, description }]);
}

/** A W3C datetime ('2026-01-01T00:00:00Z', with an offset, or a date alone); null when it is not one. */
function w3(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/.test(value)) return null;
  const at = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(at) ? null : at;
}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

const text = z.string().max(2_000).optional();

export function open311Routes(deps: { publications: PublicationStore; limit: PublicLimiter; clock: { now(): number } }): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/open311/v2/services.json',
      summary: 'Open311 GeoReport v2: the service list (feedback categories)',
      tag: 'open311',
      access: 'public',
      query: z.object({ jurisdiction_id: text }).loose(),
      response: z.array(open311ServiceSchema),
      refusals: { 429: 'Too many requests from this address: wait as retry-after says' },
      refusesAs: refusesAsGeoReport,
      async handler({ request, reply }) {
        const wait = deps.limit(request);
        if (wait > 0) return open311Error(reply.header('retry-after', String(wait)), 429, `Too many requests: wait ${wait} seconds.`);
        reply.header('access-control-allow-origin', '*');
        return categories.map((code) => ({ service_code: code, service_name: categoryLabels[code], description: categoryHints[code], metadata: false, type: 'realtime', keywords: '', group: GROUP }));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/open311/v2/requests.json',
      summary: 'Open311 GeoReport v2: published feedback as service requests',
      tag: 'open311',
      access: 'public',
      query: z.object({ service_request_id: text, service_code: text, start_date: text, end_date: text, status: text, jurisdiction_id: text }).loose(),
      response: z.array(open311RequestSchema),
      refusals: { 400: 'A filter is not valid, or the dates span more than 90 days', 429: 'Too many requests from this address: wait as retry-after says' },
      refusesAs: refusesAsGeoReport,
      async handler({ query, request, reply }) {
        const wait = deps.limit(request);
        if (wait > 0) return open311Error(reply.header('retry-after', String(wait)), 429, `Too many requests: wait ${wait} seconds.`);
        reply.header('access-control-allow-origin', '*');
        const ids = list(query.service_request_id);
        if (ids) {
          if (ids.length > 100 || ids.some((id) => !/^[A-Za-z0-9_-]{1,40}$/.test(id))) return open311Error(reply, 400, 'service_request_id must be up to 100 ids, comma delimited.');
          return (await deps.publications.open311({ ids, limit: OPEN311_MAX_REQUESTS })).map(toRequest);
        }
        const statuses = list(query.status);
        if (statuses?.some((s) => s !== 'open' && s !== 'closed')) return open311Error(reply, 400, 'status must be open, closed, or both, comma delimited.');
        const codes = list(query.service_code);
        if (codes?.some((code) => !(categories as readonly string[]).includes(code))) return open311Error(reply, 400, 'service_code must be codes from services.json, comma delimited.');
        const start = query.start_date === undefined ? null : w3(query.start_date);
        const end = query.end_date === undefined ? null : w3(query.end_date);
        if ((query.start_date !== undefined && start === null) || (query.end_date !== undefined && end === null)) return open311Error(reply, 400, 'start_date and end_date must be in W3C format, like 2026-01-01T00:00:00Z.');
        const to = end ?? (start !== null ? start + MAX_RANGE_MS : deps.clock.now());
        const from = start ?? to - MAX_RANGE_MS;
        if (to < from) return open311Error(reply, 400, 'end_date must not be before start_date.');
        if (to - from > MAX_RANGE_MS) return open311Error(reply, 400, 'start_date to end_date may not span more than 90 days.');
        // Feedback is dated by its month: a month is in range when any of it is.
        const items = await deps.publications.open311({
          categories: codes,
          statuses: statuses as ('open' | 'closed')[] | undefined,
          fromMonth: new Date(from).toISOString().slice(0, 7),
          toMonth: new Date(to).toISOString().slice(0, 7),
          limit: OPEN311_MAX_REQUESTS,
        });
        return items.map(toRequest);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/open311/v2/requests/:file',
      summary: 'Open311 GeoReport v2: one published feedback by its id (requests/{id}.json)',
      tag: 'open311',
      access: 'public',
      params: z.object({ file: z.string().max(60) }).strict(),
      query: z.object({ jurisdiction_id: text }).loose(),
      response: z.array(open311RequestSchema).length(1),
      refusals: { 404: 'No published service request has that id', 429: 'Too many requests from this address: wait as retry-after says' },
      refusesAs: refusesAsGeoReport,
      async handler({ params, request, reply }) {
        const wait = deps.limit(request);
        if (wait > 0) return open311Error(reply.header('retry-after', String(wait)), 429, `Too many requests: wait ${wait} seconds.`);
        reply.header('access-control-allow-origin', '*');
        const id = /^([A-Za-z0-9_-]{1,40})\.json$/.exec(params.file)?.[1];
        if (!id) return open311Error(reply, 404, 'Ask for requests/{service_request_id}.json.');
        const found = await deps.publications.open311({ ids: [id], limit: 1 });
        if (found.length === 0) return open311Error(reply, 404, `There is no published service request ${id}.`);
        // GeoReport answers a single request as a list of one.
        return found.map(toRequest);
      },
    }),
  ];
}
