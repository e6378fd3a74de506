import { afterEach, describe, expect, it } from 'vitest';
import { INTAKE_USER } from '../../../src-server/intake/intake-store';
import { smsParams, startIntakeApi, type Dialect, type IntakeHarness } from '../intake/intake-harness';

describe.each<Dialect>(['sqlite', 'postgres'])('claiming a contact from the shared inbox (%s)', (dialect) => {
  let api: IntakeHarness;
  afterEach(() => api.close());

  async function smsContact(n: number): Promise<string> {
    api.clock.advance(1000);
    const response = await api.smsWebhook(smsParams(n, 'Is the walk-in centre open on Sunday?', `+4474001234${String(n).padStart(2, '0')}`));
    expect(response.status).toBe(200);
    const rows = await api.store.db.selectFrom('cases').select(['id']).orderBy('created_at', 'desc').execute();
    return rows[0]!.id;
  }

  async function ownerOf(caseId: string): Promise<string> {
    return (await api.store.db.selectFrom('cases').select('owner_id').where('id', '=', caseId).executeTakeFirstOrThrow()).owner_id;
  }

  it('gives the contact to exactly one of two handlers who claim it at the same moment, and tells the other who has it', async () => {
    api = await startIntakeApi({ dialect });
    const caseId = await smsContact(1);
    expect(await ownerOf(caseId)).toBe(INTAKE_USER.id);
    const [handler, supervisor] = await Promise.all([api.tokenFor(api.users.handler.email), api.tokenFor(api.users.supervisor.email)]);

    const answers = await Promise.all([handler, supervisor].map((token) => api.call('POST', `/cases/${caseId}/claim`, { token })));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 409]);
    const winner = answers.findIndex((answer) => answer.status === 200);
    const winnerId = winner === 0 ? api.users.handler.id : api.users.supervisor.id;
    const winnerName = winner === 0 ? 'handler' : 'supervisor';
    expect(await answers[winner]!.json()).toMatchObject({ id: caseId, ownerId: winnerId });
    const refusal = (await answers[1 - winner]!.json()) as { title: string; status: number };
    expect(refusal).toMatchObject({ status: 409, title: `Already taken by ${winnerName}.` });
    expect(await ownerOf(caseId)).toBe(winnerId);

    // The new owner reaches every desk of the team by sync: the newest case change says who has it.
    const changes = await api.pullAll(handler);
    const states = changes.filter((change) => change.entity === 'case' && change.entityId === caseId).map((change) => (change.data as { ownerId: string }).ownerId);
    expect(states).toEqual([INTAKE_USER.id, winnerId]);
  });

  it('answers the owner again when they claim a second time, and refuses another team and a closed contact', async () => {
    api = await startIntakeApi({ dialect });
    const caseId = await smsContact(2);
    const handler = await api.tokenFor(api.users.handler.email);
    expect((await api.call('POST', `/cases/${caseId}/claim`, { token: handler })).status).toBe(200);
    const again = await api.call('POST', `/cases/${caseId}/claim`, { token: handler });
    expect(again.status).toBe(200);
    const changes = await api.pullAll(handler);
    expect(changes.filter((change) => change.entity === 'case' && change.entityId === caseId)).toHaveLength(2);

    const otherTeam = await api.tokenFor(api.users.otherTeam.email);
    const hidden = await api.call('POST', `/cases/${caseId}/claim`, { token: otherTeam });
    expect(hidden.status).toBe(404);
    expect(await ownerOf(caseId)).toBe(api.users.handler.id);

    const closedId = await smsContact(3);
    await api.store.db.updateTable('cases').set({ status: 'answered', closed_at: new Date().toISOString() }).where('id', '=', closedId).execute();
    const closed = await api.call('POST', `/cases/${closedId}/claim`, { token: handler });
    expect(closed.status).toBe(409);
    expect(((await closed.json()) as { title: string }).title).toBe('This contact is already closed.');
    expect(await ownerOf(closedId)).toBe(INTAKE_USER.id);
  });
});
