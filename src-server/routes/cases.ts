import { z } from 'zod';
import { problemTypes } from '../../src-shared/problem';
import { sendProblem } from '../problem';
import type { CentralStore } from '../store/central-store';
import { defineRoute, type RouteSpec } from './route-spec';

const caseParams = z.object({ id: z.string().min(1).max(128) }).strict();

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
      handler: ({ params, body, actor }) => deps.store.reassignCase(actor!, params.id, body.ownerId),
    }),
  ];
}
