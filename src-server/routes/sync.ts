import { pullRequestSchema, pullResponseSchema, pushRequestSchema, pushResponseSchema } from '../../src-shared/sync/protocol';
import type { CentralStore } from '../store/central-store';
import { defineRoute, type RouteSpec } from './route-spec';

/** Push and pull (see DESIGN.md, "Sync"). */
export function syncRoutes(deps: { store: CentralStore }): RouteSpec[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/sync/push',
      summary: 'Push a batch of local changes, and the desk’s reports of cases it showed from its own copy (for the audit log)',
      tag: 'sync',
      access: ['handler', 'supervisor'],
      body: pushRequestSchema,
      response: pushResponseSchema,
      refusals: {
        403: 'The desktop client is registered to another user, or a change is to a case or caller of another team',
        409: 'A mutation arrived out of order (a sync gap: send from the id the problem names), or changes a case not yet created',
      },
      handler: ({ body, actor }) => deps.store.push(actor!, body.clientId, body.mutations),
    }),
    defineRoute({
      method: 'POST',
      url: '/sync/pull',
      summary: 'Pull the changes after a cursor',
      tag: 'sync',
      access: ['handler', 'supervisor', 'admin'],
      body: pullRequestSchema,
      response: pullResponseSchema,
      refusals: { 403: 'The desktop client is registered to another user' },
      // The page is sent as the store writes it (pullJson: the stored JSON of each change spliced in), in the shape
      // of pullResponseSchema; a test checks that it parses to the same answer as the store's pull.
      handler: async ({ body, actor, reply }) => reply.type('application/json; charset=utf-8').send(await deps.store.pullJson(actor!, body.clientId, body.cursor, body.limit)),
    }),
  ];
}
