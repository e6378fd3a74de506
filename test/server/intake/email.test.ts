import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PATIENT, postmarkEmail, REPLY_FROM, startIntakeApi, type Dialect, type IntakeHarness } from './intake-harness';

const FIRST = 'I was sent home from A&E without the results of my blood test. Who do I ask?';
const REPLY = 'Thank you for your email. The results go to your GP practice within two working days.';
const FOLLOW_UP = 'Thanks, I will ring them on Monday.';

interface Receipt {
  caseId: string;
  reference: string;
  created: boolean;
  duplicate: boolean;
}

describe.each<Dialect>(['sqlite', 'postgres'])('email intake on %s', (dialect) => {
  let api: IntakeHarness;
  let token: string;
  beforeEach(async () => {
    api = await startIntakeApi({ dialect });
    token = await api.tokenFor(api.users.handler.email);
  });
  afterEach(async () => {
    await api.close();
  });

  it('opens an email case, sends the reply by SMTP with the reference in the subject, and threads the answer by it', async () => {
    const first = await api.emailWebhook(postmarkEmail(1, { subject: 'Blood test results', text: FIRST }));
    expect(first.status).toBe(200);
    const receipt = (await first.json()) as Receipt;
    expect(receipt).toMatchObject({ created: true, duplicate: false });
    const row = await api.store.db.selectFrom('cases').selectAll().executeTakeFirstOrThrow();
    expect(row.channel).toBe('email');
    expect(JSON.parse(row.fields)).toMatchObject({ description: FIRST, contactMethod: 'email', contactEmail: PATIENT.email });

    const reply = await api.call('POST', `/cases/${receipt.caseId}/messages`, { token, body: { body: REPLY } });
    expect(reply.status).toBe(201);
    // The real SMTP server on loopback received it: to the patient, with the reference in the subject, and the words.
    expect(api.smtp.mails).toHaveLength(1);
    const mail = api.smtp.mails[0]!;
    expect(mail.to).toEqual([PATIENT.email]);
    expect(mail.headers.to).toBe(PATIENT.email);
    expect(mail.headers.from).toBe(REPLY_FROM);
    expect(mail.headers.subject).toBe(`Re: Blood test results [${receipt.reference}]`);
    expect(mail.headers['in-reply-to']).toBe('<msg-1@mail.example.org>');
    expect(mail.body.replace(/=\r\n/g, '')).toContain(REPLY);

    // The patient answers: their mail client keeps the subject, so the reference threads it onto the case.
    const answer = await api.emailWebhook(postmarkEmail(2, { subject: `RE: ${mail.headers.subject}`, text: `${FOLLOW_UP}\n\n> ${REPLY}`, stripped: FOLLOW_UP }));
    expect((await answer.json()) as Receipt).toMatchObject({ caseId: receipt.caseId, created: false });
    expect(await api.count('cases')).toBe(1);

    const read = await api.call('GET', `/cases/${receipt.caseId}`, { token });
    const { events } = (await read.json()) as { events: { kind: string; body: string; value: { direction: string; subject?: string } }[] };
    expect(events.filter((event) => event.kind === 'message').map((event) => [event.value.direction, event.body])).toEqual([
      ['inbound', FIRST],
      ['outbound', REPLY],
      ['inbound', FOLLOW_UP],
    ]);
    // Desks pull the thread too.
    const pulled = (await api.pullAll(token)).filter((change) => change.entity === 'caseEvent' && (change.data as { kind: string }).kind === 'message');
    expect(pulled).toHaveLength(3);
  });

  it('does not add someone else’s email to a case because it quotes the reference: it opens a case that notes it', async () => {
    const receipt = (await (await api.emailWebhook(postmarkEmail(1, { subject: 'Blood test results', text: FIRST }))).json()) as Receipt;
    const stranger = await api.emailWebhook(postmarkEmail(2, { subject: `About ${receipt.reference}`, text: 'Tell me about this case', from: 'someone.else@example.net', name: 'Someone Else' }));
    const second = (await stranger.json()) as Receipt;
    expect(second.created).toBe(true);
    expect(second.caseId).not.toBe(receipt.caseId);
    const row = await api.store.db.selectFrom('cases').select('fields').where('id', '=', second.caseId).executeTakeFirstOrThrow();
    expect(JSON.parse(row.fields)).toMatchObject({ previousReference: receipt.reference, flags: { relatesToPreviousCase: true } });
  });

  it('keeps an email Postmark delivers twice once', async () => {
    await api.emailWebhook(postmarkEmail(1, { subject: 'Hello', text: FIRST }));
    const again = (await (await api.emailWebhook(postmarkEmail(1, { subject: 'Hello', text: FIRST }))).json()) as Receipt;
    expect(again.duplicate).toBe(true);
    expect(await api.count('case_events')).toBe(2);
  });

  it('refuses a wrong or missing secret with 403 and stores nothing', async () => {
    const changesBefore = await api.count('changes');
    expect((await api.emailWebhook(postmarkEmail(1, { subject: 'Hello', text: FIRST }), null)).status).toBe(403);
    expect((await api.emailWebhook(postmarkEmail(1, { subject: 'Hello', text: FIRST }), 'not-the-secret')).status).toBe(403);
    for (const table of ['cases', 'case_events', 'callers', 'intake_threads'] as const) expect(await api.count(table), table).toBe(0);
    expect(await api.count('changes')).toBe(changesBefore);
  });

  it('refuses a malformed email with a clear error per field and stores nothing', async () => {
    const noId = await api.emailWebhook({ ...postmarkEmail(1, { subject: 'Hello', text: FIRST }), MessageID: undefined });
    expect(noId.status).toBe(400);
    expect(((await noId.json()) as { errors: { pointer: string }[] }).errors.map((error) => error.pointer)).toContain('#/body/MessageID');
    const badSender = await api.emailWebhook(postmarkEmail(2, { subject: 'Hello', text: FIRST, from: 'not an address' }));
    expect(badSender.status).toBe(400);
    expect(((await badSender.json()) as { title: string }).title).toBe('The sender’s address is not valid');
    const empty = await api.emailWebhook({ ...postmarkEmail(3, { subject: 'Hello', text: '' }), HtmlBody: '' });
    expect(empty.status).toBe(400);
    expect(await api.count('cases')).toBe(0);
  });

  it('logs no addresses, names or words', async () => {
    const receipt = (await (await api.emailWebhook(postmarkEmail(1, { subject: 'Blood test results', text: FIRST }))).json()) as Receipt;
    await api.call('POST', `/cases/${receipt.caseId}/messages`, { token, body: { body: REPLY } });
    await api.emailWebhook(postmarkEmail(2, { subject: 'x', text: FIRST }), 'wrong');
    const logs = api.log.text();
    expect(logs).toContain('email received');
    expect(logs).toContain('email webhook refused');
    for (const personal of [PATIENT.email, PATIENT.name, 'Blood test results', FIRST, REPLY, 'msg-1@mail.example.org']) expect(logs).not.toContain(personal);
  });
});

