import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { problemTypes } from '../src-shared/problem';
import type { PasswordCost } from './auth/passwords';
import { createAccessState } from './auth/access-state';
import type { TokenService } from './auth/tokens';
import { attachLiveSocket, type LiveOptions } from './live/live-socket';
import { problemErrorHandler, sendProblem } from './problem';
import { PathOnlyLogController } from './request-log';
import { adminRoutes } from './routes/admin';
import { authRoutes } from './routes/auth';
import { caseRoutes } from './routes/cases';
import { createIntakeApi } from './routes/intake-api';
import { inboxRoutes } from './routes/inbox';
import type { IntakeDeps } from './intake/intake-config';
import type { PublishingDeps } from './publication/publishing-config';
import { createPublishingApi } from './routes/publishing-api';
import { healthOperation, registerHealthRoutes } from './routes/health';
import { referenceRoutes } from './routes/reference';
import { reportRoutes } from './routes/reports';
import { buildOpenApi, openApiOperation, registerRoutes } from './routes/route-spec';
import { syncRoutes } from './routes/sync';
import { telephonyRoutes, type TelephonyDeps } from './routes/telephony';
import { registerTwilioWebhooks, twilioTokenRoutes, type TwilioDeps } from './routes/twilio';
import type { CentralStore } from './store/central-store';
import { createReferenceStore } from './store/reference-store';
import { createReportStore } from './store/report-store';

export interface ApiDeps {
  logger: FastifyBaseLogger;
  version: string;
  clock: { now(): number };
  store: CentralStore;
  tokens: TokenService;
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes?: number;
  /**
   * The proxies in front of the API whose `X-Forwarded-For` it believes (addresses or CIDR ranges, or how many hops),
   * so a caller's own address is what sign-in limits count failures by. None by default: the peer's address.
   */
  trustProxy?: string[] | number;
  passwordCost?: PasswordCost;
  /** The routing engine and call control (and the simulator when the line is simulated). Without it, no telephony routes. */
  telephony?: TelephonyDeps;
  /** Live events over the `/live` WebSocket. The app closes the bus when it closes. */
  live?: LiveOptions;
  /** The Twilio line: webhooks and softphone tokens. Without it the line is the simulator's and the token route says so. */
  twilio?: TwilioDeps;
  /** The web form, SMS, email and social intake, and replies to patients. Without it, none of those routes. */
  intake?: IntakeDeps;
  /**
   * Moderation, the public feed, Open311 and provider links are always on; this gives the public address for
   * provider links and the mail sender. Without it, sending a case to a provider is refused with what to set.
   */
  publishing?: PublishingDeps;
}

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/** Believes the `count` proxies nearest the API (hop 0 is the one that connected to it). */
const trustHops =
  (count: number) =>
  (_address: string, hop: number): boolean =>
    hop < count;

/** Builds the central API from its dependencies. It does not listen; the caller decides where. */
export function buildApi(deps: ApiDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    logController: new PathOnlyLogController(),
    return503OnClosing: true,
    // A hop count is believed as Fastify itself does for a number (its types take only the function form).
    trustProxy: typeof deps.trustProxy === 'number' ? trustHops(deps.trustProxy) : (deps.trustProxy ?? false),
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
  const intake = deps.intake ? createIntakeApi({ ...deps.intake, store: deps.store, clock: deps.clock }) : null;
  const publishing = createPublishingApi({ config: deps.publishing ?? {}, store: deps.store, clock: deps.clock });
  const access = createAccessState(deps.store, deps.clock);
  const routes = [
    ...authRoutes({ store: deps.store, tokens: deps.tokens, access, clock: deps.clock, ...(deps.passwordCost ? { passwordCost: deps.passwordCost } : {}) }),
    ...syncRoutes({ store: deps.store }),
    ...caseRoutes({ store: deps.store }),
    ...inboxRoutes({ store: deps.store, clock: deps.clock }),
    ...adminRoutes({ store: deps.store, access, tokens: deps.tokens, ...(deps.passwordCost ? { passwordCost: deps.passwordCost } : {}) }),
    ...(deps.telephony ? telephonyRoutes({ ...deps.telephony, store: deps.store }) : []),
    ...referenceRoutes({ reference: createReferenceStore(deps.store.db, deps.clock) }),
    ...reportRoutes({ reports: createReportStore(deps.store.db, deps.store.dialect, deps.clock) }),
    ...twilioTokenRoutes({ twilio: deps.twilio ?? null, clock: deps.clock }),
    ...(intake?.routes ?? []),
    ...publishing.routes,
  ];
  registerRoutes(app, routes, deps.tokens, access);
  // Described with the declared routes: the routes registered here and below, but for pages meant for people and
  // Twilio's callbacks.
  const openApi = buildOpenApi([...routes, healthOperation, openApiOperation, ...(intake?.operations ?? [])], { version: deps.version });
  app.get(openApiOperation.url, async () => openApi);
  if (deps.twilio) registerTwilioWebhooks(app, { ...deps.twilio, store: deps.store, clock: deps.clock });
  intake?.register(app);
  publishing.register(app);
  if (deps.live) attachLiveSocket(app, { ...deps.live, tokens: deps.tokens, access, clock: deps.clock, logger: deps.logger });
  return app;
}
