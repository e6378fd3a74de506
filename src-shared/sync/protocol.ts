import { z } from 'zod';
import { caseTypes, channels } from '../domain/case-types';
import { caseFieldNames } from '../domain/case-record';
import { caseStatuses, type CaseStatus } from '../domain/statuses';
import { callRecordSchema } from '../telephony/model';

/**
 * The sync protocol between a desktop and the central API, after Replicache's push and pull. Each desktop install is
 * a client with an id; each local change is a mutation with a strictly increasing id, sent from the outbox. The
 * server applies a mutation and records the client's last mutation id in one transaction, skips ids it already has
 * (so a replay is harmless) and refuses a gap.
 */

export const MAX_PUSH_MUTATIONS = 500;
export const MAX_PULL_CHANGES = 1000;

const id = z.string().min(1).max(128);
/**
 * A desktop's id for a timeline event. Ids that begin `m:` are the server's own, for events it names after their
 * change number; a desktop's id there could take one the server will need.
 */
const eventId = id.refine((value) => !value.startsWith('m:'), 'An event id may not begin with "m:": those are the server’s own ids.');
const at = z.iso.datetime();
const statusSchema = z.enum(caseStatuses as [CaseStatus, ...CaseStatus[]]);

/**
 * Where a handler opened a case on the desk from, and the reason the central audit log records for that read: a case
 * shown from the desk's own copy is audited as a read through the API is (who, which case, when, why). The desk sends
 * where; the server writes the words, so a desk cannot put words of its own in the audit log.
 */
export const caseOpenReasons = {
  'case-list': 'Opened from the case list or search',
  'caller-card': 'Opened from the caller’s card',
  call: 'Opened for a call',
  inbox: 'Opened from the inbox',
  restored: 'Shown again when the desk reopened',
} as const;
export type CaseOpenedFrom = keyof typeof caseOpenReasons;
export const caseOpenedFromSchema = z.enum(Object.keys(caseOpenReasons) as [CaseOpenedFrom, ...CaseOpenedFrom[]]);

/**
 * Where the desk showed cases in a list, each row a preview of the case (its reference, its caller, the first words
 * of what they said), and the reason the central audit log records for each case in it: a preview is a read too.
 */
export const caseShownReasons = {
  'case-list': 'Shown in the case list',
  search: 'Shown in search results',
  'caller-card': 'Shown on the caller’s card',
  inbox: 'Shown in the inbox',
} as const;
export type CaseShownIn = keyof typeof caseShownReasons;
export const caseShownInSchema = z.enum(Object.keys(caseShownReasons) as [CaseShownIn, ...CaseShownIn[]]);
/** The most cases one `cases.listed` report names: the longest list the desk shows at once. */
export const MAX_LISTED_CASES = 200;

