import { z } from 'zod';
import { caseTypes, channels } from '../domain/case-types';
import { caseStatuses, type CaseStatus } from '../domain/statuses';
import { serviceTargetsSchema } from '../inbox/service-targets';

/** The shared inbox's requests: what the screen filters by, and what each row shows. */

const id = z.string().min(1).max(64);
const openStatusSchema = z.enum(['open', 'in-progress', 'escalated', 'referred-to-ombudsman']);

export const inboxAges = ['any', 'over-1h', 'over-4h', 'over-24h', 'overdue'] as const;
export type InboxAge = (typeof inboxAges)[number];

export const inboxFiltersSchema = z
  .object({
    channel: z.enum(channels).optional(),
    /** The queue, as the case type it takes (general enquiries are their own type and queue). */
    type: z.enum(caseTypes).optional(),
    status: openStatusSchema.optional(),
    age: z.enum(inboxAges).default('any'),
    /** Everyone's, only the unclaimed ones, or only mine. */
    owner: z.enum(['any', 'unclaimed', 'mine']).default('any'),
    limit: z.number().int().min(1).max(200).default(100),
  })
  .strict();
export type InboxFilters = z.input<typeof inboxFiltersSchema>;

export const inboxItemSchema = z.object({
  id,
  reference: z.string(),
  type: z.enum(caseTypes),
  channel: z.enum(channels),
  status: z.enum(caseStatuses as [CaseStatus, ...CaseStatus[]]),
  createdAt: z.string(),
  ownerId: z.string(),
  /** The owner's name; null while nobody has claimed it. */
  ownerName: z.string().nullable(),
  claimed: z.boolean(),
  /** The first words of the newest message, or of the case's description when it has no message. */
  preview: z.string(),
  lastMessageAt: z.string().nullable(),
  lastMessageDirection: z.enum(['inbound', 'outbound']).nullable(),
});
export type InboxItem = z.infer<typeof inboxItemSchema>;

export const inboxPageSchema = z.object({
  items: z.array(inboxItemSchema),
  /** How many contacts match the filters (the page shows the oldest `limit`), counted up to a cap. */
  total: z.number().int(),
  /** True when more than `total` match: the count stopped at its cap. */
  totalCapped: z.boolean(),
  targets: serviceTargetsSchema,
  /** The desk's clock when the page was read, so ages and due times agree with the query. */
  now: z.string(),
});
export type InboxPage = z.infer<typeof inboxPageSchema>;

export const claimInputSchema = z.object({ caseId: id }).strict();
export const claimedSchema = z.object({ caseId: id, ownerId: z.string() });
export const replyInputSchema = z.object({ caseId: id, body: z.string().max(20_000) }).strict();
export const resolveInputSchema = z.object({ caseId: id, dispositionId: z.string().min(1).max(128) }).strict();
