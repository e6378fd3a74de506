import type { FastifyInstance } from 'fastify';
import { createRateLimiter } from '../auth/rate-limit';
import { createModerationStore } from '../moderation/moderation-store';
import { createProviderStore } from '../providers/provider-store';
import { createPublicationStore } from '../publication/publication-store';
import { DEFAULT_PUBLIC_RATE_LIMIT, type PublishingDeps } from '../publication/publishing-config';
import type { CentralStore } from '../store/central-store';
import { moderationRoutes } from './moderation';
import { open311Routes } from './open311';
import { providerRoutes, registerProviderPages } from './providers';
import { publicFeedRoutes, registerFeedPage, type PublicLimiter } from './public-feedback';
import type { RouteSpec } from './route-spec';

/**
 * Moderation, publication and providers (issue 7): the moderators' routes, the public feed (JSON and a page), Open311,
 * sending cases to providers and the providers' pages. Declared routes are listed in OpenAPI; the HTML pages are
 * registered in scopes of their own. The public endpoints share one limit per address.
 */
export function createPublishingApi(deps: { config: PublishingDeps; store: CentralStore; clock: { now(): number } }): { routes: RouteSpec[]; register(app: FastifyInstance): void } {
  const publications = createPublicationStore(deps.store);
  const moderation = createModerationStore(deps.store, deps.clock);
  const providers = createProviderStore(deps.store, deps.clock, deps.config.linkTtlMs !== undefined ? { linkTtlMs: deps.config.linkTtlMs } : {});
  const limiter = createRateLimiter({ ...(deps.config.publicRateLimit ?? DEFAULT_PUBLIC_RATE_LIMIT), clock: deps.clock });
  const limit: PublicLimiter = (request) => limiter.hit(request.ip);
  return {
    routes: [
      ...moderationRoutes({ moderation }),
      ...publicFeedRoutes({ publications, limit }),
      ...open311Routes({ publications, limit, clock: deps.clock }),
      ...providerRoutes({ providers, config: deps.config }),
    ],
    register(app) {
      registerFeedPage(app, { publications, limit });
      registerProviderPages(app, { providers, config: deps.config, clock: deps.clock });
    },
  };
}
