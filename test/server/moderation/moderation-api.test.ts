import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPublishingApi, type PublishingHarness } from './publishing-harness';

const CALLER = { callerName: 'Bernadette Quigley', contactPhone: '+447400123456', contactEmail: 'bernadette.q@example.org' };
const WORDS = 'My mum Bernadette Quigley, NHS 943 476 5919, waited nine hours in A&E and Nurse Okafor was rude. Call me on 07400 123456.';
const CLEAN = 'A relative waited nine hours in the emergency department and a nurse was rude to them.';

interface Feed {
  items: { id: string; description: string }[];
  total: number;
}

describe.each(['sqlite', 'postgres'] as const)('moderation on %s', (dialect) => {
  let api: PublishingHarness;

  beforeAll(async () => {
    api = await startPublishingApi({ dialect });
  });
  afterAll(() => api.close());

  async function feed(): Promise<Feed> {
    return (await (await api.call('GET', '/public/feedback')).json()) as Feed;
  }

  it('queues publishable feedback of the moderator’s teams only, oldest first', async () => {
    const first = await api.createCase({ description: 'First', at: '2026-03-01T10:00:00.000Z' });
    const second = await api.createCase({ description: 'Second', at: '2026-03-02T10:00:00.000Z' });
    const noConsent = await api.createCase({ description: 'Private', publishConsent: false });
    const question = await api.createCase({ description: 'A question', type: 'question', publishConsent: true });
    const response = await api.call('GET', '/moderation/queue', { token: api.tokens.supervisor });
    expect(response.status).toBe(200);
    const ids = ((await response.json()) as { items: { caseId: string; state: string }[] }).items.map((item) => item.caseId);
    expect(ids.indexOf(first.caseId)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(first.caseId)).toBeLessThan(ids.indexOf(second.caseId));
    expect(ids).not.toContain(noConsent.caseId);
    expect(ids).not.toContain(question.caseId);
    const other = await api.call('GET', '/moderation/queue', { token: api.tokens.otherSupervisor });
    expect(((await other.json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('shows the caller’s words with their identifying details highlighted, and audits the read', async () => {
    const { caseId } = await api.createCase({ description: WORDS, ...CALLER });
    const response = await api.call('GET', `/moderation/cases/${caseId}`, { token: api.tokens.supervisor });
    expect(response.status).toBe(200);
    const view = (await response.json()) as { callerWords: string; callerWordsHighlights: { kind: string; text: string }[]; state: string };
    expect(view.callerWords).toBe(WORDS);
    expect(view.state).toBe('new');
    expect(view.callerWordsHighlights.map((h) => `${h.kind}: ${h.text}`)).toEqual(['name: Bernadette Quigley', 'nhs-number: 943 476 5919', 'name: Nurse Okafor', 'phone: 07400 123456']);
    const audit = await api.store.auditFor(caseId);
    expect(audit.at(-1)).toMatchObject({ userId: api.users.supervisor, reason: 'Moderation' });
    // Another team's supervisor and a handler cannot read it.
    expect((await api.call('GET', `/moderation/cases/${caseId}`, { token: api.tokens.otherSupervisor })).status).toBe(404);
    expect((await api.call('GET', `/moderation/cases/${caseId}`, { token: api.tokens.handler })).status).toBe(403);
  });

  it('refuses to approve text that still holds identifying details, listing each, and publishes nothing', async () => {
    const { caseId } = await api.createCase({ description: WORDS, ...CALLER });
    const before = (await feed()).total;
    const response = await api.approve(caseId, 'Ms Quigley waited nine hours; her NHS number is 9434765919.');
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await response.json()) as { errors: { code: string; message: string }[]; highlights: { kind: string; text: string }[] };
    expect(problem.highlights.map((h) => h.kind)).toEqual(['name', 'nhs-number']);
    expect(problem.errors.map((e) => e.code)).toEqual(['identifying-detail/name', 'identifying-detail/nhs-number']);
    expect((await feed()).total).toBe(before);
  });

  it('refuses the caller’s own words as the moderated description', async () => {
    const words = 'The staff on the ward were kind but the food was cold.';
    const { caseId } = await api.createCase({ description: words });
    const response = await api.approve(caseId, words);
    expect(response.status).toBe(422);
    expect(((await response.json()) as { title: string }).title).toContain('never published');
  });

  it('publishes a detail only when the moderator overrides it with a reason, and records the override', async () => {
    const { caseId } = await api.createCase({ description: WORDS, ...CALLER });
    const text = 'Thanks to Dr Patel, who explained everything clearly.';
    const short = await api.approve(caseId, text, 'supervisor', [{ kind: 'name', text: 'Dr Patel', reason: 'ok' }]);
    expect(short.status).toBe(400);
    const wrongText = await api.approve(caseId, text, 'supervisor', [{ kind: 'name', text: 'Dr Pate', reason: 'Staff member named in praise' }]);
    expect(wrongText.status).toBe(422);
    const approved = await api.approve(caseId, text, 'supervisor', [{ kind: 'name', text: 'Dr Patel', reason: 'Staff member named in praise' }]);
    expect(approved.status).toBe(200);
    const outcome = (await approved.json()) as { state: string; publicId: string };
    expect(outcome.state).toBe('published');
    expect((await feed()).items.find((item) => item.id === outcome.publicId)?.description).toBe(text);
    const events = (await api.pullAll('handler')).filter((c) => c.entity === 'caseEvent' && (c.data as { caseId: string }).caseId === caseId).map((c) => c.data as { kind: string; value: { step: string; overrides?: unknown[] } });
    const approval = events.find((e) => e.kind === 'moderation' && e.value.step === 'approved');
    expect(approval?.value.overrides).toEqual([{ kind: 'name', text: 'Dr Patel', reason: 'Staff member named in praise' }]);
  });

  it('needs a second, different moderator for a case flagged for second-tier moderation', async () => {
    const { caseId } = await api.createCase({ description: WORDS, ...CALLER, needsSecondModeration: true });
    const first = await api.approve(caseId, CLEAN);
    expect(await first.json()).toEqual({ state: 'awaiting-second', publicId: null });
    expect((await feed()).items.map((i) => i.description)).not.toContain(CLEAN);
    const again = await api.approve(caseId, CLEAN);
    expect(again.status).toBe(403);
    expect(((await again.json()) as { title: string }).title).toContain('second moderator');
    // A changed text starts again: the second moderator's edit needs the first's approval.
    const edited = await api.approve(caseId, `${CLEAN} They were not told why.`, 'secondSupervisor');
    expect(((await edited.json()) as { state: string }).state).toBe('awaiting-second');
    const second = await api.approve(caseId, `${CLEAN} They were not told why.`, 'supervisor');
    const outcome = (await second.json()) as { state: string; publicId: string };
    expect(outcome.state).toBe('published');
    expect((await feed()).items.find((i) => i.id === outcome.publicId)?.description).toBe(`${CLEAN} They were not told why.`);
    const view = (await (await api.call('GET', `/moderation/cases/${caseId}`, { token: api.tokens.supervisor })).json()) as { firstModerator: { id: string }; secondModerator: { id: string } };
    expect(view.firstModerator.id).toBe(api.users.secondSupervisor);
    expect(view.secondModerator.id).toBe(api.users.supervisor);
  });

  it('refuses to publish without consent, a provider or a category', async () => {
    for (const input of [{ publishConsent: false }, { providerId: null }, { category: null }]) {
      const { caseId } = await api.createCase({ description: WORDS, ...input });
      const response = await api.approve(caseId, CLEAN);
      expect(response.status, JSON.stringify(input)).toBe(422);
    }
  });

  it('withdraws published feedback, and hides it at once when the caller takes back consent', async () => {
    const one = await api.createCase({ description: WORDS });
    const two = await api.createCase({ description: WORDS });
    const idOne = ((await (await api.approve(one.caseId, 'Withdrawn later: the wait was long.')).json()) as { publicId: string }).publicId;
    const idTwo = ((await (await api.approve(two.caseId, 'Consent taken back: the wait was long.')).json()) as { publicId: string }).publicId;
    const reject = await api.call('POST', `/moderation/cases/${one.caseId}/reject`, { token: api.tokens.supervisor, body: { reason: 'The caller asked us to remove it' } });
    expect(await reject.json()).toEqual({ state: 'rejected', withdrawn: true });
    // The desk turns the consent off.
    const flags = { publishConsent: false, showNameConsent: false, under16: false, onBehalfOf: false, formalComplaint: false, safeguarding: false, possibleBreach: false, needsSecondModeration: false, relatesToPreviousCase: false };
    const push = await api.call('POST', '/sync/push', { token: api.tokens.handler, body: { clientId: crypto.randomUUID(), mutations: [{ id: 1, name: 'case.updateField', args: { caseId: two.caseId, field: 'flags', value: flags, at: new Date().toISOString() } }] } });
    expect(push.status).toBe(200);
    const ids = (await feed()).items.map((i) => i.id);
    expect(ids).not.toContain(idOne);
    expect(ids).not.toContain(idTwo);
  });

  it('records every step on the case’s timeline for the team’s desks, and none for another team', async () => {
    const { caseId } = await api.createCase({ description: WORDS, ...CALLER });
    await api.call('PUT', `/moderation/cases/${caseId}/draft`, { token: api.tokens.supervisor, body: { text: 'Draft in progress' } });
    await api.approve(caseId, CLEAN);
    const changes = await api.pullAll('handler');
    const steps = changes
      .filter((c) => c.entity === 'caseEvent' && (c.data as { caseId: string }).caseId === caseId && (c.data as { kind: string }).kind === 'moderation')
      .map((c) => (c.data as { value: { step: string } }).value.step);
    expect(steps).toEqual(['draft-saved', 'approved', 'published']);
    const seqs = changes.filter((c) => c.entity === 'caseEvent' && (c.data as { caseId: string }).caseId === caseId).map((c) => (c.data as { seq: number }).seq);
    expect(seqs.every((seq) => seq > 0)).toBe(true);
    const other = await api.call('POST', '/sync/pull', { token: api.tokens.otherSupervisor, body: { clientId: crypto.randomUUID(), cursor: 0 } });
    expect(await other.text()).not.toContain(caseId);
  });

  it('keeps the caller’s words, details and the moderated text out of the logs', () => {
    const text = api.log.text();
    for (const secret of [WORDS, 'Bernadette', 'Quigley', '943 476 5919', '07400 123456', '+447400123456', CLEAN, 'Dr Patel']) expect(text).not.toContain(secret);
  });
});
