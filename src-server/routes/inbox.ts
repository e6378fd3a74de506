import { z } from 'zod';
import { problemTypes } from '../../src-shared/problem';
import { createClaimStore } from '../inbox/claim-store';
import { sendProblem } from '../problem';
import { StoreRefusal, type CentralStore } from '../store/central-store';
import { defineRoute, type RouteSpec } from './route-spec';

/** The shared inbox's one write on the server: a handler claims a contact nobody has yet. */
export function inboxRoutes(deps: { store: CentralStore; clock: { now(): number } }): RouteSpec[] {
  const claims = createClaimStore(deps.store, deps.clock);
  return [
    defineRoute({
      method: 'POST',
      url: '/cases/:id/claim',
      summary: 'Claim an unclaimed contact from the shared inbox',
      tag: 'cases',
      access: ['handler', 'supervisor'],
      params: z.object({ id: z.string().min(1).max(128) }).strict(),
      response: z.object({ id: z.string(), reference: z.string(), ownerId: z.string() }),
      refusals: { 404: 'No such contact in your teams', 409: 'The contact is closed, or someone else has taken it' },
      async handler({ params, actor, reply }) {
        try {
          const claimed = await claims.claim(actor!, params.id);
          return { id: claimed.id, reference: claimed.reference, ownerId: claimed.ownerId };
        } catch (error) {
          // Answered here rather than by the route's default: that one reads a 409 as a sync gap.
          if (error instanceof StoreRefusal) {
            return sendProblem(reply, { type: error.status === 404 ? problemTypes.notFound : problemTypes.http, title: error.message, status: error.status });
          }
          throw error;
        }
      },
    }),
  ];
}
