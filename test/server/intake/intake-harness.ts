import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { IntakeDeps } from '../../../src-server/intake/intake-config';
import { createSmtpEmailSender, type SmsSender } from '../../../src-server/intake/outbound';
import type { CentralStore } from '../../../src-server/store/central-store';
import { createReferenceStore } from '../../../src-server/store/reference-store';
import type { Change } from '../../../src-shared/sync/protocol';
import { capturingLogger, manualClock } from '../../helpers';
import { listenTestApi, personMaker, type TestApi, type TestPerson } from '../api-harness';
import { openFreshStore } from '../store/fresh-store';
import { webhookCallers } from '../webhook-callers';

export const PUBLIC_URL = 'https://care-line.example.org';
export const AUTH_TOKEN = 'auth-token-for-tests-0123456789';
export const EMAIL_SECRET = 'email-secret-for-tests-0123456789';
export const SOCIAL_SECRET = 'social-secret-for-tests-0123456789';
export const REPLY_FROM = 'Care Connect <replies@care-line.example.org>';

/** Synthetic patients: drama-range numbers and example.org addresses, so a leak in a log is easy to search for. */
export const PATIENT = {
  mobile: '+447400123456',
  mobileAsTyped: '07400 123456',
  landline: '+441134960123',
  email: 'jo.bloggs@example.org',
  name: 'Jo Bloggs',
};

