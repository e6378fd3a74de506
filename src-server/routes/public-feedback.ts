import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { problemTypes } from '../../src-shared/problem';
import { sendProblem } from '../problem';
import { FEED_CSS, PUBLIC_PAGE_HEADERS, renderFeedPage, renderPublicProblem } from '../publication/feed-page';
import type { PublicationStore } from '../publication/publication-store';
import { defineRoute, type RouteSpec } from './route-spec';

/** Checks one request against the public endpoints' limit; returns the seconds to wait, or 0. */
export type PublicLimiter = (request: FastifyRequest) => number;

/** An ODS-style organisation code: letters and digits. */
const providerCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{3,10}$/, { error: 'provider must be an organisation code, like RJ7.' });
const pageNumber = z.coerce.number({ error: 'page must be a whole number from 1.' }).int().min(1).max(10_000).default(1);

const feedItemSchema = z.object({
  id: z.string(),
  provider: z.object({ code: z.string(), name: z.string() }),
  category: z.string(),
  categoryLabel: z.string(),
  month: z.string(),
  description: z.string(),
  response: z.object({ text: z.string(), month: z.string() }).nullable(),
  status: z.enum(['open', 'closed']),
  updated: z.string(),
});

function tooMany(reply: FastifyReply, wait: number): FastifyReply {
  reply.header('retry-after', String(wait));
  return sendProblem(reply, { type: problemTypes.http, title: 'Too many requests', status: 429, detail: `Wait ${wait} seconds before asking again.` });
}

/** The public feed as JSON, declared with the other routes so OpenAPI lists it. */
export function publicFeedRoutes(deps: { publications: PublicationStore; limit: PublicLimiter }): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/public/feedback',
      summary: 'Published feedback, newest first, by provider',
      tag: 'public',
      access: 'public',
      query: z.object({ provider: providerCode.optional(), page: pageNumber }).strict(),
      response: z.object({ provider: z.object({ code: z.string(), name: z.string() }).nullable(), items: z.array(feedItemSchema), page: z.number(), pageSize: z.number(), total: z.number() }),
      refusals: { 404: 'No provider has that code', 429: 'Too many requests from this address: wait as retry-after says' },
      async handler({ query, request, reply }) {
        const wait = deps.limit(request);
        if (wait > 0) return tooMany(reply, wait);
        const provider = query.provider ? await deps.publications.providerByCode(query.provider) : null;
        if (query.provider && !provider) return sendProblem(reply, { type: problemTypes.notFound, title: 'No such provider', status: 404, detail: `There is no provider with the code ${query.provider}.` });
        const feed = await deps.publications.page({ providerCode: provider?.code, page: query.page });
        reply.header('cache-control', 'public, max-age=60').header('access-control-allow-origin', '*');
        return { provider, ...feed };
      },
    }),
  ];
}

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).headers(PUBLIC_PAGE_HEADERS).type('text/html; charset=utf-8').send(body);
}

/** The public feed as an accessible page, and its stylesheet. */
export function registerFeedPage(app: FastifyInstance, deps: { publications: PublicationStore; limit: PublicLimiter }): void {
  app.register(async (scope) => {
    scope.get('/public/feedback.css', async (_request, reply) => reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8').send(FEED_CSS));
    scope.get('/public/feedback.html', async (request, reply) => {
      const wait = deps.limit(request);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        return html(reply, 429, renderPublicProblem('Please wait', `We have had a lot of requests from this connection. Try again in ${wait} seconds.`));
      }
      const raw = request.query as Record<string, unknown>;
      const code = typeof raw.provider === 'string' && raw.provider.trim() !== '' ? providerCode.safeParse(raw.provider) : null;
      const page = pageNumber.safeParse(raw.page ?? undefined);
      if ((code && !code.success) || !page.success) return html(reply, 400, renderPublicProblem('Page not found', 'Check the address, or choose a provider from the list.'));
      const provider = code?.success ? await deps.publications.providerByCode(code.data) : null;
      if (code?.success && !provider) return html(reply, 404, renderPublicProblem('No such provider', 'We have no provider with that code. Choose one from the list.'));
      const [feed, providers] = await Promise.all([deps.publications.page({ providerCode: provider?.code, page: page.data }), deps.publications.providers()]);
      return html(reply, 200, renderFeedPage({ feed, providers, provider }));
    });
  });
}
