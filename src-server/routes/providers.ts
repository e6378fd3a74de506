import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { problemTypes } from '../../src-shared/problem';
import { createRateLimiter } from '../auth/rate-limit';
import { sendProblem } from '../problem';
import { providerEmail } from '../providers/provider-email';
import {
  PROVIDER_PAGE_HEADERS,
  readProviderForm,
  renderLinkProblem,
  renderProviderPage,
  renderProviderTooLong,
  renderProviderTooMany,
  renderProviderUnavailable,
  validateProviderForm,
} from '../providers/provider-page';
import { REFERRAL_SUMMARY_LIMIT, type ProviderStore } from '../providers/provider-store';
import { DEFAULT_PROVIDER_RATE_LIMIT, publicBaseUrlOf, type PublishingDeps } from '../publication/publishing-config';
import { parseWebhookForm } from '../telephony/twilio/webhook-signature';
import { defineRoute, type RouteSpec } from './route-spec';

/** The provider's form is small: a 5,000-character response is under 50 KB even as encoded emoji. */
export const PROVIDER_FORM_BODY_LIMIT = 64 * 1024;
/** What the logs show instead of a provider link's path: the path holds the link's secret. */
const LOGGED_PATH = '/provider-response/[link]';

const caseParams = z.object({ id: z.string().min(1).max(128) }).strict();
const dateSchema = z.iso.date({ error: 'Give dates as YYYY-MM-DD.' });

const referralSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  providerId: z.string(),
  mode: z.enum(['link', 'summary']),
  sentAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  firstOpenedAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  addressedAt: z.string().nullable(),
});

/** Sending a case to its provider, its links, and the providers' response times for reports. */
export function providerRoutes(deps: { providers: ProviderStore; config: PublishingDeps }): RouteSpec[] {
  const { providers, config } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/cases/:id/provider-referrals',
      summary: 'Send a case to its provider by email with a secure link',
      tag: 'providers',
      access: ['handler', 'supervisor'],
      params: caseParams,
      body: z
        .object({
          mode: z.enum(['link', 'summary']).default('link'),
          summary: z.string().trim().min(1).max(REFERRAL_SUMMARY_LIMIT, { error: `A summary can be at most ${REFERRAL_SUMMARY_LIMIT.toLocaleString('en-GB')} characters.` }).optional(),
        })
        .strict(),
      response: referralSchema,
      status: 201,
      refusals: {
        404: 'No such case in your teams',
        422: 'The case has no provider, its provider has no contact email, or there is no summary that may be sent',
        502: 'The mail server did not accept the email: nothing was recorded',
        503: 'This API has no public address for links, or no mail server',
      },
      async handler({ params, body, actor, request, reply }) {
        // The case first: someone who may not see it learns nothing about how this API is set up.
        const prepared = await providers.prepareReferral(actor!, params.id, body);
        const base = publicBaseUrlOf(config);
        if (!base) return sendProblem(reply, { type: problemTypes.http, title: 'Provider links are not set up', status: 503, detail: 'This API has no public address for links (PUBLIC_URL). Ask an administrator to set it.' });
        const sender = config.providerEmail;
        if (!sender) return sendProblem(reply, { type: problemTypes.http, title: 'Email to providers is not set up', status: 503, detail: 'No mail server is configured on this API (SMTP_URL), so it cannot email providers. Ask an administrator to set one up.' });
        try {
          await sender.send(providerEmail(prepared, `${base}/provider-response/${prepared.token}`));
        } catch (error) {
          request.log.warn({ caseId: params.id, code: (error as { code?: unknown }).code ?? null }, 'provider email not sent');
          return sendProblem(reply, { type: problemTypes.http, title: 'The email to the provider was not sent', status: 502, detail: 'The mail server did not accept it. Nothing was recorded on the case; try again later.' });
        }
        const referral = await providers.recordReferral(actor!, prepared, body.mode);
        request.log.info({ caseId: params.id, referralId: referral.id, providerId: referral.providerId, mode: referral.mode }, 'case sent to provider');
        return referral;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/cases/:id/provider-referrals',
      summary: 'List the links a case was sent to its provider with',
      tag: 'providers',
      access: ['handler', 'supervisor'],
      params: caseParams,
      response: z.object({ items: z.array(referralSchema) }),
      refusals: { 404: 'No such case in your teams' },
      async handler({ params, actor, reply }) {
        const items = await providers.referrals(actor!, params.id);
        return items ? { items } : sendProblem(reply, { type: problemTypes.notFound, title: 'No such case in your teams', status: 404 });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/cases/:id/provider-referrals/:referralId/revoke',
      summary: 'Withdraw a provider’s link before it expires',
      tag: 'providers',
      access: ['handler', 'supervisor'],
      params: z.object({ id: z.string().min(1).max(128), referralId: z.string().min(1).max(128) }).strict(),
      response: referralSchema,
      refusals: { 404: 'No such case in your teams, or no such link on it' },
      handler: ({ params, actor }) => providers.revoke(actor!, params.id, params.referralId),
    }),
    defineRoute({
      method: 'GET',
      url: '/reports/provider-times',
      summary: 'Read providers’ time to acknowledge and to address',
      tag: 'reports',
      access: ['supervisor', 'admin'],
      query: z.object({ from: dateSchema, to: dateSchema, teamId: z.string().min(1).max(128).optional() }).strict(),
      refusals: { 403: 'A supervisor asked for a team that is not theirs' },
      response: z.object({ from: z.string(), to: z.string(), providers: z.array(z.object({ providerId: z.string(), referrals: z.number(), medianAcknowledgeMs: z.number().nullable(), medianAddressMs: z.number().nullable() }).loose()) }),
      async handler({ query, actor, reply }) {
        const teams = actor!.role === 'admin' ? (query.teamId ? [query.teamId] : null) : query.teamId ? [query.teamId] : [...actor!.teamIds];
        if (actor!.role !== 'admin' && query.teamId && !actor!.teamIds.includes(query.teamId)) {
          return sendProblem(reply, { type: problemTypes.http, title: 'Not your team', status: 403, detail: 'A supervisor can see reports for their own teams only.' });
        }
        if (query.to < query.from) return sendProblem(reply, { type: problemTypes.validation, title: 'The request is not valid', status: 400, detail: 'to must not be before from.' });
        // Whole days: from the start of `from` to the end of `to`.
        const end = new Date(Date.parse(`${query.to}T00:00:00Z`) + 24 * 60 * 60 * 1000).toISOString();
        return { from: query.from, to: query.to, ...(await providers.times(`${query.from}T00:00:00.000Z`, end, teams)) };
      },
    }),
  ];
}

