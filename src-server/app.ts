import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { problemTypes } from '../src-shared/problem';
import type { PasswordCost } from './auth/passwords';
import type { TokenService } from './auth/tokens';
import { problemErrorHandler, sendProblem } from './problem';
import { PathOnlyLogController } from './request-log';
import { adminRoutes } from './routes/admin';
import { authRoutes } from './routes/auth';
import { caseRoutes } from './routes/cases';
import { registerHealthRoutes } from './routes/health';
import { buildOpenApi, registerRoutes } from './routes/route-spec';
import { syncRoutes } from './routes/sync';
import type { CentralStore } from './store/central-store';

export interface ApiDeps {
  logger: FastifyBaseLogger;
  version: string;
  clock: { now(): number };
  store: CentralStore;
  tokens: TokenService;
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes?: number;
  passwordCost?: PasswordCost;
}

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the central API from its dependencies. It does not listen; the caller decides where. */
export function buildApi(deps: ApiDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    logController: new PathOnlyLogController(),
    return503OnClosing: true,
    trustProxy: false,
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
  const routes = [
    ...authRoutes({ store: deps.store, tokens: deps.tokens, clock: deps.clock, ...(deps.passwordCost ? { passwordCost: deps.passwordCost } : {}) }),
    ...syncRoutes({ store: deps.store }),
    ...caseRoutes({ store: deps.store }),
    ...adminRoutes({ store: deps.store, ...(deps.passwordCost ? { passwordCost: deps.passwordCost } : {}) }),
  ];
  registerRoutes(app, routes, deps.tokens);
  const openApi = buildOpenApi(routes, { version: deps.version });
  app.get('/openapi.json', async () => openApi);
  return app;
}
