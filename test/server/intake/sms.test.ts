import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { AUTH_TOKEN, PATIENT, smsParams, startIntakeApi, type Dialect, type IntakeHarness } from './intake-harness';

const INBOUND = ['My mum has been waiting for a bed on ward 7 since this morning', 'She is 84 and has not had anything to eat', 'Thank you, someone has just brought her lunch'];
const REPLIES = ['Thank you for telling us. I have called the ward and they are looking into it now.', 'I am glad to hear it. Your reference is on this thread if you need us again.'];

interface MessageEvent {
  id: string;
  caseId: string;
  kind: string;
  body: string;
  value: { direction: string; channel: string; externalId: string | null };
  authorName: string;
  seq: number;
}

describe.each<Dialect>(['sqlite', 'postgres'])('SMS intake on %s', (dialect) => {
  let api: IntakeHarness;
  let token: string;
  beforeEach(async () => {
    api = await startIntakeApi({ dialect });
    token = await api.tokenFor(api.users.handler.email);
  });
  afterEach(async () => {
    await api.close();
  });

  it('threads a conversation of three messages and two replies on one SMS case, in order, as desks pull it', async () => {
    const first = await api.smsWebhook(smsParams(1, INBOUND[0]!));
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('text/xml');
    expect(await first.text()).toContain('<Response></Response>');
    const [caseRow] = await api.store.db.selectFrom('cases').selectAll().execute();
    expect(caseRow).toMatchObject({ channel: 'sms', team_id: api.teams.a });
    expect(JSON.parse(caseRow!.fields)).toMatchObject({ description: INBOUND[0], contactPhone: PATIENT.mobile });

    const reply1 = await api.call('POST', `/cases/${caseRow!.id}/messages`, { token, body: { body: REPLIES[0] } });
    expect(reply1.status).toBe(201);
    expect(await api.smsWebhook(smsParams(2, INBOUND[1]!))).toHaveProperty('status', 200);
    const reply2 = await api.call('POST', `/cases/${caseRow!.id}/messages`, { token, body: { body: REPLIES[1] } });
    expect(reply2.status).toBe(201);
    expect(await api.smsWebhook(smsParams(3, INBOUND[2]!))).toHaveProperty('status', 200);

    expect(await api.count('cases')).toBe(1);
    // Twilio was asked to send both replies to the patient's number.
    expect(api.sms.sent).toEqual(REPLIES.map((body) => ({ to: PATIENT.mobile, body })));

    const read = await api.call('GET', `/cases/${caseRow!.id}`, { token });
    const { events } = (await read.json()) as { events: MessageEvent[] };
    const thread = events.filter((event) => event.kind === 'message');
    expect(thread.map((event) => [event.value.direction, event.body])).toEqual([
      ['inbound', INBOUND[0]],
      ['outbound', REPLIES[0]],
      ['inbound', INBOUND[1]],
      ['outbound', REPLIES[1]],
      ['inbound', INBOUND[2]],
    ]);
    expect(thread[0]).toMatchObject({ authorName: 'Patient (SMS)', value: { channel: 'sms', externalId: smsParams(1, '').MessageSid } });
    expect(thread[1]).toMatchObject({ authorName: 'handler', value: { channel: 'sms', externalId: 'SM00000000000000000000000000000001' } });

    // A desk pulls the same thread, each event once, with the change numbers in conversation order.
    const pulled = (await api.pullAll(token)).filter((change) => change.entity === 'caseEvent').map((change) => change.data as MessageEvent);
    const pulledThread = pulled.filter((event) => event.kind === 'message');
    expect(pulledThread.map((event) => event.body)).toEqual(thread.map((event) => event.body));
    expect(pulledThread.map((event) => event.seq)).toEqual(thread.map((event) => event.seq));
    expect([...pulledThread.map((event) => event.seq)].sort((a, b) => a - b)).toEqual(pulledThread.map((event) => event.seq));
  });

  it('keeps a message Twilio delivers twice once', async () => {
    await api.smsWebhook(smsParams(1, INBOUND[0]!));
    await api.smsWebhook(smsParams(1, INBOUND[0]!));
    expect(await api.count('case_events')).toBe(2); // created, and the one message
  });

  it('keeps messages from one number arriving at once on one case', async () => {
    const responses = await Promise.all([1, 2, 3, 4, 5].map((n) => api.smsWebhook(smsParams(n, `Message ${n}`))));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await api.count('cases')).toBe(1);
    expect(await api.count('case_events')).toBe(6);
  });

  it('opens a new case once the earlier one is closed', async () => {
    await api.smsWebhook(smsParams(1, INBOUND[0]!));
    await api.store.db.updateTable('cases').set({ status: 'answered', closed_at: new Date().toISOString() }).execute();
    await api.smsWebhook(smsParams(2, 'A new question'));
    expect(await api.count('cases')).toBe(2);
  });

  it('refuses unsigned, wrongly signed and tampered webhooks with 403 and stores nothing', async () => {
    const changesBefore = await api.count('changes');
    const params = smsParams(1, INBOUND[0]!);
    expect((await api.smsWebhook(params, null)).status).toBe(403);
    expect((await api.smsWebhook(params, 'bm90IGEgc2lnbmF0dXJl')).status).toBe(403);
    // Signed for the Host the request came to, not the configured public URL: refused.
    expect((await api.smsWebhook(params, getExpectedTwilioSignature(AUTH_TOKEN, `${api.base}/twilio/sms`, params))).status).toBe(403);
    const signedOther = getExpectedTwilioSignature(AUTH_TOKEN, 'https://care-line.example.org/twilio/sms', { ...params, Body: 'something else' });
    expect((await api.smsWebhook(params, signedOther)).status).toBe(403);
    for (const table of ['cases', 'case_events', 'callers', 'intake_threads'] as const) expect(await api.count(table), table).toBe(0);
    expect(await api.count('changes')).toBe(changesBefore);
  });

  it('refuses a signed message with a bad sender or no text with a clear error, and stores nothing', async () => {
    const bad = await api.smsWebhook({ ...smsParams(1, 'hello'), From: 'NHSINFO' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { title: string }).title).toBe('The sender is not a phone number');
    const empty = await api.smsWebhook(smsParams(2, ''));
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { title: string }).title).toBe('The message is empty');
    expect(await api.count('cases')).toBe(0);
  });

  it('refuses a reply Twilio will not send, records nothing, and logs no number or words', async () => {
    await api.smsWebhook(smsParams(1, INBOUND[0]!));
    const [caseRow] = await api.store.db.selectFrom('cases').select('id').execute();
    const eventsBefore = await api.count('case_events');
    api.sms.failNext(true);
    const refused = await api.call('POST', `/cases/${caseRow!.id}/messages`, { token, body: { body: REPLIES[0] } });
    expect(refused.status).toBe(502);
    expect(((await refused.json()) as { detail: string }).detail).toContain('Nothing was recorded on the case');
    expect(await api.count('case_events')).toBe(eventsBefore);
    const logs = api.log.text();
    expect(logs).toContain('sms reply not sent');
    for (const personal of [PATIENT.mobile, '7400123456', INBOUND[0]!, REPLIES[0]!]) expect(logs).not.toContain(personal);
  });

  it('sends a retried reply once, and keeps replies to the case’s own team', async () => {
    await api.smsWebhook(smsParams(1, INBOUND[0]!));
    const [caseRow] = await api.store.db.selectFrom('cases').select('id').execute();
    const messageId = crypto.randomUUID();
    const once = await api.call('POST', `/cases/${caseRow!.id}/messages`, { token, body: { body: REPLIES[0], messageId } });
    const again = await api.call('POST', `/cases/${caseRow!.id}/messages`, { token, body: { body: REPLIES[0], messageId } });
    expect([once.status, again.status]).toEqual([201, 201]);
    expect(((await again.json()) as { id: string }).id).toBe(messageId);
    expect(api.sms.sent).toHaveLength(1);
    const outsider = await api.tokenFor(api.users.otherTeam.email);
    expect((await api.call('POST', `/cases/${caseRow!.id}/messages`, { token: outsider, body: { body: 'hello' } })).status).toBe(404);
    expect((await api.call('POST', `/cases/${caseRow!.id}/messages`, { body: { body: 'hello' } })).status).toBe(401);
    expect((await api.call('POST', `/cases/${caseRow!.id}/messages`, { token, body: { body: '   ' } })).status).toBe(400);
    expect(api.sms.sent).toHaveLength(1);
  });

  it('logs no numbers or message text', async () => {
    await api.smsWebhook(smsParams(1, INBOUND[0]!));
    const [caseRow] = await api.store.db.selectFrom('cases').select('id').execute();
    await api.call('POST', `/cases/${caseRow!.id}/messages`, { token, body: { body: REPLIES[0] } });
    await api.smsWebhook(smsParams(2, INBOUND[1]!), null);
    const logs = api.log.text();
    expect(logs).toContain('sms received');
    expect(logs).toContain('reply sent');
    expect(logs).toContain('sms webhook refused');
    for (const personal of [PATIENT.mobile, '7400123456', '7400 123456', INBOUND[0]!, INBOUND[1]!, REPLIES[0]!]) expect(logs).not.toContain(personal);
  });
});

describe('SMS replies without Twilio', () => {
  it('are refused with the reason, and nothing is recorded', async () => {
    const api = await startIntakeApi({ intake: { smsSender: null } });
    try {
      await api.smsWebhook(smsParams(1, INBOUND[0]!));
      const [caseRow] = await api.store.db.selectFrom('cases').select('id').execute();
      const token = await api.tokenFor(api.users.handler.email);
      const response = await api.call('POST', `/cases/${caseRow!.id}/messages`, { token, body: { body: REPLIES[0] } });
      expect(response.status).toBe(503);
      expect(((await response.json()) as { detail: string }).detail).toContain('Twilio is not configured');
      expect(await api.count('case_events')).toBe(2);
    } finally {
      await api.close();
    }
  });

  it('and with no SMS intake at all, the webhook says it is not configured', async () => {
    const api = await startIntakeApi({ intake: { sms: null } });
    try {
      expect((await api.smsWebhook(smsParams(1, 'hello'))).status).toBe(501);
      expect(await api.count('cases')).toBe(0);
    } finally {
      await api.close();
    }
  });
});
