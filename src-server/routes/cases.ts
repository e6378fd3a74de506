import { z } from 'zod';
import { caseFieldNames, caseFieldsSchema } from '../../src-shared/domain/case-record';
import { caseStatuses, type CaseStatus } from '../../src-shared/domain/statuses';
import { problemTypes } from '../../src-shared/problem';
import { sendProblem } from '../problem';
import type { CentralStore, ConflictRecord, ServerCase, ServerCaseEvent } from '../store/central-store';
import { defineRoute, type RouteSpec } from './route-spec';

const caseParams = z.object({ id: z.string().min(1).max(128) }).strict();

const fieldSeqSchema = z.object({ seq: z.number().int(), by: z.string(), byName: z.string(), at: z.string() });

/** A case as the central API holds it and answers with (the store's `ServerCase`). */
export const serverCaseSchema = z.object({
  id: z.string(),
  reference: z.string(),
  teamId: z.string(),
  ownerId: z.string(),
  createdBy: z.string(),
  status: z.enum(caseStatuses as [CaseStatus, ...CaseStatus[]]),
  fields: caseFieldsSchema,
  /** Which change last set each field, for telling a stale edit from a fresh one. */
  fieldSeqs: z.partialRecord(z.enum([...caseFieldNames, 'status']), fieldSeqSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
  version: z.number().int(),
});

/** One event on a case's timeline (the store's `ServerCaseEvent`). */
export const serverCaseEventSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  kind: z.string(),
  field: z.string().nullable(),
  value: z.unknown(),
  body: z.string().nullable(),
  authorId: z.string(),
  authorName: z.string(),
  at: z.string(),
  seq: z.number().int(),
});

/** An edit that lost to a newer one, or that was refused (the store's `ConflictRecord`). */
const conflictSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  field: z.string(),
  kind: z.enum(['stale-edit', 'refused']),
  losingValue: z.unknown(),
  losingBy: z.string(),
  losingByName: z.string(),
  losingAt: z.string(),
  winningValue: z.unknown(),
  winningBy: z.string().nullable(),
  winningByName: z.string().nullable(),
  winningAt: z.string().nullable(),
  reason: z.string(),
  seq: z.number().int(),
});

/** Fails to compile when a schema above and the store's type stop describing the same shape. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
export type _SchemasMatchTheStore = [
  Holds<Same<z.output<typeof serverCaseSchema>, ServerCase>>,
  Holds<Same<z.output<typeof serverCaseEventSchema>, ServerCaseEvent>>,
  Holds<Same<z.output<typeof conflictSchema>, ConflictRecord>>,
];

/** Reading cases (every read is audited), and a supervisor's reassignment. */
export function caseRoutes(deps: { store: CentralStore }): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/cases',
      summary: 'List cases of my teams',
      tag: 'cases',
      access: ['handler', 'supervisor'],
      query: z
        .object({
          status: z.enum(['open', 'closed']).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          reason: z.string().trim().min(1).max(200).default('Listed the cases'),
        })
        .strict(),
      response: z.object({ items: z.array(serverCaseSchema) }),
      handler: async ({ query, actor }) => ({ items: await deps.store.listCases(actor!, query) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/cases/:id',
      summary: 'Read a case with its timeline and conflicts',
      tag: 'cases',
      access: ['handler', 'supervisor'],
      params: caseParams,
      query: z.object({ reason: z.string().trim().min(1).max(200).default('Viewed the case') }).strict(),
      response: z.object({ case: serverCaseSchema, events: z.array(serverCaseEventSchema), conflicts: z.array(conflictSchema) }),
      refusals: { 404: 'No such case in your teams' },
      async handler({ params, query, actor, reply }) {
        const found = await deps.store.readCase(actor!, params.id, query.reason);
        return found ?? sendProblem(reply, { type: problemTypes.notFound, title: 'No such case in your teams', status: 404 });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/cases/:id/reassign',
      summary: 'Reassign a case to another handler',
      tag: 'cases',
      access: ['supervisor'],
      params: caseParams,
      body: z.object({ ownerId: z.string().min(1).max(128) }).strict(),
      response: serverCaseSchema,
      refusals: { 404: 'No such case in your teams', 422: 'The new owner is not in the case’s team' },
      handler: ({ params, body, actor }) => deps.store.reassignCase(actor!, params.id, body.ownerId),
    }),
  ];
}
