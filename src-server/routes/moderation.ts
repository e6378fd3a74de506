import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { identifyingKindLabels, identifyingKinds, OVERRIDE_REASON_MIN } from '../../src-shared/moderation/identifying-details';
import { problemTypes, type Problem } from '../../src-shared/problem';
import { IdentifyingDetailsRemain, MODERATED_TEXT_LIMIT, type ModerationStore } from '../moderation/moderation-store';
import { sendProblem } from '../problem';
import { defineRoute, type RouteSpec } from './route-spec';

/** Who moderates: supervisors of the case's team. The roles are unchanged; a moderator role can come when one is needed. */
export const MODERATOR_ROLES = ['supervisor'] as const;

const caseParams = z.object({ id: z.string().min(1).max(128) }).strict();

const spanSchema = z.object({ kind: z.enum(identifyingKinds), start: z.number().int(), end: z.number().int(), text: z.string() });

const moderatedText = z
  .string({ error: 'Write the moderated description.' })
  .trim()
  .min(1, { error: 'Write the moderated description.' })
  .max(MODERATED_TEXT_LIMIT, { error: `A moderated description can be at most ${MODERATED_TEXT_LIMIT.toLocaleString('en-GB')} characters.` });

const overridesSchema = z
  .array(
    z
      .object({
        kind: z.enum(identifyingKinds),
        text: z.string().min(1).max(200),
        reason: z.string().trim().min(OVERRIDE_REASON_MIN, { error: `Say why this detail may be published, in at least ${OVERRIDE_REASON_MIN} characters.` }).max(500),
      })
      .strict(),
  )
  .max(50)
  .default([]);

const stateSchema = z.enum(['new', 'draft', 'awaiting-second', 'published', 'rejected']);

/** A refusal that lists each detail still in the text, where it is, and what to do about it. */
function detailsRemain(reply: FastifyReply, error: IdentifyingDetailsRemain): FastifyReply {
  const problem: Problem & { highlights: unknown } = {
    type: '/problems/identifying-details',
    title: 'The text still contains identifying details',
    status: 422,
    detail: `Remove ${error.spans.length === 1 ? 'this detail' : `these ${error.spans.length} details`}, or override each with the reason it may be published.`,
    errors: error.spans.map((span) => ({
      pointer: '#/body/text',
      code: `identifying-detail/${span.kind}`,
      message: `${identifyingKindLabels[span.kind]} “${span.text}” (characters ${span.start + 1} to ${span.end})`,
    })),
    highlights: error.spans,
  };
  return sendProblem(reply, problem);
}

/** The moderation queue and screen's API: read, draft, approve (one or two moderators), reject or withdraw, and publish a provider's response. */
export function moderationRoutes(deps: { moderation: ModerationStore }): RouteSpec[] {
  const { moderation } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/moderation/queue',
      summary: 'List publishable feedback to moderate',
      tag: 'moderation',
      access: MODERATOR_ROLES,
      query: z.object({ state: z.enum(['pending', 'published', 'rejected', 'all']).default('pending'), limit: z.coerce.number().int().min(1).max(500).default(100) }).strict(),
      response: z.object({
        items: z.array(
          z.object({
            caseId: z.string(),
            reference: z.string(),
            providerId: z.string().nullable(),
            category: z.string().nullable(),
            createdAt: z.string(),
            state: stateSchema,
            needsSecondModeration: z.boolean(),
            firstModeratorId: z.string().nullable(),
            firstModeratorName: z.string().nullable(),
            updatedAt: z.string().nullable(),
          }),
        ),
      }),
      handler: async ({ query, actor }) => ({ items: await moderation.queue(actor!, query) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/moderation/cases/:id',
      summary: 'Read a case for moderation, with its identifying details highlighted',
      tag: 'moderation',
      access: MODERATOR_ROLES,
      params: caseParams,
      response: z.object({ callerWords: z.string(), callerWordsHighlights: z.array(spanSchema), state: stateSchema, draft: z.string(), draftHighlights: z.array(spanSchema) }).loose(),
      refusals: { 404: 'No such case in your teams' },
      async handler({ params, actor, reply }) {
        const view = await moderation.view(actor!, params.id);
        return view ?? sendProblem(reply, { type: problemTypes.notFound, title: 'No such case in your teams', status: 404 });
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/moderation/cases/:id/draft',
      summary: 'Save a moderated description in progress',
      tag: 'moderation',
      access: MODERATOR_ROLES,
      params: caseParams,
      body: z.object({ text: z.string().max(MODERATED_TEXT_LIMIT, { error: `A moderated description can be at most ${MODERATED_TEXT_LIMIT.toLocaleString('en-GB')} characters.` }) }).strict(),
      response: z.object({ state: stateSchema, draftHighlights: z.array(spanSchema) }),
      refusals: { 404: 'No such case in your teams', 422: 'The case cannot be published (not feedback, no consent to publish, no provider or category)' },
      handler: ({ params, body, actor }) => moderation.saveDraft(actor!, params.id, body.text),
    }),
    defineRoute({
      method: 'POST',
      url: '/moderation/cases/:id/approve',
      summary: 'Approve a moderated description for publication',
      tag: 'moderation',
      access: MODERATOR_ROLES,
      params: caseParams,
      body: z.object({ text: moderatedText, overrides: overridesSchema }).strict(),
      response: z.object({ state: stateSchema, publicId: z.string().nullable() }),
      refusals: {
        403: 'The case needs a second moderator: another supervisor must approve it',
        404: 'No such case in your teams',
        422: 'The case cannot be published (not feedback, no consent to publish, no provider or category); the text is the caller’s own words; or identifying details remain (listed in errors and highlights)',
      },
      async handler({ params, body, actor, reply, request }) {
        try {
          const outcome = await moderation.approve(actor!, params.id, body);
          request.log.info({ caseId: params.id, state: outcome.state, overrides: body.overrides.length }, 'moderation approved');
          return outcome;
        } catch (error) {
          if (error instanceof IdentifyingDetailsRemain) return detailsRemain(reply, error);
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/moderation/cases/:id/reject',
      summary: 'Decline to publish a case, or withdraw it from the feed',
      tag: 'moderation',
      access: MODERATOR_ROLES,
      params: caseParams,
      body: z.object({ reason: z.string().trim().min(OVERRIDE_REASON_MIN, { error: 'Say why it is not published.' }).max(1000) }).strict(),
      response: z.object({ state: stateSchema, withdrawn: z.boolean() }),
      refusals: { 404: 'No such case in your teams', 422: 'The case cannot be published (not feedback, no consent to publish, no provider or category)' },
      handler: ({ params, body, actor }) => moderation.reject(actor!, params.id, body.reason),
    }),
    defineRoute({
      method: 'POST',
      url: '/moderation/cases/:id/response',
      summary: 'Publish the provider’s response beside published feedback',
      tag: 'moderation',
      access: MODERATOR_ROLES,
      params: caseParams,
      body: z.object({ text: moderatedText, overrides: overridesSchema }).strict(),
      response: z.object({ publicId: z.string() }),
      refusals: { 404: 'No such case in your teams', 422: 'The case cannot be published (not feedback, no consent to publish, no provider or category); the feedback is not published yet; or identifying details remain (listed in errors and highlights)' },
      async handler({ params, body, actor, reply }) {
        try {
          return await moderation.publishResponse(actor!, params.id, body);
        } catch (error) {
          if (error instanceof IdentifyingDetailsRemain) return detailsRemain(reply, error);
          throw error;
        }
      },
    }),
  ];
}
