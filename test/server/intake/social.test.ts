import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signBody } from '../../../src-server/intake/social-inbound';
import { startIntakeApi, type Dialect, type IntakeHarness } from './intake-harness';

const POST = 'Three hours in the waiting room at @StGeorgesTrust and still no update';
const DM = 'Following up by DM as you asked: I was there with my son, he is 12';

function socialMessage(id: string, kind: 'post' | 'direct-message', text: string) {
  return { platform: 'x', kind, id, author: { id: '1234567890', handle: '@patient_jo', name: 'Jo B' }, text, url: `https://x.com/patient_jo/status/${id}`, at: '2026-11-21T09:00:00Z' };
}

describe.each<Dialect>(['sqlite', 'postgres'])('social intake on %s', (dialect) => {
  let api: IntakeHarness;
  beforeEach(async () => {
    api = await startIntakeApi({ dialect });
  });
  afterEach(async () => {
    await api.close();
  });

  it('opens a social case from a post and keeps the same account’s direct message on it', async () => {
    const first = await api.socialWebhook(socialMessage('1001', 'post', POST));
    expect(first.status).toBe(200);
    const receipt = (await first.json()) as { caseId: string; reference: string; created: boolean };
    expect(receipt.created).toBe(true);
    const second = await api.socialWebhook(socialMessage('1002', 'direct-message', DM));
    expect((await second.json()) as { caseId: string }).toMatchObject({ caseId: receipt.caseId, created: false });
    const row = await api.store.db.selectFrom('cases').selectAll().executeTakeFirstOrThrow();
    expect(row.channel).toBe('social');
    const token = await api.tokenFor(api.users.handler.email);
    const { events } = (await (await api.call('GET', `/cases/${receipt.caseId}`, { token })).json()) as { events: { kind: string; body: string; value: { socialKind: string; platform: string } }[] };
    expect(events.filter((event) => event.kind === 'message').map((event) => [event.value.socialKind, event.body])).toEqual([
      ['post', POST],
      ['direct-message', DM],
    ]);
    // A reply cannot be posted to the network from here: the reason says where to reply.
    const reply = await api.call('POST', `/cases/${receipt.caseId}/messages`, { token, body: { body: 'Sorry to hear this' } });
    expect(reply.status).toBe(422);
    expect(((await reply.json()) as { detail: string }).detail).toBe('Reply on x itself: this API cannot post there.');
  });

  it('refuses an unsigned or wrongly signed body with 403 and stores nothing', async () => {
    const message = socialMessage('1001', 'post', POST);
    expect((await api.socialWebhook(message, null)).status).toBe(403);
    expect((await api.socialWebhook(message, signBody(JSON.stringify(message), 'another-secret-0123456789'))).status).toBe(403);
    expect((await api.socialWebhook(message, signBody(JSON.stringify({ ...message, text: 'other' }), 'social-secret-for-tests-0123456789'))).status).toBe(403);
    for (const table of ['cases', 'case_events', 'callers', 'intake_threads'] as const) expect(await api.count(table), table).toBe(0);
  });

  it('refuses a signed message of the wrong shape with an error per field, and stores nothing', async () => {
    const response = await api.socialWebhook({ platform: 'X Network!', kind: 'tweet', id: '', author: {}, text: '' });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: { pointer: string; message: string }[] };
    expect(problem.errors.map((error) => error.pointer).sort()).toEqual(['#/body/author/id', '#/body/id', '#/body/kind', '#/body/platform', '#/body/text']);
    expect(problem.errors.find((error) => error.pointer === '#/body/kind')?.message).toBe('kind must be "post" or "direct-message".');
    expect(await api.count('cases')).toBe(0);
  });

  it('logs no handles, names or words', async () => {
    await api.socialWebhook(socialMessage('1001', 'post', POST));
    const logs = api.log.text();
    expect(logs).toContain('social message received');
    for (const personal of ['patient_jo', 'Jo B', '1234567890', POST]) expect(logs).not.toContain(personal);
  });
});