export const mutationSchema = z.discriminatedUnion('name', [
  z.object({
    id: z.number().int().positive(),
    name: z.literal('case.create'),
    args: z.object({
      caseId: id,
      reference: z.string().max(20),
      type: z.enum(caseTypes),
      channel: z.enum(channels),
      callerId: id.nullable(),
      at,
      /** The desktop's id for the timeline event of this change, so the echo from pull is recognised. */
      eventId: eventId.optional(),
    }),
  }),
  z.object({
    id: z.number().int().positive(),
    name: z.literal('case.updateField'),
    args: z.object({
      caseId: id,
      field: z.enum(caseFieldNames as unknown as [string, ...string[]]),
      value: z.unknown(),
      at,
      /** The server change number of this field the desktop had seen when the edit was made; null if never synced. */
      baseSeq: z.number().int().nonnegative().nullable().optional(),
      eventId: eventId.optional(),
    }),
  }),
  z.object({
    id: z.number().int().positive(),
    name: z.literal('case.appendNote'),
    args: z.object({ caseId: id, noteId: eventId, text: z.string().max(10_000), at }),
  }),
  z.object({
    id: z.number().int().positive(),
    /** A finished phone call's times and outcome, recorded on the case it was linked to. */
    name: z.literal('case.recordCall'),
    args: z.object({ caseId: id, eventId, call: callRecordSchema, at }),
  }),
  z.object({
    id: z.number().int().positive(),
    name: z.literal('case.changeStatus'),
    args: z.object({ caseId: id, from: statusSchema, to: statusSchema, at, eventId: eventId.optional() }),
  }),
  z.object({
    id: z.number().int().positive(),
    /**
     * The handler opened the case on the desk, from its own synced copy: the server writes the audit row the API
     * writes for its own reads (who, which case, when, why). Changes nothing else; nothing is pulled back.
     */
    name: z.literal('case.viewed'),
    args: z.object({ caseId: id, from: caseOpenedFromSchema, at }),
  }),
  z.object({
    id: z.number().int().positive(),
    /**
     * The desk showed these cases' previews in a list, from its own synced copy: the server writes an audit row for
     * each case it holds, as `case.viewed` does for one case opened. Changes nothing else; nothing is pulled back.
     */
    name: z.literal('cases.listed'),
    args: z.object({
      caseIds: z
        .array(id)
        .min(1)
        .max(MAX_LISTED_CASES)
        .refine((ids) => new Set(ids).size === ids.length, 'A case is named once in a report.'),
      shownIn: caseShownInSchema,
      at,
    }),
  }),
  z.object({
    id: z.number().int().positive(),
    name: z.literal('caller.upsert'),
    args: z.object({ callerId: id, phone: z.string().max(20).nullable(), name: z.string().max(200).nullable(), flags: z.array(z.string().max(40)).max(10), at }),
  }),
]);
export type Mutation = z.infer<typeof mutationSchema>;

/**
 * The most cases a push's `cases.listed` reports name between them (the server reads each case they name, as it
 * reads the cases a push changes). A desk ends a push's batch before a report that would pass it.
 */
export const MAX_PUSH_LISTED_CASES = 1_000;

/** How many cases a mutation names in its `cases.listed` report: 0 for any other mutation. */
export function listedCaseCount(mutation: { name: string; args: unknown }): number {
  if (mutation.name !== 'cases.listed') return 0;
  const ids = (mutation.args as { caseIds?: unknown } | null)?.caseIds;
  return Array.isArray(ids) ? ids.length : 0;
}

export const pushRequestSchema = z
  .object({ clientId: z.uuid(), mutations: z.array(mutationSchema).min(1).max(MAX_PUSH_MUTATIONS) })
  .strict()
  .refine((push) => push.mutations.reduce((sum, mutation) => sum + listedCaseCount(mutation), 0) <= MAX_PUSH_LISTED_CASES, {
    message: `The reports of cases shown in lists name more than ${MAX_PUSH_LISTED_CASES} cases between them: send fewer in one push.`,
    path: ['mutations'],
  });
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const pushResponseSchema = z.object({
  lastMutationId: z.number().int().nonnegative(),
  applied: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  /** Mutations applied but whose edit lost to a newer one on the server; kept in the conflict log. */
  conflicts: z.number().int().nonnegative(),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;

export const pullRequestSchema = z
  .object({
    clientId: z.uuid(),
    cursor: z.number().int().nonnegative(),
    limit: z.number().int().min(1).max(MAX_PULL_CHANGES).default(MAX_PULL_CHANGES),
  })
  .strict();
export type PullRequest = z.input<typeof pullRequestSchema>;

export const changeEntities = ['case', 'caseEvent', 'caller', 'callerAlias', 'conflict', 'provider', 'category', 'queue', 'disposition', 'user'] as const;
export type ChangeEntity = (typeof changeEntities)[number];

export const changeSchema = z.object({
  seq: z.number().int().positive(),
  entity: z.enum(changeEntities),
  entityId: z.string(),
  data: z.unknown(),
  at,
});
export type Change = z.infer<typeof changeSchema>;

export const pullResponseSchema = z.object({
  changes: z.array(changeSchema),
  /** Pass this back as `cursor` next time. */
  cursor: z.number().int().nonnegative(),
  /** The newest of this client's mutations the server has applied; outbox entries up to it can be dropped. */
  lastMutationId: z.number().int().nonnegative(),
  hasMore: z.boolean(),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;
