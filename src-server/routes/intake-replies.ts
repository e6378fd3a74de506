import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CASE_LIMITS } from '../../src-shared/domain/case-record';
import { problemTypes } from '../../src-shared/problem';
import { replySubject } from '../intake/email-inbound';
import type { MessageEventValue } from '../intake/intake-store';
import { sendProblem } from '../problem';
import type { ServerCase } from '../store/central-store';
import { serverCaseEventSchema } from './cases';
import type { IntakeContext } from './intake-api';
import { defineRoute, type RouteSpec } from './route-spec';

/** Twilio sends up to 1,600 characters as one message (in several parts). */
export const SMS_REPLY_LIMIT = 1_600;

export const messageEventSchema = serverCaseEventSchema.extend({
  kind: z.literal('message'),
  field: z.null(),
  value: z.object({ direction: z.enum(['inbound', 'outbound']), channel: z.enum(['web', 'sms', 'email', 'social']), externalId: z.string().nullable() }).loose(),
  body: z.string(),
});

type ReplyRoute = { channel: 'sms' | 'email'; to: string } | { channel: null; reason: string };

/** How a reply on this case can reach the patient: by the channel they used, or by the email they asked for. */
function replyRoute(target: ServerCase, threadAddress: string | null, lastPlatform: string | undefined): ReplyRoute {
  const { fields } = target;
  if (fields.channel === 'sms') {
    const to = threadAddress ?? fields.contactPhone;
    return to ? { channel: 'sms', to } : { channel: null, reason: 'This SMS case has no number to reply to.' };
  }
  if (fields.channel === 'email') {
    const to = threadAddress ?? fields.contactEmail;
    return to ? { channel: 'email', to } : { channel: null, reason: 'This email case has no address to reply to.' };
  }
  if (fields.contactMethod === 'email' && fields.contactEmail) return { channel: 'email', to: fields.contactEmail };
  if (fields.channel === 'social') return { channel: null, reason: `Reply on ${lastPlatform ?? 'the social network'} itself: this API cannot post there.` };
  if (fields.contactMethod === 'phone') return { channel: null, reason: 'The patient asked to be phoned back. Call them on the number on the case.' };
  return { channel: null, reason: 'The patient did not ask for a reply by email, and this case has no email address to reply to.' };
}

/**
 * A handler's reply on a case: sent by SMS or email (whichever the case came by, or the email the patient asked for),
 * then recorded on the case's timeline as an outbound message, so the conversation shows both sides. A reply that
 * cannot be sent is refused with the reason and recorded nowhere. `messageId` makes a retried request safe: a reply
 * already recorded with that id is answered again, not sent twice.
 */
export function replyRoutes(context: IntakeContext): RouteSpec[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/cases/:id/messages',
      summary: 'Reply to the patient on a case by SMS or email',
      tag: 'intake',
      access: ['handler', 'supervisor'],
      params: z.object({ id: z.string().min(1).max(128) }).strict(),
      body: z
        .object({
          body: z.string().trim().min(1, { error: 'Write the reply before sending it.' }).max(CASE_LIMITS.note, { error: `A reply can be at most ${CASE_LIMITS.note.toLocaleString('en-GB')} characters.` }),
          messageId: z.uuid({ error: 'messageId must be a UUID the desk made for this reply.' }).optional(),
        })
        .strict(),
      response: messageEventSchema,
      status: 201,
      refusals: {
        400: 'The reply is too long for a text message',
        404: 'No such case in your teams',
        409: 'That message id was used for something else',
        422: 'This case cannot be replied to from here (the problem says how to reach the patient)',
        502: 'Twilio or the mail server did not accept the reply: nothing was recorded',
        503: 'SMS or email replies are not set up on this API',
      },
      async handler({ params, body, actor, request, reply }) {
        const target = await context.intake.replyTarget(actor!, params.id);
        if (!target) return sendProblem(reply, { type: problemTypes.notFound, title: 'No such case in your teams', status: 404 });
        if (body.messageId) {
          const earlier = await context.intake.findEvent(body.messageId);
          if (earlier && earlier.caseId === target.case.id && earlier.kind === 'message') return reply.code(201).send(earlier);
          if (earlier) return sendProblem(reply, { type: problemTypes.http, title: 'That message id is taken', status: 409, detail: 'Make a new id for each reply.' });
        }
        const lastValue = target.lastInbound?.value as MessageEventValue | undefined;
        const route = replyRoute(target.case, target.address, lastValue?.platform);
        if (route.channel === null) return sendProblem(reply, { type: problemTypes.http, title: 'This case cannot be replied to from here', status: 422, detail: route.reason });
        let value: MessageEventValue;
        if (route.channel === 'sms') {
          const sender = context.deps.smsSender;
          if (!sender) return sendProblem(reply, { type: problemTypes.http, title: 'SMS replies are not set up', status: 503, detail: 'Twilio is not configured on this API, so it cannot send text messages. Phone the patient instead, or ask an administrator to set up Twilio.' });
          if (body.body.length > SMS_REPLY_LIMIT) return sendProblem(reply, { type: problemTypes.validation, title: 'The reply is too long for a text message', status: 400, detail: `An SMS reply can be at most ${SMS_REPLY_LIMIT.toLocaleString('en-GB')} characters; this is ${body.body.length.toLocaleString('en-GB')}.` });
          try {
            const sent = await sender.send({ to: route.to, body: body.body });
            value = { direction: 'outbound', channel: 'sms', externalId: sent.id };
          } catch (error) {
            // Twilio's messages can quote the number: only the code is logged.
            request.log.warn({ caseId: target.case.id, channel: 'sms', code: (error as { code?: unknown }).code ?? null }, 'sms reply not sent');
            return sendProblem(reply, { type: problemTypes.http, title: 'The text message was not sent', status: 502, detail: 'Twilio did not accept it. Nothing was recorded on the case; try again, or phone the patient.' });
          }
        } else {
          const sender = context.deps.emailSender;
          if (!sender) return sendProblem(reply, { type: problemTypes.http, title: 'Email replies are not set up', status: 503, detail: 'No mail server is configured on this API (SMTP_URL), so it cannot send email. Ask an administrator to set one up.' });
          const subject = replySubject(target.case.reference, lastValue?.subject);
          const inReplyTo = lastValue?.channel === 'email' && lastValue.externalId?.startsWith('<') ? lastValue.externalId : undefined;
          try {
            const sent = await sender.send({ to: route.to, subject, text: body.body, ...(inReplyTo ? { inReplyTo } : {}) });
            value = { direction: 'outbound', channel: 'email', externalId: sent.id, subject };
          } catch (error) {
            request.log.warn({ caseId: target.case.id, channel: 'email', code: (error as { code?: unknown }).code ?? null }, 'email reply not sent');
            return sendProblem(reply, { type: problemTypes.http, title: 'The email was not sent', status: 502, detail: 'The mail server did not accept it. Nothing was recorded on the case; try again later.' });
          }
        }
        const event = await context.intake.recordOutbound(actor!, target.case, { eventId: body.messageId ?? randomUUID(), body: body.body, value });
        request.log.info({ caseId: target.case.id, channel: value.channel }, 'reply sent');
        return event;
      },
    }),
  ];
}
