import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  apiCategorySchema,
  apiDispositionSchema,
  apiProviderSchema,
  apiQueueSchema,
  createDispositionRequestSchema,
  createProviderRequestSchema,
  createQueueRequestSchema,
  referenceDataResponseSchema,
  updateCategoryRequestSchema,
  updateDispositionRequestSchema,
  updateProviderRequestSchema,
  updateQueueRequestSchema,
} from '../../src-shared/api/reference';
import { problemTypes } from '../../src-shared/problem';
import { sendProblem } from '../problem';
import type { ReferenceOutcome, ReferenceStore } from '../store/reference-store';
import { defineRoute, type RouteSpec } from './route-spec';

const idParams = z.object({ id: z.string().min(1).max(128) }).strict();

/** The value, or the refusal as a problem document (404 no such row, 409 an id or code already taken). */
function answer<T>(reply: FastifyReply, outcome: ReferenceOutcome<T>) {
  if (outcome.ok) return outcome.value;
  return sendProblem(reply, {
    type: outcome.status === 404 ? problemTypes.notFound : problemTypes.validation,
    title: outcome.message,
    status: outcome.status,
  });
}

/**
 * Reference data: anyone signed in may read it (desks normally get it by pull); administrators manage it. Every
 * change an administrator makes reaches the desks by pull.
 */
export function referenceRoutes(deps: { reference: ReferenceStore }): RouteSpec[] {
  const admin = ['admin'] as const;
  const { reference } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/reference',
      summary: 'Read the reference data',
      tag: 'reference',
      access: ['handler', 'supervisor', 'admin'],
      response: referenceDataResponseSchema,
      handler: () => reference.readAll(),
    }),

    defineRoute({ method: 'GET', url: '/admin/providers', summary: 'List providers', tag: 'admin', access: admin, response: z.array(apiProviderSchema), handler: () => reference.listProviders() }),
    defineRoute({
      method: 'POST',
      url: '/admin/providers',
      summary: 'Add a provider',
      tag: 'admin',
      access: admin,
      body: createProviderRequestSchema,
      response: apiProviderSchema,
      status: 201,
      refusals: { 409: 'A provider with that id or code already exists' },
      handler: async ({ body, reply }) => answer(reply, await reference.createProvider(body)),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/admin/providers/:id',
      summary: 'Change a provider',
      tag: 'admin',
      access: admin,
      params: idParams,
      body: updateProviderRequestSchema,
      response: apiProviderSchema,
      refusals: { 404: 'No such provider', 409: 'Another provider has that code' },
      handler: async ({ params, body, reply }) => answer(reply, await reference.updateProvider(params.id, body)),
    }),

    defineRoute({ method: 'GET', url: '/admin/queues', summary: 'List queues', tag: 'admin', access: admin, response: z.array(apiQueueSchema), handler: () => reference.listQueues() }),
    defineRoute({
      method: 'POST',
      url: '/admin/queues',
      summary: 'Add a queue',
      tag: 'admin',
      access: admin,
      body: createQueueRequestSchema,
      response: apiQueueSchema,
      status: 201,
      refusals: { 409: 'A queue with that id already exists' },
      handler: async ({ body, reply }) => answer(reply, await reference.createQueue(body)),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/admin/queues/:id',
      summary: 'Change a queue',
      tag: 'admin',
      access: admin,
      params: idParams,
      body: updateQueueRequestSchema,
      response: apiQueueSchema,
      refusals: { 404: 'No such queue', 409: 'The queue changed at the same moment: try again' },
      handler: async ({ params, body, reply }) => answer(reply, await reference.updateQueue(params.id, body)),
    }),

    defineRoute({
      method: 'GET',
      url: '/admin/dispositions',
      summary: 'List wrap-up dispositions',
      tag: 'admin',
      access: admin,
      response: z.array(apiDispositionSchema),
      handler: () => reference.listDispositions(),
    }),
    defineRoute({
      method: 'POST',
      url: '/admin/dispositions',
      summary: 'Add a wrap-up disposition',
      tag: 'admin',
      access: admin,
      body: createDispositionRequestSchema,
      response: apiDispositionSchema,
      status: 201,
      refusals: { 409: 'A disposition with that id already exists' },
      handler: async ({ body, reply }) => answer(reply, await reference.createDisposition(body)),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/admin/dispositions/:id',
      summary: 'Change a wrap-up disposition',
      tag: 'admin',
      access: admin,
      params: idParams,
      body: updateDispositionRequestSchema,
      response: apiDispositionSchema,
      refusals: { 404: 'No such disposition', 409: 'The disposition changed at the same moment: try again' },
      handler: async ({ params, body, reply }) => answer(reply, await reference.updateDisposition(params.id, body)),
    }),

    defineRoute({ method: 'GET', url: '/admin/categories', summary: 'List categories', tag: 'admin', access: admin, response: z.array(apiCategorySchema), handler: () => reference.listCategories() }),
    defineRoute({
      method: 'PATCH',
      url: '/admin/categories/:id',
      summary: 'Rename or retire a category',
      tag: 'admin',
      access: admin,
      params: idParams,
      body: updateCategoryRequestSchema,
      response: apiCategorySchema,
      refusals: { 404: 'No such category', 409: 'The category changed at the same moment: try again' },
      handler: async ({ params, body, reply }) => answer(reply, await reference.updateCategory(params.id, body)),
    }),
  ];
}
