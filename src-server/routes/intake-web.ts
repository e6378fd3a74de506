import type { FastifyInstance, FastifyReply } from 'fastify';
import { createRateLimiter } from '../auth/rate-limit';
import { encodeReference, SEQUENCE_MAX, validateReference } from '../../src-shared/domain/reference-number';
import { DECOY_DESK_TAG } from '../intake/intake-store';
import {
  caughtByHoneypot,
  CONTACT_CSS,
  readWebForm,
  renderConfirmation,
  renderContactForm,
  renderTooMany,
  renderUnavailable,
  validateWebForm,
  WEB_PAGE_HEADERS,
} from '../intake/web-form';
import { DEFAULT_WEB_RATE_LIMIT } from '../intake/intake-config';
import { parseWebhookForm } from '../telephony/twilio/webhook-signature';
import type { IntakeContext } from './intake-api';

/** The form's body is small: its text box holds 5,000 characters, which is under 50 KB even as encoded emoji. */
export const WEB_FORM_BODY_LIMIT = 64 * 1024;

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).headers(WEB_PAGE_HEADERS).type('text/html; charset=utf-8').send(body);
}

/**
 * The public contact form: GET shows it, POST checks it and either shows it again with what to change (nothing
 * stored) or stores the case and sends the browser to a page with its reference (post, redirect, get: a reload does
 * not send it twice). Limits: submissions per address per hour, the body's size, and a honeypot box.
 */
export function registerWebForm(app: FastifyInstance, context: IntakeContext): void {
  const limiter = createRateLimiter({ ...(context.deps.webRateLimit ?? DEFAULT_WEB_RATE_LIMIT), clock: context.clock });

  app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: WEB_FORM_BODY_LIMIT }, (_request, body, done) => {
      done(null, parseWebhookForm(body as string));
    });
    scope.setErrorHandler((error: { code?: string; statusCode?: number }, request, reply) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return html(reply, 413, renderContactForm({ values: {}, errors: [{ field: 'description', message: 'What you sent was too long. Shorten what you wrote and send it again.' }], providers: [] }));
      }
      if ((error.statusCode ?? 500) < 500) return html(reply, error.statusCode ?? 400, renderUnavailable());
      request.log.error({ err: error }, 'contact form failed');
      return html(reply, 500, renderUnavailable());
    });

    scope.get('/contact/contact.css', async (_request, reply) => reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8').send(CONTACT_CSS));

    scope.get('/contact', async (_request, reply) => html(reply, 200, renderContactForm({ values: {}, errors: [], providers: await context.intake.activeProviders() })));

    scope.get('/contact/sent', async (request, reply) => {
      const given = (request.query as Record<string, unknown>).reference;
      const checked = typeof given === 'string' ? validateReference(given) : null;
      if (!checked?.ok) return reply.code(303).header('location', '/contact').send();
      return html(reply, 200, renderConfirmation(checked.reference));
    });

    scope.post('/contact', async (request, reply) => {
      const wait = limiter.hit(request.ip);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        request.log.info({ channel: 'web' }, 'contact form rate limited');
        return html(reply, 429, renderTooMany(wait));
      }
      const body = request.body;
      const values = readWebForm(body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, string | string[]>) : {});
      if (caughtByHoneypot(values)) {
        // Looks like success to the bot; the reference has a tag no case ever has, so it can never lead anyone to one.
        request.log.info({ channel: 'web' }, 'contact form honeypot filled; nothing stored');
        const decoy = encodeReference(DECOY_DESK_TAG, Math.floor(Math.random() * SEQUENCE_MAX));
        return reply.code(303).header('location', `/contact/sent?reference=${decoy}`).send();
      }
      const providers = await context.intake.activeProviders();
      const checked = validateWebForm(values, providers);
      if (!checked.ok) {
        request.log.info({ channel: 'web', fields: checked.errors.map((error) => error.field) }, 'contact form refused');
        return html(reply, 400, renderContactForm({ values, errors: checked.errors, providers }));
      }
      const teamId = await context.teamFor('web');
      if (!teamId) {
        request.log.error({ channel: 'web' }, 'no team takes web contacts');
        return html(reply, 503, renderUnavailable());
      }
      const { submission } = checked;
      const outcome = await context.intake.createCase({
        teamId,
        fields: submission.fields,
        ...(submission.name || submission.fields.contactPhone ? { caller: { name: submission.name, phone: submission.fields.contactPhone } } : {}),
      });
      request.log.info({ channel: 'web', caseId: outcome.case.id, reference: outcome.case.reference }, 'contact form case created');
      return reply.code(303).header('location', `/contact/sent?reference=${outcome.case.reference}`).send();
    });
  });
}
