import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApi, type ApiDeps } from '../../src-server/app';
import { hashPassword, type PasswordCost } from '../../src-server/auth/passwords';
import { createTokenService, type TokenService } from '../../src-server/auth/tokens';
import type { CentralStore } from '../../src-server/store/central-store';
import { openSqliteStore } from '../../src-server/store/open-store';
import { seedDemoReferenceData } from '../../src-server/demo-organisation';
import { simulatorSettingsFromEnv } from '../../src-server/embedded';
import { embeddedIntakeFromEnv, intakeFromEnv } from '../../src-server/intake/intake-config';
import { publishingFromEnv } from '../../src-server/publication/publishing-config';
import { openTelephonyLine, type TelephonyLine } from '../../src-server/telephony/line';
import { twilioConfigFromEnv } from '../../src-server/telephony/twilio/twilio-config';
import type { Role } from '../../src-shared/api/people';
import { capturingLogger, manualClock, tempDir } from '../helpers';
import { twilioCloud } from './api-edges';
import { startSmtpServer } from './intake/intake-harness';
import { webhookCallers } from './webhook-callers';

/** Cheap scrypt for tests: the same code path, a fraction of the memory and time. */
export const TEST_PASSWORD_COST: PasswordCost = { N: 2 ** 10, r: 8, p: 1 };
export const PASSWORD = 'correct horse battery staple';

/** A request to the API on loopback: JSON `body` (or `rawBody` of `contentType`), with a bearer `token` when given. */
export type CallApi = (method: string, path: string, options?: { token?: string | null; body?: unknown; rawBody?: string; contentType?: string }) => Promise<Response>;

