import { z } from 'zod';
import { roles } from '../api/people';
import { caseTypes, channels } from '../domain/case-types';
import { categories } from '../domain/categories';
import { caseStatuses, type CaseStatus } from '../domain/statuses';
import { caseFieldNames, caseFieldsSchema } from '../domain/case-record';
import { caseOpenedFromSchema } from '../sync/protocol';

export type { CaseOpenedFrom } from '../sync/protocol';

/**
 * The shapes of cases, callers and reference data as they cross the desktop contract. Field values are checked by
 * the domain rules in the core; these schemas check the shape of what the renderer asks for.
 */

const id = z.string().min(1).max(64);
const isoTime = z.string();
const caseStatusSchema = z.enum(caseStatuses as [CaseStatus, ...CaseStatus[]]);

export const callerSchema = z.object({
  id,
  phone: z.string().nullable(),
  name: z.string().nullable(),
  flags: z.array(z.string()),
  createdAt: isoTime,
});
export type Caller = z.infer<typeof callerSchema>;

export const callerFlagOptions = ['vulnerable', 'safeguarding', 'interpreter-needed', 'hearing-impaired', 'abusive-history'] as const;

export const caseSummarySchema = z.object({
  id,
  reference: z.string(),
  type: z.enum(caseTypes),
  channel: z.enum(channels),
  status: caseStatusSchema,
  isOpen: z.boolean(),
  priority: z.enum(['normal', 'high']),
  category: z.enum(categories).nullable(),
  providerId: z.string().nullable(),
  providerName: z.string().nullable(),
  callerId: z.string().nullable(),
  callerName: z.string().nullable(),
  callerPhone: z.string().nullable(),
  /** The first words of what the caller said, for lists. */
  preview: z.string(),
  ownerId: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

/** Every kind of timeline event a desk keeps (the local cache's CHECK, migration 0140, lists the same). */
export const caseEventKinds = ['created', 'field', 'note', 'status', 'message', 'moderation', 'provider', 'call'] as const;
export type CaseEventKind = (typeof caseEventKinds)[number];

export const caseEventSchema = z.object({
  id,
  caseId: id,
  /**
   * The desk's own kinds, and the central API's: 'message' (a patient's message or a handler's reply; `newValue` is
   * its direction, channel and so on, `body` its text), 'moderation' and 'provider' steps, and 'call' (a phone call's
   * times and outcome). Their `newValue` is the server's event value as sent.
   */
  kind: z.enum(caseEventKinds),
  field: z.string().nullable(),
  oldValue: z.unknown(),
  newValue: z.unknown(),
  body: z.string().nullable(),
  authorId: z.string(),
  authorName: z.string(),
  at: isoTime,
});
export type CaseEvent = z.infer<typeof caseEventSchema>;

export const fieldIssueSchema = z.object({ path: z.string(), message: z.string() });

export const providerSchema = z.object({
  id,
  odsCode: z.string(),
  name: z.string(),
  kind: z.string(),
  departments: z.array(z.string()),
});
export type Provider = z.infer<typeof providerSchema>;

/** An edit of this case that lost to someone else's, or that the central service refused, kept so nothing typed is lost. */
export const caseConflictSchema = z.object({
  id,
  field: z.string(),
  kind: z.enum(['stale-edit', 'refused']),
  losingValue: z.unknown(),
  losingByName: z.string().nullable(),
  losingAt: isoTime,
  winningValue: z.unknown(),
  winningByName: z.string().nullable(),
  winningAt: isoTime.nullable(),
  reason: z.string(),
});
export type CaseConflict = z.infer<typeof caseConflictSchema>;

export const caseDetailSchema = z.object({
  id,
  reference: z.string(),
  status: caseStatusSchema,
  isOpen: z.boolean(),
  fields: caseFieldsSchema,
  ownerId: z.string(),
  createdBy: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
  closedAt: isoTime.nullable(),
  version: z.number().int(),
  caller: callerSchema.nullable(),
  /** The chosen provider with its departments, for the form. */
  provider: providerSchema.nullable(),
  timeline: z.array(caseEventSchema),
  /** Statuses the handler may move this case to now. */
  allowedStatuses: z.array(caseStatusSchema),
  /** What must still be filled in before the case can be closed. */
  missing: z.array(fieldIssueSchema),
  /** Edits that lost to someone else's while this desk was offline, newest first. */
  conflicts: z.array(caseConflictSchema),
  /**
   * What the callers and providers that the timeline and the conflicts name by id are called, by id: a caller by
   * name, else by number; one this desk does not hold is absent and reads as such.
   */
  names: z.record(z.string(), z.string()),
});
export type CaseDetail = z.infer<typeof caseDetailSchema>;


export const referenceDataSchema = z.object({
  categories: z.array(z.object({ id: z.enum(categories), label: z.string(), highPriorityAllowed: z.boolean() })),
  dispositions: z.array(z.object({ id, label: z.string(), resolves: z.boolean() })),
  queues: z.array(z.object({ id, name: z.string(), caseType: z.string().nullable() })),
  providerCount: z.number().int(),
  /** The people of the signed-in handler's teams, as the central API sends them (for reassigning, and names). */
  users: z.array(z.object({ id: z.string(), name: z.string(), role: z.enum(roles), active: z.boolean() })),
});
export type ReferenceData = z.infer<typeof referenceDataSchema>;

export const caseListFiltersSchema = z
  .object({
    status: z.union([z.enum(['open', 'closed']), caseStatusSchema]).optional(),
    type: z.enum(caseTypes).optional(),
    mine: z.boolean().optional(),
    providerId: id.optional(),
    /** Inclusive ISO dates (YYYY-MM-DD) on the case's creation day. */
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
    limit: z.number().int().min(1).max(200).default(50),
    /** Opaque cursor from the previous page. */
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type CaseListFilters = z.input<typeof caseListFiltersSchema>;

export const caseListPageSchema = z.object({ items: z.array(caseSummarySchema), nextCursor: z.string().nullable() });
export type CaseListPage = z.infer<typeof caseListPageSchema>;

export const searchHitSchema = caseSummarySchema.extend({ snippet: z.string() });
export const searchResultSchema = z.object({
  items: z.array(searchHitSchema),
  /** How the query was read: a reference, a phone number or words. */
  matchedBy: z.enum(['reference', 'phone', 'text', 'none']),
  /** True when a very common word matched more cases than were ranked; the newest matches were ranked. */
  capped: z.boolean(),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

export const callerLookupSchema = z.object({
  phone: z.string(),
  caller: callerSchema.nullable(),
  openCases: z.array(caseSummarySchema),
  recentCases: z.array(caseSummarySchema),
});
export type CallerLookup = z.infer<typeof callerLookupSchema>;

export const createCaseInputSchema = z
  .object({
    type: z.enum(caseTypes),
    channel: z.enum(channels),
    callerId: id.nullable().optional(),
  })
  .strict();

export const updateFieldInputSchema = z
  .object({
    caseId: id,
    field: z.enum(caseFieldNames as unknown as [string, ...string[]]),
    value: z.unknown(),
  })
  .strict();

export const fieldSavedSchema = z.object({
  caseId: id,
  field: z.string(),
  value: z.unknown(),
  version: z.number().int(),
  updatedAt: isoTime,
  /** False when the value was already stored, so nothing was written. */
  changed: z.boolean(),
  missing: z.array(fieldIssueSchema),
});
export type FieldSaved = z.infer<typeof fieldSavedSchema>;

export const addNoteInputSchema = z.object({ caseId: id, text: z.string().max(20_000) }).strict();
export const changeStatusInputSchema = z.object({ caseId: id, status: caseStatusSchema }).strict();
export const caseIdInputSchema = z.object({ caseId: id }).strict();
/** A case to show the handler, and where they opened it from (the reason the central audit log records). */
export const openCaseInputSchema = z.object({ caseId: id, from: caseOpenedFromSchema }).strict();
export const searchInputSchema = z.object({ query: z.string().max(500), limit: z.number().int().min(1).max(100).default(25) }).strict();
export const callerLookupInputSchema = z.object({ phone: z.string().max(40) }).strict();
export const saveCallerInputSchema = z
  .object({
    callerId: id.optional(),
    phone: z.string().max(40).nullable(),
    name: z.string().max(200).nullable(),
    flags: z.array(z.enum(callerFlagOptions)).max(callerFlagOptions.length),
  })
  .strict();
export const providerSearchInputSchema = z.object({ query: z.string().max(100), limit: z.number().int().min(1).max(50).default(10) }).strict();