/**
 * The provider's page behind its link: GET shows it, POST takes a response and sends the browser back to it (post,
 * redirect, get). The link's token is in the path, so these routes log nothing themselves through Fastify's request
 * log (which logs paths); they log one line each with the path replaced.
 */
export function registerProviderPages(app: FastifyInstance, deps: { providers: ProviderStore; config: PublishingDeps; clock: { now(): number } }): void {
  const limiter = createRateLimiter({ ...(deps.config.providerRateLimit ?? DEFAULT_PROVIDER_RATE_LIMIT), clock: deps.clock });

  app.register(async (scope) => {
    const log = scope.log;
    function html(request: FastifyRequest, reply: FastifyReply, status: number, body: string): FastifyReply {
      log.info({ method: request.method, path: LOGGED_PATH, status }, 'request');
      return reply.code(status).headers(PROVIDER_PAGE_HEADERS).type('text/html; charset=utf-8').send(body);
    }
    function limited(request: FastifyRequest, reply: FastifyReply): FastifyReply | null {
      const wait = limiter.hit(request.ip);
      if (wait <= 0) return null;
      reply.header('retry-after', String(wait));
      return html(request, reply, 429, renderProviderTooMany(wait));
    }
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: PROVIDER_FORM_BODY_LIMIT }, (_request, body, done) => done(null, parseWebhookForm(body as string)));
    scope.setErrorHandler((error: { code?: string; statusCode?: number }, request, reply) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return html(request, reply, 413, renderProviderTooLong());
      if ((error.statusCode ?? 500) < 500) return html(request, reply, error.statusCode ?? 400, renderProviderUnavailable());
      log.error({ err: error, path: LOGGED_PATH }, 'provider page failed');
      return html(request, reply, 500, renderProviderUnavailable());
    });
    const routeOptions = { logLevel: 'silent' as const };
    const tokenOf = (request: FastifyRequest) => String((request.params as { token?: unknown }).token ?? '');

    scope.get('/provider-response/:token', routeOptions, async (request, reply) => {
      const refused = limited(request, reply);
      if (refused) return refused;
      const token = tokenOf(request);
      const state = await deps.providers.open(token);
      if (!state.ok) return html(request, reply, state.why === 'unknown' ? 404 : 410, renderLinkProblem(state.why));
      const sent = (request.query as Record<string, unknown>).sent === '1';
      return html(request, reply, 200, renderProviderPage({ view: state.view, action: `/provider-response/${token}`, sent }));
    });

    scope.post('/provider-response/:token', routeOptions, async (request, reply) => {
      const refused = limited(request, reply);
      if (refused) return refused;
      const token = tokenOf(request);
      const body = request.body;
      const values = readProviderForm(body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, string | string[]>) : {});
      const checked = validateProviderForm(values);
      if (!checked.ok) {
        const state = await deps.providers.open(token);
        if (!state.ok) return html(request, reply, state.why === 'unknown' ? 404 : 410, renderLinkProblem(state.why));
        return html(request, reply, 400, renderProviderPage({ view: state.view, action: `/provider-response/${token}`, values, errors: checked.errors }));
      }
      const state = await deps.providers.respond(token, checked);
      if (!state.ok) return html(request, reply, state.why === 'unknown' ? 404 : 410, renderLinkProblem(state.why));
      log.info({ referralId: state.view.referralId, outcome: checked.outcome, publishable: checked.publishable }, 'provider responded');
      log.info({ method: 'POST', path: LOGGED_PATH, status: 303 }, 'request');
      return reply.code(303).header('location', `/provider-response/${token}?sent=1`).header('referrer-policy', 'no-referrer').send();
    });
  });
}
