import { pullRequestSchema, pullResponseSchema, pushRequestSchema, pushResponseSchema } from '../../src-shared/sync/protocol';
import type { CentralStore } from '../store/central-store';
import { defineRoute, type RouteSpec } from './route-spec';

/** Push and pull (see DESIGN.md, "Sync"). */
export function syncRoutes(deps: { store: CentralStore }): RouteSpec[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/sync/push',
      summary: 'Push a batch of local changes',
      tag: 'sync',
      access: ['handler', 'supervisor'],
      body: pushRequestSchema,
      response: pushResponseSchema,
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
      handler: ({ body, actor }) => deps.store.pull(actor!, body.clientId, body.cursor, body.limit),
    }),
  ];
}
