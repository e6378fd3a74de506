import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createSmtpEmailSender } from '../../../src-server/intake/outbound';
import type { PublishingDeps } from '../../../src-server/publication/publishing-config';
import type { CentralStore } from '../../../src-server/store/central-store';
import { createReferenceStore } from '../../../src-server/store/reference-store';
import { defaultCaseFields, type CaseFields } from '../../../src-shared/domain/case-record';
import { encodeReference } from '../../../src-shared/domain/reference-number';
import type { Change } from '../../../src-shared/sync/protocol';
import { capturingLogger, manualClock } from '../../helpers';
import { listenTestApi, personMaker, type CallApi } from '../api-harness';
import { openFreshStore } from '../store/fresh-store';
import { startSmtpServer } from '../intake/intake-harness';

export const PUBLIC_URL = 'https://care-line.example.org';
export const PROVIDER_EMAIL = 'patient-feedback@stgeorges.example.org';
export const MAIL_FROM = 'Care Connect <providers@care-line.example.org>';

export type Persona = 'handler' | 'supervisor' | 'secondSupervisor' | 'otherSupervisor' | 'admin';

/** A feedback case as a desk would push it: the caller's words, their details, and the fields moderation needs. */
export interface FeedbackCase {
  description: string;
  callerName?: string | null;
  contactPhone?: string | null;
  contactEmail?: string | null;
  department?: string | null;
  providerId?: string | null;
  category?: CaseFields['category'];
  publishConsent?: boolean;
  needsSecondModeration?: boolean;
  type?: CaseFields['type'];
  /** When the desk made the case (its month is what is published). */
  at?: string;
  reference?: string;
}

