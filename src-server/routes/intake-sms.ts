import type { FastifyInstance, FastifyReply } from 'fastify';
import { CASE_LIMITS, defaultCaseFields } from '../../src-shared/domain/case-record';
import { normalisePhoneNumber } from '../../src-shared/domain/phone-number';
import { problemTypes } from '../../src-shared/problem';
import { sendProblem } from '../problem';
import { isSignedByTwilio, param, parseWebhookForm, type WebhookParams } from '../telephony/twilio/webhook-signature';
import type { IntakeContext } from './intake-api';

export const SMS_WEBHOOK_PATH = '/twilio/sms';
const MESSAGE_SID = /^(SM|MM)[0-9a-f]{32}$/i;

function refuse(reply: FastifyReply, status: 400 | 403 | 501 | 503, title: string, detail: string): FastifyReply {
  return sendProblem(reply, { type: status === 400 ? problemTypes.validation : problemTypes.http, title, status, detail });
}

/**
 * Twilio's messaging webhook ("A message comes in" on the number): each SMS is kept on the sender's open SMS case, or
 * opens one. Signed like the voice webhooks, checked against the configured public URL; a request Twilio did not
 * sign is refused with 403 before anything is read or written. The answer is empty TwiML: no automatic reply.
 */
export function registerSmsWebhook(app: FastifyInstance, context: IntakeContext): void {
  app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
      done(null, parseWebhookForm(body as string));
    });

    scope.post(SMS_WEBHOOK_PATH, async (request, reply) => {
      const sms = context.deps.sms;
      if (!sms) return refuse(reply, 501, 'SMS intake is not configured', 'Configure Twilio on this API to take text messages.');
      const body = request.body;
      const params: WebhookParams = body && typeof body === 'object' && !Array.isArray(body) ? (body as WebhookParams) : {};
      const signature = request.headers['x-twilio-signature'];
      const signed = isSignedByTwilio({ authToken: sms.authToken, publicUrl: sms.publicUrl, pathAndQuery: request.raw.url ?? request.url, params, signature: typeof signature === 'string' ? signature : undefined });
      if (!signed) {
        request.log.warn({ channel: 'sms', signature: signature ? 'wrong' : 'missing' }, 'sms webhook refused');
        return refuse(reply, 403, 'Not signed by Twilio', 'This webhook accepts only requests Twilio signed for this API.');
      }
      const sid = param(params, 'MessageSid') ?? '';
      if (!MESSAGE_SID.test(sid)) return refuse(reply, 400, 'Missing webhook parameters', 'MessageSid is missing or is not a Twilio message SID.');
      const from = normalisePhoneNumber(param(params, 'From') ?? '');
      if (!from.ok) return refuse(reply, 400, 'The sender is not a phone number', 'From must be a phone number a reply can be sent to; messages from short codes and sender names are not taken.');
      const text = param(params, 'Body') ?? '';
      const media = Number.parseInt(param(params, 'NumMedia') ?? '0', 10) || 0;
      if (text.trim() === '' && media === 0) return refuse(reply, 400, 'The message is empty', 'Body has no text and the message has no pictures.');
      if (text.length > CASE_LIMITS.description) return refuse(reply, 400, 'The message is too long', `Body can be at most ${CASE_LIMITS.description.toLocaleString('en-GB')} characters.`);

      const teamId = await context.teamFor('sms');
      if (!teamId) return refuse(reply, 503, 'No team takes SMS contacts', 'Create a team, or set the intake team.');
      const words = text.trim() === '' ? `[A picture message: ${media} picture${media === 1 ? '' : 's'}, not kept]` : text;
      const outcome = await context.intake.receive(
        {
          channel: 'sms',
          address: from.e164,
          eventId: `sms:${sid}`,
          body: words,
          value: { direction: 'inbound', channel: 'sms', externalId: sid, ...(media > 0 ? { attachmentsNotKept: media } : {}) },
          at: new Date(context.clock.now()).toISOString(),
        },
        {
          continueOpenThread: true,
          create: async () => ({
            teamId,
            fields: { ...defaultCaseFields(context.deps.messageCaseType ?? 'question', 'sms'), description: words, contactPhone: from.e164 },
            caller: { phone: from.e164, name: null },
          }),
        },
      );
      request.log.info({ channel: 'sms', caseId: outcome.case.id, created: outcome.created, duplicate: !outcome.stored }, 'sms received');
      return reply.code(200).type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    });
  });
}
