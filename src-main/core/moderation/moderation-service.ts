import { z } from 'zod';
import {
  approveOutcomeSchema,
  moderationQueueItemSchema,
  moderationViewSchema,
  referralListSchema,
  referralSchema,
  rejectOutcomeSchema,
  saveDraftOutcomeSchema,
  type ApproveOutcome,
  type ModerationOverrideInput,
  type ModerationQueueFilter,
  type ModerationQueueItem,
  type ModerationView,
  type Referral,
  type ReferralMode,
} from '../../../src-shared/contract/moderation';
import { identifyingKindLabels } from '../../../src-shared/moderation/identifying-details';
import { problemSchema } from '../../../src-shared/problem';
import { createAuthorisedRequest } from '../api/authorised-request';
import { RefusedError } from '../errors';

/** The problem type the central API refuses an approval with while identifying details remain in the text. */
export const IDENTIFYING_DETAILS_PROBLEM = '/problems/identifying-details';

const detailsProblemSchema = problemSchema.extend({
  highlights: z.array(z.object({ kind: z.string(), start: z.number(), end: z.number(), text: z.string() })),
});

/**
 * The API's refusal to approve a text that still holds identifying details, read as an answer: the screen turns each
 * detail into a field of its form (remove it, or say why it may stay), so it must arrive whole, not as an error
 * sentence. Every other answer passes through untouched, refusals included.
 */
function readDetailsRefusalAsAnswer(fetchImpl: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    if (response.status !== 422 || !response.headers.get('content-type')?.includes('problem+json')) return response;
    const parsed = detailsProblemSchema.safeParse(await response.clone().json().catch(() => null));
    if (!parsed.success || parsed.data.type !== IDENTIFYING_DETAILS_PROBLEM) return response;
    const problem = parsed.data;
    const details = problem.highlights.map((span, index) => ({
      ...span,
      message: problem.errors?.[index]?.message ?? `${identifyingKindLabels[span.kind as keyof typeof identifyingKindLabels] ?? 'Detail'} “${span.text}”`,
    }));
    const answer = { outcome: 'details-remain', message: [problem.title, problem.detail].filter(Boolean).join('. '), details };
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
  };
}

const queueSchema = z.object({ items: z.array(moderationQueueItemSchema.omit({ providerName: true })) });
const approvedSchema = z.object({ state: z.string(), publicId: z.string().nullable() });
const responsePublishedSchema = z.object({ publicId: z.string() });

/**
 * The moderation screen's and the provider referral's calls to the central API, made on the signed-in supervisor's
 * (or handler's) behalf. The API decides everything: who moderates which case, what is still identifying, when a
 * second moderator is needed. The desk adds only what it knows locally (provider names) and turns the API's refusals
 * into sentences, or, for details that remain, into a value the form can show detail by detail.
 */
export function createModerationService(deps: {
  baseUrl: string;
  fetch: typeof fetch;
  getAccessToken: () => Promise<string>;
  onUnauthorised?: () => void;
  /** The provider's name from the desk's reference data. */
  providerName: (providerId: string) => string | null;
  timeoutMs?: number;
}) {
  const request = createAuthorisedRequest({ ...deps, fetch: readDetailsRefusalAsAnswer(deps.fetch) });
  const moderationCase = (caseId: string) => `/moderation/cases/${encodeURIComponent(caseId)}`;
  const referrals = (caseId: string) => `/cases/${encodeURIComponent(caseId)}/provider-referrals`;
  const nameOf = (providerId: string | null) => (providerId ? deps.providerName(providerId) : null);
  const approvedOrDetails = z.union([approveOutcomeSchema, approvedSchema]);

  /** An approval's answer: the API's outcome, or the details it found (see readDetailsRefusalAsAnswer). */
  function asOutcome(answer: z.infer<typeof approvedOrDetails>): ApproveOutcome {
    if ('outcome' in answer) return answer;
    return approveOutcomeSchema.parse({ outcome: 'approved', state: answer.state, publicId: answer.publicId });
  }

  return {
    async queue(state: ModerationQueueFilter): Promise<{ items: ModerationQueueItem[] }> {
      const answer = await request('GET', `/moderation/queue?${new URLSearchParams({ state })}`, undefined, queueSchema);
      return { items: answer.items.map((item) => ({ ...item, providerName: nameOf(item.providerId) })) };
    },

    /** One case for moderation. The central API records the read in its audit log. */
    async get(caseId: string): Promise<ModerationView> {
      const view = await request('GET', moderationCase(caseId), undefined, moderationViewSchema.omit({ providerName: true }));
      return { ...view, providerName: nameOf(view.case.providerId) };
    },

    saveDraft: (caseId: string, text: string) => request('PUT', `${moderationCase(caseId)}/draft`, { text }, saveDraftOutcomeSchema),

    async approve(caseId: string, text: string, overrides: ModerationOverrideInput[]): Promise<ApproveOutcome> {
      return asOutcome(await request('POST', `${moderationCase(caseId)}/approve`, { text, overrides }, approvedOrDetails));
    },

    reject: (caseId: string, reason: string) => request('POST', `${moderationCase(caseId)}/reject`, { reason }, rejectOutcomeSchema),

    /** Publishes the provider's response beside the published feedback, after the same check for identifying details. */
    async publishResponse(caseId: string, text: string, overrides: ModerationOverrideInput[]): Promise<ApproveOutcome> {
      const answer = await request('POST', `${moderationCase(caseId)}/response`, { text, overrides }, z.union([approveOutcomeSchema, responsePublishedSchema]));
      return 'outcome' in answer ? answer : { outcome: 'approved', state: 'published', publicId: answer.publicId };
    },

    /**
     * Emails the case to its provider. A case logged on this desk reaches the central API with the next sync; until
     * then the API does not know it, and the handler is told to wait for the sync rather than that it does not exist.
     */
    async sendToProvider(caseId: string, mode: ReferralMode, summary?: string): Promise<Referral> {
      try {
        return await request('POST', referrals(caseId), { mode, ...(summary ? { summary } : {}) }, referralSchema);
      } catch (error) {
        if (error instanceof RefusedError && error.code === 'not-found') {
          throw new RefusedError('not-found', 'The central service does not have this case yet. It is sent with the next sync; try again once the desk shows it is synced.');
        }
        throw error;
      }
    },

    async referrals(caseId: string): Promise<{ items: Referral[] }> {
      try {
        return await request('GET', referrals(caseId), undefined, referralListSchema);
      } catch (error) {
        // Not synced yet: it has not been sent anywhere.
        if (error instanceof RefusedError && error.code === 'not-found') return { items: [] };
        throw error;
      }
    },

    revokeReferral: (caseId: string, referralId: string) => request('POST', `${referrals(caseId)}/${encodeURIComponent(referralId)}/revoke`, {}, referralSchema),
  };
}

export type ModerationService = ReturnType<typeof createModerationService>;