/** One message received by the loopback SMTP server. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  headers: Record<string, string>;
  body: string;
}

/** A real SMTP server on loopback (smtp-server), keeping each message it accepts. */
export async function startSmtpServer(): Promise<{ url: string; mails: ReceivedMail[]; close(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const split = raw.indexOf('\r\n\r\n');
        const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
        const headers: Record<string, string> = {};
        for (const line of head.split('\r\n')) {
          const colon = line.indexOf(':');
          if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
        }
        const envelope = session.envelope;
        mails.push({ from: envelope.mailFrom ? envelope.mailFrom.address : '', to: envelope.rcptTo.map((rcpt) => rcpt.address), raw, headers, body: raw.slice(split + 4) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Twilio's Messaging API, reduced to a record of what it was asked to send; `fail` makes it refuse. */
export function fakeSms() {
  const sent: { to: string; body: string }[] = [];
  let fail = false;
  const sender: SmsSender = {
    async send(message) {
      if (fail) throw Object.assign(new Error(`The 'To' number ${message.to} is not a valid phone number.`), { code: 21211 });
      sent.push(message);
      return { id: `SM${String(sent.length).padStart(32, '0')}` };
    },
  };
  return { sender, sent, failNext: (value: boolean) => (fail = value) };
}

export interface IntakeHarness extends TestApi {
  store: CentralStore;
  clock: ReturnType<typeof manualClock>;
  log: ReturnType<typeof capturingLogger>;
  sms: ReturnType<typeof fakeSms>;
  smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  teams: { a: string; b: string };
  providers: { id: string; name: string }[];
  users: Record<'handler' | 'supervisor' | 'otherTeam', TestPerson>;
  /** POSTs the contact form as a browser would, without following the redirect. */
  postForm(params: Record<string, string>): Promise<Response>;
  /** POSTs Twilio's messaging webhook, signed for PUBLIC_URL unless a signature is given (null: none). */
  smsWebhook(params: Record<string, string>, signature?: string | null): Promise<Response>;
  emailWebhook(payload: unknown, password?: string | null): Promise<Response>;
  socialWebhook(payload: unknown, signature?: string | null): Promise<Response>;
  /** Every change a handler of team A pulls from the start. */
  pullAll(token: string): Promise<Change[]>;
  count(table: 'cases' | 'case_events' | 'callers' | 'changes' | 'intake_threads'): Promise<number>;
  close(): Promise<void>;
}

export type Dialect = 'sqlite' | 'postgres';

/** The central API with intake on, on loopback, over a fresh SQLite file or PostgreSQL schema. */
export async function startIntakeApi(options: { dialect?: Dialect; intake?: Partial<IntakeDeps> } = {}): Promise<IntakeHarness> {
  const clock = manualClock(Date.now());
  const log = capturingLogger('central-api');
  const opened = await openFreshStore(options.dialect ?? 'sqlite', { prefix: 'intake_test', clock, poolSize: 4 });
  const { store } = opened;
  const a = await store.createTeam('Team A');
  clock.advance(1);
  const b = await store.createTeam('Team B');
  const make = await personMaker(store);
  const users = {
    handler: await make('handler@a.test', 'handler', [a.id]),
    supervisor: await make('supervisor@a.test', 'supervisor', [a.id]),
    otherTeam: await make('handler@b.test', 'handler', [b.id]),
  };
  const reference = createReferenceStore(store.db, clock);
  const providers = [
    { id: 'rj7', odsCode: 'RJ7', name: 'St George’s Hospital' },
    { id: 'rrv', odsCode: 'RRV', name: 'University College Hospital' },
  ];
  for (const provider of providers) await reference.createProvider({ ...provider, kind: 'trust', departments: [], contactEmail: null, active: true });
  const sms = fakeSms();
  const smtp = await startSmtpServer();
  const email = await createSmtpEmailSender({ url: smtp.url, from: REPLY_FROM });
  const api = await listenTestApi({
    logger: log.logger,
    clock,
    store,
    intake: {
      sms: { authToken: AUTH_TOKEN, publicUrl: PUBLIC_URL },
      smsSender: sms.sender,
      emailSecret: EMAIL_SECRET,
      emailSender: email,
      socialSecret: SOCIAL_SECRET,
      ...options.intake,
    },
  });
  const { base, call } = api;
  const webhooks = webhookCallers(base, { publicUrl: PUBLIC_URL, twilioAuthToken: AUTH_TOKEN, emailSecret: EMAIL_SECRET, socialSecret: SOCIAL_SECRET });
  return {
    ...api,
    store,
    clock,
    log,
    sms,
    smtp,
    teams: { a: a.id, b: b.id },
    providers: providers.map(({ id, name }) => ({ id, name })),
    users,
    postForm: (params) => fetch(`${base}/contact`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() }),
    smsWebhook: (params, signature) => webhooks.twilioWebhook('/twilio/sms', params, signature),
    emailWebhook: webhooks.emailWebhook,
    socialWebhook: webhooks.socialWebhook,
    async pullAll(token) {
      const clientId = randomUUID();
      const changes: Change[] = [];
      let cursor = 0;
      for (;;) {
        const response = await call('POST', '/sync/pull', { token, body: { clientId, cursor } });
        const page = (await response.json()) as { changes: Change[]; cursor: number; hasMore: boolean };
        changes.push(...page.changes);
        cursor = page.cursor;
        if (!page.hasMore) return changes;
      }
    },
    async count(table) {
      const row = await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async close() {
      await api.close();
      email.close();
      await smtp.close();
      await opened.cleanup();
    },
  };
}

/** A Twilio MessageSid. */
export function messageSid(n: number): string {
  return `SM${n.toString(16).padStart(32, '0')}`;
}

/** An inbound SMS as Twilio posts it. */
export function smsParams(n: number, body: string, from = PATIENT.mobile): Record<string, string> {
  return { MessageSid: messageSid(n), AccountSid: `AC${'1'.repeat(32)}`, From: from, To: '+441134960000', Body: body, NumMedia: '0' };
}

/** An inbound email as Postmark posts it (the fields the API reads, and a few it ignores). */
export function postmarkEmail(n: number, options: { subject: string; text: string; from?: string; name?: string; stripped?: string }) {
  return {
    FromName: options.name ?? PATIENT.name,
    MessageStream: 'inbound',
    From: options.from ?? PATIENT.email,
    FromFull: { Email: options.from ?? PATIENT.email, Name: options.name ?? PATIENT.name, MailboxHash: '' },
    To: 'help@care-line.example.org',
    Subject: options.subject,
    MessageID: `a8c1040e-1234-4c4b-9b0e-${n.toString().padStart(12, '0')}`,
    Date: 'Sat, 21 Nov 2026 09:00:00 +0000',
    TextBody: options.text,
    HtmlBody: `<p>${options.text}</p>`,
    StrippedTextReply: options.stripped ?? '',
    Headers: [{ Name: 'Message-ID', Value: `<msg-${n}@mail.example.org>` }],
    Attachments: [],
  };
}