describe('email replies', () => {
  it('go to the address a web-form patient asked for, and are refused when no mail server is configured', async () => {
    const api = await startIntakeApi();
    try {
      const form = { type: 'question', description: FIRST, contactMethod: 'email', contactEmail: PATIENT.email };
      expect((await api.postForm(form)).status).toBe(303);
      const row = await api.store.db.selectFrom('cases').select(['id', 'reference']).executeTakeFirstOrThrow();
      const token = await api.tokenFor(api.users.handler.email);
      expect((await api.call('POST', `/cases/${row.id}/messages`, { token, body: { body: REPLY } })).status).toBe(201);
      expect(api.smtp.mails[0]?.headers.subject).toBe(`Re: Your message to Care Connect [${row.reference}]`);
    } finally {
      await api.close();
    }
    const withoutSmtp = await startIntakeApi({ intake: { emailSender: null } });
    try {
      await withoutSmtp.emailWebhook(postmarkEmail(1, { subject: 'Hello', text: FIRST }));
      const row = await withoutSmtp.store.db.selectFrom('cases').select('id').executeTakeFirstOrThrow();
      const token = await withoutSmtp.tokenFor(withoutSmtp.users.handler.email);
      const refused = await withoutSmtp.call('POST', `/cases/${row.id}/messages`, { token, body: { body: REPLY } });
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { detail: string }).detail).toContain('No mail server is configured');
      expect(await withoutSmtp.count('case_events')).toBe(2);
    } finally {
      await withoutSmtp.close();
    }
  });

  it('are refused, with the reason, for a patient who asked to be phoned', async () => {
    const api = await startIntakeApi();
    try {
      await api.postForm({ type: 'question', description: FIRST, contactMethod: 'phone', contactPhone: PATIENT.mobileAsTyped });
      const row = await api.store.db.selectFrom('cases').select('id').executeTakeFirstOrThrow();
      const token = await api.tokenFor(api.users.handler.email);
      const refused = await api.call('POST', `/cases/${row.id}/messages`, { token, body: { body: REPLY } });
      expect(refused.status).toBe(422);
      expect(((await refused.json()) as { detail: string }).detail).toBe('The patient asked to be phoned back. Call them on the number on the case.');
    } finally {
      await api.close();
    }
  });
});
