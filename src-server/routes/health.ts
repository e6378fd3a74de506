import type { FastifyInstance } from 'fastify';
import { apiHealthSchema, type ApiHealth } from '../../src-shared/health';
import type { OperationSpec } from './route-spec';

/** What the OpenAPI description says of `GET /health`. */
export const healthOperation: OperationSpec = {
  method: 'GET',
  url: '/health',
  summary: 'Check the API is up',
  tag: 'meta',
  access: 'public',
  response: apiHealthSchema,
};

/** `GET /health`: liveness for load balancers and for the desktop's connection indicator. No data, no auth. */
export function registerHealthRoutes(app: FastifyInstance, deps: { version: string; clock: { now(): number }; startedAt: number }): void {
  app.get('/health', async (_request, reply): Promise<ApiHealth> => {
    reply.header('cache-control', 'no-store');
    const now = deps.clock.now();
    return {
      status: 'ok',
      version: deps.version,
      uptimeSeconds: Math.max(0, Math.round((now - deps.startedAt) / 1000)),
      time: new Date(now).toISOString(),
    };
  });
}
