import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change } from '../../../src-shared/sync/protocol';
import { linkIn, PROVIDER_EMAIL, startPublishingApi, type PublishingHarness } from '../moderation/publishing-harness';

const WORDS = 'My father Ignatius Fairweather was left on a trolley on Ward 7 for nine hours. Call 07400 123456.';
const CALLER = { callerName: 'Ignatius Fairweather', contactPhone: '+447400123456', contactEmail: 'ignatius.f@example.org', department: 'Ward 7' };
const SUMMARY = 'A patient was left on a trolley for nine hours before being given a bed.';
const RESPONSE = 'We are sorry. The ward manager has reviewed bed management and changed how trolley waits are escalated.';
const HOUR = 60 * 60 * 1000;

async function form(api: PublishingHarness, path: string, params: Record<string, string>): Promise<Response> {
  return fetch(`${api.base}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
}

describe.each(['sqlite', 'postgres'] as const)('sending cases to providers on %s', (dialect) => {
  let api: PublishingHarness;

  beforeAll(async () => {
    api = await startPublishingApi({ dialect, publishing: { linkTtlMs: 7 * 24 * HOUR } });
  });
  afterAll(() => api.close());

  async function refer(caseId: string, body: Record<string, unknown> = { summary: SUMMARY }): Promise<{ response: Response; link: string | null }> {
    const before = api.smtp.mails.length;
    const response = await api.call('POST', `/cases/${caseId}/provider-referrals`, { token: api.tokens.handler, body });
    const mail = api.smtp.mails[before];
    return { response, link: response.status === 201 && mail ? linkIn(mail.body) : null };
  }

  function caseChanges(changes: Change[], caseId: string) {
    return {
      events: changes.filter((c) => c.entity === 'caseEvent' && (c.data as { caseId: string }).caseId === caseId).map((c) => c.data as { kind: string; field: string | null; value: { step?: string; to?: string }; body: string | null; seq: number }),
      states: changes.filter((c) => c.entity === 'case' && c.entityId === caseId).map((c) => c.data as { status: string; closedAt: string | null; fieldSeqs: { status?: { seq: number; by: string } } }),
    };
  }

  it('emails the provider’s contact a link, never the caller’s words or details, and stores only the link’s hash', async () => {
    const { caseId, reference } = await api.createCase({ description: WORDS, ...CALLER });
    const { response, link } = await refer(caseId);
    expect(response.status).toBe(201);
    const referral = (await response.json()) as { id: string; mode: string; expiresAt: string };
    expect(referral.mode).toBe('link');
    const mail = api.smtp.mails.at(-1)!;
    expect(mail.to).toEqual([PROVIDER_EMAIL]);
    expect(mail.body.replace(/=\r?\n/g, '')).toContain(reference);
    for (const secret of ['Ignatius', 'Fairweather', '07400', 'ignatius.f@example.org', 'trolley', SUMMARY]) expect(mail.raw).not.toContain(secret);
    const token = link!.split('/').at(-1)!;
    const stored = await api.store.db.selectFrom('provider_referrals').selectAll().where('id', '=', referral.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const everything = JSON.stringify(await api.store.db.selectFrom('changes').select('data').execute()) + JSON.stringify(await api.store.db.selectFrom('case_events').selectAll().execute());
    expect(everything).not.toContain(token);
    expect(response.headers.get('content-type')).toContain('application/json');
  });

  it('refuses to send with a clear reason: no provider, no contact email, nothing moderated to summarise', async () => {
    const noProvider = await api.createCase({ description: WORDS, providerId: null });
    expect((await refer(noProvider.caseId)).response.status).toBe(422);
    const noEmail = await api.createCase({ description: WORDS, providerId: api.providers.withoutEmail.id });
    const refused = (await refer(noEmail.caseId)).response;
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { title: string }).title).toContain('no contact email');
    const unmoderated = await api.createCase({ description: WORDS });
    expect((await refer(unmoderated.caseId, {})).response.status).toBe(422);
    expect((await refer(unmoderated.caseId, { mode: 'summary' })).response.status).toBe(422);
    const other = await api.call('POST', `/cases/${unmoderated.caseId}/provider-referrals`, { token: api.tokens.otherSupervisor, body: { summary: SUMMARY } });
    expect(other.status).toBe(404);
  });

  it('puts the moderated description in the email when sent by summary', async () => {
    const { caseId } = await api.createCase({ description: WORDS, ...CALLER });
    const moderated = 'A patient waited nine hours on a trolley before a bed was found.';
    expect((await api.approve(caseId, moderated)).status).toBe(200);
    const { response } = await refer(caseId, { mode: 'summary' });
    expect(response.status).toBe(201);
    const body = api.smtp.mails.at(-1)!.body.replace(/=\r?\n/g, '');
    expect(body).toContain('A patient waited nine hours on a trolley');
    expect(body).not.toContain('Ignatius');
  });

  it('shows the provider only what it may see, records the first opening once, and takes its responses onto the case', async () => {
    const { caseId, reference } = await api.createCase({ description: WORDS, ...CALLER });
    const { link } = await refer(caseId);
    const page = await api.call('GET', link!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain(SUMMARY);
    expect(html).toContain(reference);
    expect(html).not.toMatch(/<script/i);
    for (const secret of ['Ignatius', 'Fairweather', '07400', 'ignatius.f@example.org']) expect(html).not.toContain(secret);
    await api.call('GET', link!);

    await api.advance(2 * HOUR);
    const ack = await form(api, link!, { outcome: 'acknowledged', response: 'Received; the ward manager is looking into it.' });
    expect(ack.status).toBe(303);
    expect(ack.headers.get('location')).toBe(`${link}?sent=1`);
    await api.advance(24 * HOUR);
    const done = await form(api, link!, { outcome: 'addressed', response: RESPONSE, publishable: 'yes' });
    expect(done.status).toBe(303);
    const after = await (await api.call('GET', `${link}?sent=1`)).text();
    expect(after).toContain('your response has been recorded');
    expect(after).toContain('The ward manager has reviewed bed management');

    const { events, states } = caseChanges(await api.pullAll('handler'), caseId);
    expect(events.filter((e) => e.kind === 'provider').map((e) => e.value.step)).toEqual(['sent', 'opened', 'acknowledged', 'addressed']);
    expect(events.find((e) => e.value.step === 'addressed')?.body).toBe(RESPONSE);
    expect(events.filter((e) => e.kind === 'status').map((e) => e.value.to)).toEqual(['in-progress', 'responded']);
    const last = states.at(-1)!;
    expect(last.status).toBe('responded');
    expect(last.closedAt).not.toBeNull();
    expect(last.fieldSeqs.status?.seq).toBeGreaterThan(0);
    expect(last.fieldSeqs.status?.by).toBe(`provider:${api.providers.withEmail.id}`);
    // The desk's own view of the case agrees.
    const read = (await (await api.call('GET', `/cases/${caseId}`, { token: api.tokens.handler })).json()) as { case: { status: string } };
    expect(read.case.status).toBe('responded');

    const times = await api.call('GET', '/reports/provider-times?from=2026-01-01&to=2026-12-31', { token: api.tokens.supervisor });
    expect(times.status).toBe(200);
    const report = (await times.json()) as { providers: { providerId: string; referrals: number; acknowledged: number; addressed: number; medianAcknowledgeMs: number | null; medianAddressMs: number | null }[] };
    const rj7 = report.providers.find((p) => p.providerId === api.providers.withEmail.id)!;
    expect(rj7.addressed).toBe(1);
    expect(rj7.medianAddressMs).toBe(26 * HOUR);
    expect(rj7.acknowledged).toBe(1);
    expect(rj7.medianAcknowledgeMs).toBe(2 * HOUR);
  });

  it('lets a moderator publish a provider’s response beside the feedback, after the same checks', async () => {
    const { caseId } = await api.createCase({ description: WORDS, ...CALLER });
    const outcome = (await (await api.approve(caseId, 'A patient was left on a trolley for many hours.')).json()) as { publicId: string };
    const { link } = await refer(caseId);
    await form(api, link!, { outcome: 'responded', response: 'Dear Mr Fairweather, we are sorry.', publishable: 'yes' });
    const view = (await (await api.call('GET', `/moderation/cases/${caseId}`, { token: api.tokens.supervisor })).json()) as { providerResponse: { text: string; highlights: { kind: string; text: string }[] } };
    expect(view.providerResponse.highlights.map((h) => h.text)).toEqual(['Mr Fairweather']);
    const refused = await api.call('POST', `/moderation/cases/${caseId}/response`, { token: api.tokens.supervisor, body: { text: view.providerResponse.text } });
    expect(refused.status).toBe(422);
    const published = await api.call('POST', `/moderation/cases/${caseId}/response`, { token: api.tokens.supervisor, body: { text: 'We are sorry, and have changed how trolley waits are escalated.' } });
    expect(published.status).toBe(200);
    const feed = (await (await api.call('GET', '/public/feedback?provider=RJ7')).json()) as { items: { id: string; response: { text: string } | null }[] };
    expect(feed.items.find((i) => i.id === outcome.publicId)?.response?.text).toBe('We are sorry, and have changed how trolley waits are escalated.');
  });

  it('ends a link when it is revoked, replaced or expired, and says which', async () => {
    const { caseId } = await api.createCase({ description: WORDS });
    const first = await refer(caseId);
    const second = await refer(caseId);
    const replaced = await api.call('GET', first.link!);
    expect(replaced.status).toBe(410);
    expect(await replaced.text()).toContain('withdrawn');
    expect((await api.call('GET', second.link!)).status).toBe(200);
    const referral = (await second.response.json()) as { id: string };
    const revoke = await api.call('POST', `/cases/${caseId}/provider-referrals/${referral.id}/revoke`, { token: api.tokens.handler });
    expect(revoke.status).toBe(200);
    expect((await api.call('GET', second.link!)).status).toBe(410);
    expect((await form(api, second.link!, { outcome: 'addressed', response: 'Too late' })).status).toBe(410);

    const third = await refer(caseId);
    await api.advance(8 * 24 * HOUR);
    const expired = await api.call('GET', third.link!);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('expired');
    expect((await api.call('GET', `/provider-response/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await api.call('GET', '/provider-response/not-a-token')).status).toBe(404);
    const list = (await (await api.call('GET', `/cases/${caseId}/provider-referrals`, { token: api.tokens.handler })).json()) as { items: { revokedAt: string | null }[] };
    expect(list.items).toHaveLength(3);
  });

  it('shows the form again with what to change, and refuses a response that is too long', async () => {
    const { caseId } = await api.createCase({ description: WORDS });
    const { link } = await refer(caseId);
    const empty = await form(api, link!, { response: '' });
    expect(empty.status).toBe(400);
    const html = await empty.text();
    expect(html).toContain('There is a problem');
    expect(html).toContain('href="#outcome-acknowledged"');
    expect(html).toContain('Write your response.');
    const tooLong = await form(api, link!, { outcome: 'responded', response: 'x'.repeat(70_000) });
    expect(tooLong.status).toBe(413);
    const longText = await form(api, link!, { outcome: 'responded', response: 'x'.repeat(5_001) });
    expect(longText.status).toBe(400);
    const { events } = caseChanges(await api.pullAll('handler'), caseId);
    expect(events.filter((e) => e.kind === 'provider').map((e) => e.value.step)).toEqual(['sent', 'opened']);
  });

  it('keeps links, responses and the caller’s details out of the logs', async () => {
    const text = api.log.text();
    expect(text).not.toMatch(/provider-response\/[A-Za-z0-9_-]{43}/);
    for (const secret of ['Ignatius', 'Fairweather', '07400 123456', RESPONSE, SUMMARY]) expect(text).not.toContain(secret);
    expect(text).toContain('/provider-response/[link]');
  });
});

describe('provider links without settings, and their rate limit', () => {
  let api: PublishingHarness;
  beforeAll(async () => {
    api = await startPublishingApi({ publishing: { publicBaseUrl: null, providerRateLimit: { limit: 2, windowMs: 60_000 } } });
  });
  afterAll(() => api.close());

  it('refuses to send a case when the API has no public address for links', async () => {
    const { caseId } = await api.createCase({ description: WORDS });
    const response = await api.call('POST', `/cases/${caseId}/provider-referrals`, { token: api.tokens.handler, body: { summary: SUMMARY } });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { detail: string }).detail).toContain('PUBLIC_URL');
    expect(await api.store.db.selectFrom('provider_referrals').selectAll().execute()).toEqual([]);
  });

  it('limits how often one address may try links', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await api.call('GET', `/provider-response/${'B'.repeat(43)}`)).status);
    expect(statuses).toEqual([404, 404, 429]);
  });
});
