import { z } from 'zod';
import { identifyingKinds, OVERRIDE_REASON_MIN } from '../moderation/identifying-details';

/**
 * The moderation screen and provider referrals as they cross the desktop contract. The central API decides every
 * outcome (who may moderate, what may be published); these schemas check the shape of what the renderer asks for and
 * of what the main process hands back.
 */

const caseId = z.string().min(1).max(128);
/** The longest moderated description (the API's limit; Open311 allows 4,000 characters). */
export const MODERATED_TEXT_MAX = 4_000;

export const moderationStates = ['new', 'draft', 'awaiting-second', 'published', 'rejected'] as const;
export type ModerationState = (typeof moderationStates)[number];
export const moderationQueueFilters = ['pending', 'published', 'rejected', 'all'] as const;
export type ModerationQueueFilter = (typeof moderationQueueFilters)[number];

export const identifyingSpanSchema = z.object({ kind: z.enum(identifyingKinds), start: z.number().int(), end: z.number().int(), text: z.string() });

export const moderationQueueItemSchema = z.object({
  caseId: z.string(),
  reference: z.string(),
  providerId: z.string().nullable(),
  /** From the desk's reference data; null when the desk does not know the provider. */
  providerName: z.string().nullable(),
  category: z.string().nullable(),
  createdAt: z.string(),
  state: z.enum(moderationStates),
  needsSecondModeration: z.boolean(),
  firstModeratorId: z.string().nullable(),
  firstModeratorName: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type ModerationQueueItem = z.infer<typeof moderationQueueItemSchema>;

const moderatorSchema = z.object({ id: z.string(), name: z.string(), at: z.string() }).nullable();
const overrideSchema = z.object({ kind: z.enum(identifyingKinds), text: z.string(), reason: z.string() });

export const moderationViewSchema = z.object({
  case: z.object({
    id: z.string(),
    reference: z.string(),
    type: z.string(),
    status: z.string(),
    category: z.string().nullable(),
    providerId: z.string().nullable(),
    department: z.string().nullable(),
    createdAt: z.string(),
    publishConsent: z.boolean(),
    needsSecondModeration: z.boolean(),
  }),
  providerName: z.string().nullable(),
  /** The caller's own words: shown to the moderator, never published. */
  callerWords: z.string(),
  callerWordsHighlights: z.array(identifyingSpanSchema),
  state: z.enum(moderationStates),
  draft: z.string(),
  draftHighlights: z.array(identifyingSpanSchema),
  approvedText: z.string().nullable(),
  overrides: z.array(overrideSchema),
  firstModerator: moderatorSchema,
  secondModerator: moderatorSchema,
  reason: z.string().nullable(),
  publication: z.object({ publicId: z.string(), publishedAt: z.string(), description: z.string(), response: z.string().nullable() }).nullable(),
  providerResponse: z.object({ text: z.string(), at: z.string(), highlights: z.array(identifyingSpanSchema) }).nullable(),
});
export type ModerationView = z.infer<typeof moderationViewSchema>;

export const moderationOverrideInputSchema = z
  .object({
    kind: z.enum(identifyingKinds),
    text: z.string().min(1).max(200),
    reason: z.string().trim().min(OVERRIDE_REASON_MIN, { error: `Say why this detail may be published, in at least ${OVERRIDE_REASON_MIN} characters.` }).max(500),
  })
  .strict();
export type ModerationOverrideInput = z.infer<typeof moderationOverrideInputSchema>;

export const moderationQueueInputSchema = z.object({ state: z.enum(moderationQueueFilters).default('pending') }).strict();
export const moderationCaseInputSchema = z.object({ caseId }).strict();
export const saveDraftInputSchema = z.object({ caseId, text: z.string().max(MODERATED_TEXT_MAX) }).strict();
export const approveInputSchema = z
  .object({ caseId, text: z.string().max(MODERATED_TEXT_MAX), overrides: z.array(moderationOverrideInputSchema).max(50).default([]) })
  .strict();
export const rejectInputSchema = z.object({ caseId, reason: z.string().trim().min(OVERRIDE_REASON_MIN, { error: 'Say why it is not published.' }).max(1000) }).strict();

/** One detail the API found still in a text it was asked to publish, with its own sentence about it. */
export const remainingDetailSchema = identifyingSpanSchema.extend({ message: z.string() });
export type RemainingDetail = z.infer<typeof remainingDetailSchema>;

/**
 * The answer to an approval: approved (published, or waiting for a second moderator), or refused because details
 * remain. The refusal is a value, not an error, because the screen turns each detail into a field of its form.
 */
export const approveOutcomeSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('approved'), state: z.enum(moderationStates), publicId: z.string().nullable() }),
  z.object({ outcome: z.literal('details-remain'), message: z.string(), details: z.array(remainingDetailSchema) }),
]);
export type ApproveOutcome = z.infer<typeof approveOutcomeSchema>;

export const saveDraftOutcomeSchema = z.object({ state: z.enum(moderationStates), draftHighlights: z.array(identifyingSpanSchema) });
export const rejectOutcomeSchema = z.object({ state: z.enum(moderationStates), withdrawn: z.boolean() });

export const referralModes = ['link', 'summary'] as const;
export type ReferralMode = (typeof referralModes)[number];

export const referralSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  providerId: z.string(),
  mode: z.enum(referralModes),
  sentAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  firstOpenedAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  addressedAt: z.string().nullable(),
});
export type Referral = z.infer<typeof referralSchema>;

export const sendReferralInputSchema = z
  .object({ caseId, mode: z.enum(referralModes).default('link'), summary: z.string().trim().min(1).max(MODERATED_TEXT_MAX).optional() })
  .strict();
export const revokeReferralInputSchema = z.object({ caseId, referralId: z.string().min(1).max(128) }).strict();
export const referralListSchema = z.object({ items: z.array(referralSchema) });
