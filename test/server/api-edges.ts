import type * as FastifyExports from 'fastify';
import type { FastifyInstance } from 'fastify';

/**
 * What a test of the whole API needs around it, for `vi.mock` in the test file (the API builds its Fastify instance
 * and its Twilio clients itself, so neither can be passed in):
 *
 * - `recordingFastify`: the real Fastify, with an `onRoute` hook added to each instance as it is made, so a test can
 *   list every route the app registered (`registeredRoutes(app)`) and compare it with what it covers.
 * - `withFakeTwilioCloud`: the real `twilio` package, whose HTTP requests go to `twilioCloud` instead of Twilio's
 *   cloud, which cannot be reached from a test. Everything else (our REST wrapper, the SMS sender) is the real code.
 *
 * In the test file:
 *   vi.mock('fastify', async (real) => (await import('./api-edges')).recordingFastify(await real()));
 *   vi.mock('twilio', async (real) => (await import('./api-edges')).withFakeTwilioCloud(await real()));
 */

/** A route as Fastify registered it. HEAD routes Fastify adds for each GET are left out: they answer as the GET does. */
export interface RegisteredRoute {
  method: string;
  url: string;
}

const routesByApp = new WeakMap<object, RegisteredRoute[]>();

type FastifyModule = typeof FastifyExports;

export function recordingFastify(real: FastifyModule): FastifyModule {
  const build = real.default as unknown as (options?: unknown) => FastifyInstance;
  // The properties Fastify hangs on its factory (LogController, errorCodes…) come along.
  const recording = Object.assign((options?: unknown) => {
    const app = build(options);
    const routes: RegisteredRoute[] = [];
    routesByApp.set(app, routes);
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD') routes.push({ method, url: route.url });
      }
    });
    return app;
  }, build);
  return { ...real, default: recording, fastify: recording } as unknown as FastifyModule;
}

/** Every route `app` registered, as `METHOD /url`, sorted; throws when Fastify was not mocked with `recordingFastify`. */
export function registeredRoutes(app: FastifyInstance): string[] {
  const routes = routesByApp.get(app);
  if (!routes) throw new Error("This app's routes were not recorded: mock 'fastify' with recordingFastify in the test file.");
  return [...new Set(routes.map((route) => `${route.method} ${route.url}`))].sort();
}

/** A request the `twilio` package sent, as its HTTP client sees it. */
export interface TwilioCloudRequest {
  method: string;
  uri: string;
  data?: Record<string, unknown>;
}

/**
 * Twilio's cloud at the HTTP edge: records each request the real `twilio` package sends and answers as the API would
 * (a participant, a call or a message with made-up SIDs; an empty conference list; 204 for a delete).
 */
export const twilioCloud = {
  installed: false,
  requests: [] as TwilioCloudRequest[],
  httpClient: {
    async request(request: { method: string; uri: string; data?: Record<string, unknown> }) {
      twilioCloud.requests.push({ method: request.method.toUpperCase(), uri: request.uri, ...(request.data ? { data: request.data } : {}) });
      const n = String(twilioCloud.requests.length).padStart(32, '0');
      if (request.method.toLowerCase() === 'delete') return { statusCode: 204, body: '', headers: {} };
      if (request.uri.endsWith('/Conferences.json')) return { statusCode: 200, body: JSON.stringify({ conferences: [], next_page_uri: null, page: 0, page_size: 1 }), headers: {} };
      if (request.uri.endsWith('/Messages.json')) return { statusCode: 201, body: JSON.stringify({ sid: `SM${n}`, status: 'queued' }), headers: {} };
      return { statusCode: 200, body: JSON.stringify({ sid: `CA${n}`, call_sid: `CA${n}`, conference_sid: `CF${n}` }), headers: {} };
    },
  },
};

export function withFakeTwilioCloud<T extends { default: unknown }>(real: T): T {
  const make = real.default as (username?: string, password?: string, options?: Record<string, unknown>) => unknown;
  const faked = Object.assign((username?: string, password?: string, options: Record<string, unknown> = {}) => make(username, password, { ...options, httpClient: twilioCloud.httpClient }), make);
  twilioCloud.installed = true;
  return { ...real, default: faked };
}
