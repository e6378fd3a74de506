import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { problemTypes } from '../src-shared/problem';
import { problemErrorHandler, sendProblem } from './problem';
import { PathOnlyLogController } from './request-log';
import { registerHealthRoutes } from './routes/health';

export interface ApiDeps {
  logger: FastifyBaseLogger;
  version: string;
  clock: { now(): number };
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes?: number;
}

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the central API from its dependencies. It does not listen; the caller decides where. */
export function buildApi(deps: ApiDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    logController: new PathOnlyLogController(),
    return503OnClosing: true,
  });
  app.setErrorHandler(problemErrorHandler);
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, {
      type: problemTypes.notFound,
      title: 'Not found',
      status: 404,
      detail: `There is no ${request.method} ${request.url.split('?')[0]} on this API.`,
    }),
  );
  registerHealthRoutes(app, { version: deps.version, clock: deps.clock, startedAt: deps.clock.now() });
  return app;
}