export interface PublishingHarness {
  app: FastifyInstance;
  base: string;
  store: CentralStore;
  clock: ReturnType<typeof manualClock>;
  log: ReturnType<typeof capturingLogger>;
  smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  teams: { a: string; b: string };
  providers: { withEmail: { id: string; odsCode: string; name: string }; withoutEmail: { id: string; odsCode: string; name: string } };
  tokens: Record<Persona, string>;
  users: Record<Persona, string>;
  call: CallApi;
  /** Pushes a feedback case as team A's handler; returns its id and reference. */
  createCase(input: FeedbackCase): Promise<{ caseId: string; reference: string }>;
  /** Approves `text` as `persona` (a supervisor by default) and expects it to be accepted. */
  approve(caseId: string, text: string, persona?: Persona, overrides?: unknown[]): Promise<Response>;
  pullAll(persona: Persona): Promise<Change[]>;
  /** Moves the clock on, and signs everyone in again (access tokens last minutes). */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

let referenceSeq = 1;

/** The central API on loopback with publishing on, over a fresh SQLite file or PostgreSQL schema, and a real SMTP server. */
export async function startPublishingApi(options: { dialect?: 'sqlite' | 'postgres'; publishing?: Partial<PublishingDeps> } = {}): Promise<PublishingHarness> {
  const clock = manualClock(Date.parse('2026-03-10T09:00:00Z'));
  const log = capturingLogger('central-api');
  const opened = await openFreshStore(options.dialect ?? 'sqlite', { prefix: 'publishing_test', clock, poolSize: 4 });
  const { store } = opened;
  const a = await store.createTeam('Team A');
  const b = await store.createTeam('Team B');
  const people: Record<Persona, { email: string; role: 'handler' | 'supervisor' | 'admin'; teams: string[] }> = {
    handler: { email: 'handler@a.test', role: 'handler', teams: [a.id] },
    supervisor: { email: 'supervisor@a.test', role: 'supervisor', teams: [a.id] },
    secondSupervisor: { email: 'second@a.test', role: 'supervisor', teams: [a.id] },
    otherSupervisor: { email: 'supervisor@b.test', role: 'supervisor', teams: [b.id] },
    admin: { email: 'admin@org.test', role: 'admin', teams: [] },
  };
  const make = await personMaker(store);
  const users = {} as Record<Persona, string>;
  for (const [persona, person] of Object.entries(people) as [Persona, (typeof people)[Persona]][]) {
    users[persona] = (await make(person.email, person.role, person.teams)).id;
  }
  const reference = createReferenceStore(store.db, clock);
  const providers = {
    withEmail: { id: 'provider-rj7', odsCode: 'RJ7', name: 'St George’s Hospital' },
    withoutEmail: { id: 'provider-rrv', odsCode: 'RRV', name: 'University College Hospital' },
  };
  await reference.createProvider({ ...providers.withEmail, kind: 'trust', departments: ['Ward 7'], contactEmail: PROVIDER_EMAIL, active: true });
  await reference.createProvider({ ...providers.withoutEmail, kind: 'trust', departments: [], contactEmail: null, active: true });
  const smtp = await startSmtpServer();
  const email = await createSmtpEmailSender({ url: smtp.url, from: MAIL_FROM });
  const api = await listenTestApi({
    logger: log.logger,
    clock,
    store,
    publishing: { publicBaseUrl: PUBLIC_URL, providerEmail: email, publicRateLimit: { limit: 100_000, windowMs: 60_000 }, ...options.publishing },
  });
  const { app, base, call } = api;
  const tokens = {} as Record<Persona, string>;
  async function signInAll(): Promise<void> {
    for (const [persona, person] of Object.entries(people) as [Persona, (typeof people)[Persona]][]) {
      tokens[persona] = await api.tokenFor(person.email);
    }
  }
  await signInAll();

  async function push(token: string, mutations: unknown[]): Promise<void> {
    const response = await call('POST', '/sync/push', { token, body: { clientId: randomUUID(), mutations } });
    if (response.status !== 200) throw new Error(`push failed: ${response.status} ${await response.text()}`);
  }

  const harness: PublishingHarness = {
    app,
    base,
    store,
    clock,
    log,
    smtp,
    teams: { a: a.id, b: b.id },
    providers,
    tokens,
    users,
    call,
    async createCase(input) {
      const caseId = randomUUID();
      const callerId = input.callerName || input.contactPhone ? randomUUID() : null;
      const at = input.at ?? new Date(clock.now()).toISOString();
      const ref = input.reference ?? encodeReference(5, referenceSeq++);
      const type = input.type ?? 'feedback';
      const flags = { ...defaultCaseFields(type, 'phone').flags, publishConsent: input.publishConsent ?? true, needsSecondModeration: input.needsSecondModeration ?? false };
      const fields: Record<string, unknown> = {
        description: input.description,
        providerId: input.providerId === undefined ? providers.withEmail.id : input.providerId,
        category: input.category === undefined ? 'staff-attitude' : input.category,
        department: input.department ?? null,
        flags,
        contactMethod: input.contactEmail ? 'email' : input.contactPhone ? 'phone' : 'none',
        contactPhone: input.contactPhone ?? null,
        contactEmail: input.contactEmail ?? null,
      };
      const mutations: unknown[] = [];
      if (callerId) mutations.push({ id: 1, name: 'caller.upsert', args: { callerId, phone: input.contactPhone ?? null, name: input.callerName ?? null, flags: [], at } });
      mutations.push({ id: mutations.length + 1, name: 'case.create', args: { caseId, reference: ref, type, channel: 'phone', callerId, at } });
      for (const [field, value] of Object.entries(fields)) mutations.push({ id: mutations.length + 1, name: 'case.updateField', args: { caseId, field, value, at } });
      await push(tokens.handler, mutations);
      return { caseId, reference: ref };
    },
    async approve(caseId, text, persona = 'supervisor', overrides = []) {
      return call('POST', `/moderation/cases/${caseId}/approve`, { token: tokens[persona], body: { text, overrides } });
    },
    async pullAll(persona) {
      const clientId = randomUUID();
      const changes: Change[] = [];
      let cursor = 0;
      for (;;) {
        const response = await call('POST', '/sync/pull', { token: tokens[persona], body: { clientId, cursor } });
        const page = (await response.json()) as { changes: Change[]; cursor: number; hasMore: boolean };
        changes.push(...page.changes);
        cursor = page.cursor;
        if (!page.hasMore) return changes;
      }
    },
    async advance(ms) {
      clock.advance(ms);
      await signInAll();
    },
    async close() {
      await app.close();
      email.close();
      await smtp.close();
      await opened.cleanup();
    },
  };
  return harness;
}

/** The link in the provider's email. */
export function linkIn(mailBody: string): string {
  const match = /https:\/\/care-line\.example\.org(\/provider-response\/[A-Za-z0-9_-]{43})/.exec(mailBody.replace(/=\r?\n/g, ''));
  if (!match) throw new Error('no provider link in the email');
  return match[1]!;
}
