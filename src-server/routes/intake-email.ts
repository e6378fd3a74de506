import { z } from 'zod';
import { defaultCaseFields } from '../../src-shared/domain/case-record';
import { normaliseEmail } from '../../src-shared/domain/email-address';
import { problemTypes } from '../../src-shared/problem';
import { emailEventId, hasBasicSecret, messageIdHeader, messageText, postmarkInboundSchema, referenceInSubject } from '../intake/email-inbound';
import { sendProblem } from '../problem';
import type { IntakeContext } from './intake-api';
import { defineRoute, type RouteSpec } from './route-spec';

export const intakeReceiptSchema = z.object({
  caseId: z.string(),
  reference: z.string(),
  /** True when the message opened a case; false when it continued one. */
  created: z.boolean(),
  /** True when the same message had been delivered before: nothing was written again. */
  duplicate: z.boolean(),
});

/**
 * Inbound email, as Postmark posts it (see email-inbound.ts for the shape and the credentials). A message whose
 * subject holds the reference of an open case, sent from that case's address, continues the case; any other opens a
 * case (noting the earlier reference when it named a case that is closed or was someone else's).
 */
export function emailIntakeRoutes(context: IntakeContext): RouteSpec[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/intake/email',
      summary: 'Receive an email (Postmark inbound webhook JSON; HTTP Basic, password = the intake email secret)',
      tag: 'intake',
      access: 'public',
      body: postmarkInboundSchema,
      response: intakeReceiptSchema,
      refusals: {
        400: 'The sender’s address cannot be replied to, or the email is empty',
        403: 'The HTTP Basic password is not the intake email secret',
        422: 'The case the email would open is not valid',
        501: 'Email intake is not configured',
        503: 'No team takes email contacts',
      },
      async handler({ body, request, reply }) {
        const secret = context.deps.emailSecret;
        if (!secret) return sendProblem(reply, { type: problemTypes.http, title: 'Email intake is not configured', status: 501, detail: 'Set INTAKE_EMAIL_SECRET on this API to take emails.' });
        if (!hasBasicSecret(request.headers.authorization, secret)) {
          request.log.warn({ channel: 'email' }, 'email webhook refused');
          return sendProblem(reply, { type: problemTypes.http, title: 'Not authorised', status: 403, detail: 'This webhook needs the intake email secret as the password of HTTP Basic credentials.' });
        }
        const from = normaliseEmail(body.FromFull.Email);
        if (!from.ok) {
          return sendProblem(reply, { type: problemTypes.validation, title: 'The sender’s address is not valid', status: 400, detail: 'FromFull.Email must be an address a reply can be sent to.', errors: [{ pointer: '#/body/FromFull/Email', code: 'invalid_email', message: from.message }] });
        }
        const reference = referenceInSubject(body.Subject);
        const attachments = body.Attachments.length;
        const externalId = messageIdHeader(body) ?? body.MessageID;
        const baseValue = { direction: 'inbound' as const, channel: 'email' as const, externalId, subject: body.Subject.slice(0, 300), ...(attachments ? { attachmentsNotKept: attachments } : {}) };
        const fullText = messageText(body, false);
        if (fullText === '' && attachments === 0) {
          return sendProblem(reply, { type: problemTypes.validation, title: 'The email is empty', status: 400, detail: 'TextBody and HtmlBody have no text, and there are no attachments.' });
        }
        const teamId = await context.teamFor('email');
        if (!teamId) return sendProblem(reply, { type: problemTypes.http, title: 'No team takes email contacts', status: 503, detail: 'Create a team, or set the intake team.' });
        let earlier: string | null = null;
        let continuing = false;
        const at = new Date(context.clock.now()).toISOString();
        const message = { channel: 'email' as const, address: from.email, eventId: emailEventId(body.MessageID), body: fullText || '[An email with attachments only, not kept]', value: baseValue, at };
        const outcome = await context.intake.receive(message, {
          named: async (tx) => {
            if (!reference) return null;
            const found = await context.intake.byReference(tx, reference);
            if (!found) return null;
            const theirs = found.addresses.includes(from.email) || found.case.fields.contactEmail === from.email;
            if (found.case.closedAt === null && theirs) {
              continuing = true;
              // A reply keeps only its new words: the quoted conversation is on the case already.
              message.body = messageText(body, true) || message.body;
              return found.case;
            }
            earlier = found.case.reference;
            return null;
          },
          continueOpenThread: false,
          create: async () => {
            const fields = { ...defaultCaseFields(context.deps.messageCaseType ?? 'question', 'email'), description: message.body, contactMethod: 'email' as const, contactEmail: from.email };
            if (earlier) {
              fields.previousReference = earlier;
              fields.flags = { ...fields.flags, relatesToPreviousCase: true };
            }
            const name = body.FromFull.Name.trim().slice(0, 200);
            return { teamId, fields, ...(name ? { caller: { phone: null, name } } : {}) };
          },
        });
        request.log.info({ channel: 'email', caseId: outcome.case.id, created: outcome.created, byReference: continuing, duplicate: !outcome.stored }, 'email received');
        return { caseId: outcome.case.id, reference: outcome.case.reference, created: outcome.created, duplicate: !outcome.stored };
      },
    }),
  ];
}
