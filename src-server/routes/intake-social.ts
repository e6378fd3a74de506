import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { defaultCaseFields } from '../../src-shared/domain/case-record';
import { problemTypes } from '../../src-shared/problem';
import { isSignedBody, SOCIAL_SIGNATURE_HEADER, socialInboundSchema } from '../intake/social-inbound';
import { sendProblem } from '../problem';
import { intakeReceiptSchema } from './intake-email';
import type { IntakeContext } from './intake-api';
import type { OperationSpec } from './route-spec';

export const SOCIAL_WEBHOOK_PATH = '/intake/social';

/** What the OpenAPI description says of the social webhook: the body is checked with `socialInboundSchema` once its signature is. */
export const socialWebhookOperation: OperationSpec = {
  method: 'POST',
  url: SOCIAL_WEBHOOK_PATH,
  summary: `Receive a social media post or message (signed: ${SOCIAL_SIGNATURE_HEADER} is sha256= and the HMAC-SHA256 of the body with the intake social secret)`,
  tag: 'intake',
  access: 'public',
  body: socialInboundSchema,
  response: intakeReceiptSchema,
  refusals: {
    403: 'The signature is missing or wrong',
    501: 'Social intake is not configured',
    503: 'No team takes social media contacts',
  },
};

/**
 * Public posts and direct messages from social networks (see social-inbound.ts for the shape and the signature).
 * The body is read raw, so the signature is checked over the bytes that were signed, before anything else; then a
 * message from an account continues that account's open social case on the same network, or opens one.
 */
export function registerSocialWebhook(app: FastifyInstance, context: IntakeContext): void {
  app.register(async (scope) => {
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 256 * 1024 }, (_request, body, done) => done(null, body));

    scope.post(SOCIAL_WEBHOOK_PATH, async (request, reply) => {
      const secret = context.deps.socialSecret;
      if (!secret) return sendProblem(reply, { type: problemTypes.http, title: 'Social intake is not configured', status: 501, detail: 'Set INTAKE_SOCIAL_SECRET on this API to take social media messages.' });
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const signature = request.headers[SOCIAL_SIGNATURE_HEADER];
      if (!isSignedBody(raw, typeof signature === 'string' ? signature : undefined, secret)) {
        request.log.warn({ channel: 'social', signature: signature ? 'wrong' : 'missing' }, 'social webhook refused');
        return sendProblem(reply, { type: problemTypes.http, title: 'Not signed', status: 403, detail: `This webhook needs ${SOCIAL_SIGNATURE_HEADER}: sha256= and the HMAC-SHA256 of the body with the intake social secret.` });
      }
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        return sendProblem(reply, { type: problemTypes.validation, title: 'The request body is not valid JSON', status: 400, detail: 'The body could not be read as JSON.' });
      }
      const parsed = socialInboundSchema.safeParse(json);
      if (!parsed.success) {
        return sendProblem(reply, {
          type: problemTypes.validation,
          title: 'The message is not valid',
          status: 400,
          detail: parsed.error.issues.map((issue) => issue.message).join(' '),
          errors: parsed.error.issues.map((issue) => ({ pointer: `#/body${issue.path.length ? '/' : ''}${issue.path.join('/')}`, code: issue.code, message: issue.message })),
        });
      }
      const post = parsed.data;
      const teamId = await context.teamFor('social');
      if (!teamId) return sendProblem(reply, { type: problemTypes.http, title: 'No team takes social media contacts', status: 503, detail: 'Create a team, or set the intake team.' });
      const outcome = await context.intake.receive(
        {
          channel: 'social',
          address: `${post.platform}:${post.author.id}`,
          eventId: `social:${createHash('sha256').update(`${post.platform}\u0000${post.id}`).digest('hex').slice(0, 32)}`,
          body: post.text,
          value: { direction: 'inbound', channel: 'social', externalId: post.id, socialKind: post.kind, platform: post.platform, ...(post.url ? { url: post.url } : {}) },
          at: post.at ? new Date(post.at).toISOString() : new Date(context.clock.now()).toISOString(),
        },
        {
          continueOpenThread: true,
          create: async () => ({
            teamId,
            fields: { ...defaultCaseFields(context.deps.messageCaseType ?? 'question', 'social'), description: post.text },
            ...(post.author.name || post.author.handle ? { caller: { phone: null, name: (post.author.name || post.author.handle)! } } : {}),
          }),
        },
      );
      request.log.info({ channel: 'social', caseId: outcome.case.id, created: outcome.created, duplicate: !outcome.stored }, 'social message received');
      return reply.code(200).send({ caseId: outcome.case.id, reference: outcome.case.reference, created: outcome.created, duplicate: !outcome.stored });
    });
  });
}