export function apiCaller(base: string): CallApi {
  return (method, path, options = {}) => {
    const body = options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
    return fetch(`${base}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': options.contentType ?? 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      ...(body !== undefined ? { body } : {}),
    });
  };
}

/** The central API listening on loopback, with what a test needs to talk to it. */
export interface TestApi {
  app: FastifyInstance;
  base: string;
  port: number;
  tokens: TokenService;
  call: CallApi;
  signIn(email: string, password?: string): Promise<Response>;
  /** Signs in with PASSWORD through the API and returns the access token; throws if refused. */
  tokenFor(email: string): Promise<string>;
  /** Closes the API (not its store). */
  close(): Promise<void>;
}

/**
 * Builds the central API as the tests run it and listens on loopback (on `port`, or a free one): version 1.0.0,
 * the cheap password cost and a fresh token secret on `deps.clock`, unless `deps` gives its own. The store, clock,
 * logger and which parts are on (telephony, live, Twilio, intake, publishing) are the caller's.
 */
export async function listenTestApi(deps: Omit<ApiDeps, 'version' | 'tokens'> & Partial<Pick<ApiDeps, 'version' | 'tokens'>>, options: { port?: number } = {}): Promise<TestApi> {
  const tokens = deps.tokens ?? createTokenService(randomBytes(32), deps.clock);
  const app = buildApi({ version: '1.0.0', passwordCost: TEST_PASSWORD_COST, ...deps, tokens });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the test API did not bind to a TCP port');
  const base = `http://127.0.0.1:${address.port}`;
  const call = apiCaller(base);
  const signIn = (email: string, password = PASSWORD) => call('POST', '/auth/sign-in', { body: { email, password } });
  return {
    app,
    base,
    port: address.port,
    tokens,
    call,
    signIn,
    async tokenFor(email) {
      const response = await signIn(email);
      if (response.status !== 200) throw new Error(`sign-in failed for ${email}: ${response.status}`);
      return ((await response.json()) as { accessToken: string }).accessToken;
    },
    close: () => app.close(),
  };
}

/** A person the tests made: they sign in with PASSWORD. */
export interface TestPerson {
  id: string;
  email: string;
  name: string;
  role: Role;
  teamIds: string[];
}

/**
 * Returns a function that adds a person to `store` who signs in with PASSWORD (hashed once, at the tests' cheap
 * cost), named after their address unless a name is given.
 */
export async function personMaker(store: CentralStore): Promise<(email: string, role: Role, teamIds: string[], name?: string) => Promise<TestPerson>> {
  const passwordHash = await hashPassword(PASSWORD, TEST_PASSWORD_COST);
  return async (email, role, teamIds, name = email.split('@')[0]!) => {
    const user = await store.createUser({ email, name, role, teamIds, passwordHash });
    return { id: user.id, email, name, role, teamIds };
  };
}

export interface ApiHarness extends TestApi {
  store: CentralStore;
  clock: ReturnType<typeof manualClock>;
  users: Record<'handler' | 'otherHandler' | 'supervisor' | 'admin', TestPerson>;
  teams: { a: string; b: string };
}

/**
 * How the API is put together: `bare` is the core alone (auth, sync, cases, admin, reference, reports, moderation);
 * `production` is `npm run server` with every setting given (src-server/main.ts): a Twilio line, intake by the form,
 * SMS, email and social, replies and provider emails by SMTP, a public URL; `embedded` is the desktop's own API
 * (src-server/embedded.ts): the simulated line, the form, email and social intake and SMTP replies, provider links to
 * its loopback address.
 */
export type ApiWiring = 'bare' | 'production' | 'embedded';

/** The settings the wired API is given, as the environment would give them. Secrets here are for tests only. */
export const WIRED_SETTINGS = {
  publicUrl: 'https://care-line.example.org',
  twilioAuthToken: 'auth-token-for-tests-0123456789',
  emailSecret: 'email-secret-for-tests-0123456789',
  socialSecret: 'social-secret-for-tests-0123456789',
  mailFrom: 'Care Connect <replies@care-line.example.org>',
} as const;

/** The API built as `production` or `embedded` runs it, with what a test needs to reach its webhooks. */
export interface WiredApiHarness extends ApiHarness {
  wiring: Exclude<ApiWiring, 'bare'>;
  line: TelephonyLine;
  smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  /** POSTs a form to a Twilio webhook path (with query), signed with the auth token for the public URL unless `signature` is given (null: none). */
  twilioWebhook(pathAndQuery: string, params: Record<string, string>, signature?: string | null): Promise<Response>;
  /** POSTs Postmark's inbound JSON with the email secret as the Basic password unless `password` is given (null: none). */
  emailWebhook(payload: unknown, password?: string | null): Promise<Response>;
  /** POSTs a social message, signed with the social secret unless `signature` is given (null: none). */
  socialWebhook(payload: unknown, signature?: string | null): Promise<Response>;
}

/**
 * The central API on loopback over a fresh SQLite store with two teams and one person of each kind. `bare` (the
 * default) builds the core alone; `production` and `embedded` build it from the same pieces, in the same way, as
 * src-server/main.ts and src-server/embedded.ts do, with their settings given as the environment gives them and the
 * demo reference data (queues, dispositions, providers). Only Twilio's cloud cannot run here: `production` needs the
 * `twilio` package mocked with `withFakeTwilioCloud` (api-edges.ts) in the test file, and refuses to start without it.
 */
export async function startApi(): Promise<ApiHarness>;
export async function startApi(options: { wiring: Exclude<ApiWiring, 'bare'> }): Promise<WiredApiHarness>;
export async function startApi(options?: { wiring?: ApiWiring }): Promise<ApiHarness>;
export async function startApi(options: { wiring?: ApiWiring } = {}): Promise<ApiHarness | WiredApiHarness> {
  const wiring = options.wiring ?? 'bare';
  const dir = tempDir();
  const clock = manualClock(Date.now());
  const store = await openSqliteStore(join(dir.path, 'central.sqlite3'), clock);
  const a = await store.createTeam('Team A');
  const b = await store.createTeam('Team B');
  const make = await personMaker(store);
  const users = {
    handler: await make('handler@a.test', 'handler', [a.id]),
    otherHandler: await make('handler@b.test', 'handler', [b.id]),
    supervisor: await make('supervisor@a.test', 'supervisor', [a.id]),
    admin: await make('admin@org.test', 'admin', []),
  };
  const logger = capturingLogger('api').logger;
  if (wiring === 'bare') {
    const api = await listenTestApi({ logger, clock, store });
    return {
      ...api,
      store,
      clock,
      users,
      teams: { a: a.id, b: b.id },
      async close() {
        await api.close();
        await store.close();
        dir.remove();
      },
    };
  }

  await seedDemoReferenceData(store);
  const smtp = await startSmtpServer();
  let api: TestApi;
  let line: TelephonyLine;
  let closeIntake: () => void;
  if (wiring === 'production') {
    // Loading the package runs the test file's mock of it, if there is one.
    await import('twilio');
    if (!twilioCloud.installed) throw new Error("The production wiring talks to Twilio: mock 'twilio' with withFakeTwilioCloud (api-edges.ts) in the test file.");
    // As src-server/main.ts, with every setting given.
    const env = {
      PUBLIC_URL: WIRED_SETTINGS.publicUrl,
      TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: WIRED_SETTINGS.twilioAuthToken,
      TWILIO_API_KEY_SID: `SK${'2'.repeat(32)}`,
      TWILIO_API_KEY_SECRET: 'api-key-secret-for-tests-0123456789',
      TWILIO_TWIML_APP_SID: `AP${'3'.repeat(32)}`,
      TWILIO_CALLER_ID: '+441134960000',
      INTAKE_EMAIL_SECRET: WIRED_SETTINGS.emailSecret,
      INTAKE_SOCIAL_SECRET: WIRED_SETTINGS.socialSecret,
      SMTP_URL: smtp.url,
      SMTP_FROM: WIRED_SETTINGS.mailFrom,
    };
    const twilio = twilioConfigFromEnv(env);
    line = await openTelephonyLine({ store, logger, clock, twilio, simulator: { autoStart: false } });
    const intake = await intakeFromEnv(env, twilio);
    closeIntake = intake.close;
    api = await listenTestApi({ logger, clock, store, telephony: line.telephony, live: line.live, ...(line.twilio ? { twilio: line.twilio } : {}), intake, publishing: publishingFromEnv(env, intake.emailSender ?? null) });
  } else {
    // As src-server/embedded.ts, with CARE_DESK_SIMULATOR=off (a test starts calls itself) and the optional channels on.
    line = await openTelephonyLine({ store, logger, clock, simulator: simulatorSettingsFromEnv({ CARE_DESK_SIMULATOR: 'off' }) });
    const intake = await embeddedIntakeFromEnv({
      CARE_DESK_INTAKE_EMAIL_SECRET: WIRED_SETTINGS.emailSecret,
      CARE_DESK_INTAKE_SOCIAL_SECRET: WIRED_SETTINGS.socialSecret,
      CARE_DESK_SMTP_URL: smtp.url,
      CARE_DESK_SMTP_FROM: WIRED_SETTINGS.mailFrom,
    });
    closeIntake = intake.close;
    let url: string | null = null;
    api = await listenTestApi({ logger, clock, store, telephony: line.telephony, live: line.live, intake, publishing: { publicBaseUrl: () => url, providerEmail: intake.emailSender ?? null } });
    url = api.base;
  }
  const { base } = api;
  return {
    ...api,
    wiring,
    store,
    clock,
    users,
    teams: { a: a.id, b: b.id },
    line,
    smtp,
    ...webhookCallers(base, WIRED_SETTINGS),
    // In the order src-server/main.ts shuts down.
    async close() {
      await api.close();
      await line.close();
      closeIntake();
      await smtp.close();
      await store.close();
      dir.remove();
    },
  };
}

/** A `case.create` mutation for a fresh case. */
export function createCaseMutation(id: number, caseId: string = randomUUID()) {
  return { id, name: 'case.create' as const, args: { caseId, reference: 'CC-0000-0000', type: 'feedback' as const, channel: 'phone' as const, callerId: null, at: new Date().toISOString() } };
}
