import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesktopCore, type DesktopCore } from '../../../../src-main/core/desktop-core';
import { createRequestHandlers } from '../../../../src-main/core/handlers';
import { createModerationService, type ModerationService } from '../../../../src-main/core/moderation/moderation-service';
import { capturingLogger, tempDir } from '../../../helpers';
import { PASSWORD } from '../../../server/api-harness';
import { linkIn, PROVIDER_EMAIL, startPublishingApi, type Persona, type PublishingHarness } from '../../../server/moderation/publishing-harness';

/**
 * The desk's moderation and referral requests over real HTTP on loopback, against the real central API (publishing on,
 * a real SMTP server): what the desk hands the renderer is what the API decided, refusals included.
 */
const CALLER = { callerName: 'Bernadette Quigley', contactPhone: '+447400123456', contactEmail: 'bernadette.q@example.org' };
const WORDS = 'My mum Bernadette Quigley, NHS 943 476 5919, waited nine hours in A&E and Nurse Okafor was rude. Call me on 07400 123456.';
const CLEAN = 'A relative waited nine hours in the emergency department and a nurse was rude to them.';

describe('the desk’s moderation service', () => {
  let api: PublishingHarness;
  const providerNames = new Map([['provider-rj7', 'St George’s Hospital']]);

  beforeAll(async () => {
    api = await startPublishingApi();
  });
  afterAll(() => api.close());

  const serviceFor = (persona: Persona): ModerationService =>
    createModerationService({ baseUrl: api.base, fetch, getAccessToken: async () => api.tokens[persona], providerName: (id) => providerNames.get(id) ?? null });

  it('lists the queue oldest first with the provider’s name from the desk, and only for moderators', async () => {
    const first = await api.createCase({ description: 'First', at: '2026-03-01T10:00:00.000Z' });
    const second = await api.createCase({ description: 'Second', at: '2026-03-02T10:00:00.000Z' });
    const { items } = await serviceFor('supervisor').queue('pending');
    const ids = items.map((item) => item.caseId);
    expect(ids.indexOf(first.caseId)).toBeLessThan(ids.indexOf(second.caseId));
    expect(items.find((item) => item.caseId === first.caseId)).toMatchObject({ reference: first.reference, providerName: 'St George’s Hospital', state: 'new', category: 'staff-attitude' });
    await expect(serviceFor('handler').queue('pending')).rejects.toMatchObject({ code: 'forbidden' });
    expect((await serviceFor('otherSupervisor').queue('all')).items).toEqual([]);
  });

  it('reads a case with the caller’s words and their details, and says plainly when it is not the moderator’s', async () => {
    const { caseId } = await api.createCase({ description: WORDS, ...CALLER });
    const view = await serviceFor('supervisor').get(caseId);
    expect(view.callerWords).toBe(WORDS);
    expect(view.providerName).toBe('St George’s Hospital');
    expect(view.callerWordsHighlights.map((h) => `${h.kind}: ${h.text}`)).toEqual(['name: Bernadette Quigley', 'nhs-number: 943 476 5919', 'name: Nurse Okafor', 'phone: 07400 123456']);
    await expect(serviceFor('otherSupervisor').get(caseId)).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('No such case in your teams') });
  });

  it('answers an approval with each detail still in the text, then publishes once each is overridden with a reason', async () => {
    const { caseId } = await api.createCase({ description: WORDS, ...CALLER });
    const service = serviceFor('supervisor');
    const text = 'Thanks to Dr Patel; the family of Ms Quigley were kept waiting.';
    const refused = await service.approve(caseId, text, []);
    expect(refused.outcome).toBe('details-remain');
    if (refused.outcome !== 'details-remain') throw new Error('expected a refusal');
    expect(refused.details.map((d) => `${d.kind}: ${d.text}`)).toEqual(['name: Dr Patel', 'name: Ms Quigley']);
    expect(refused.details[0]!.message).toBe('Name “Dr Patel” (characters 11 to 18)');
    expect(refused.message).toContain('The text still contains identifying details');
    // Nothing was published.
    expect((await service.get(caseId)).state).toBe('new');

    const stillOne = await service.approve(caseId, text, [{ kind: 'name', text: 'Dr Patel', reason: 'Staff member named in praise' }]);
    expect(stillOne.outcome === 'details-remain' && stillOne.details.map((d) => d.text)).toEqual(['Ms Quigley']);
    const approved = await service.approve(caseId, 'Thanks to Dr Patel, who explained everything clearly.', [{ kind: 'name', text: 'Dr Patel', reason: 'Staff member named in praise' }]);
    expect(approved).toMatchObject({ outcome: 'approved', state: 'published' });
    const feed = (await (await api.call('GET', '/public/feedback')).json()) as { items: { id: string; description: string }[] };
    expect(feed.items.find((item) => approved.outcome === 'approved' && item.id === approved.publicId)?.description).toBe('Thanks to Dr Patel, who explained everything clearly.');
  });

  it('refuses other reasons not to publish as sentences: the caller’s own words', async () => {
    const words = 'The staff on the ward were kind but the food was cold.';
    const { caseId } = await api.createCase({ description: words });
    await expect(serviceFor('supervisor').approve(caseId, words, [])).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringContaining('never published') });
  });

  it('saves a draft with its details, and needs a second, different moderator where the case says so', async () => {
    const { caseId } = await api.createCase({ description: WORDS, ...CALLER, needsSecondModeration: true });
    const saved = await serviceFor('supervisor').saveDraft(caseId, 'Draft about bernadette');
    expect(saved.state).toBe('draft');
    expect(saved.draftHighlights.map((h) => h.text)).toEqual(['bernadette']);
    expect(await serviceFor('supervisor').approve(caseId, CLEAN, [])).toEqual({ outcome: 'approved', state: 'awaiting-second', publicId: null });
    const waiting = await serviceFor('secondSupervisor').get(caseId);
    expect(waiting.state).toBe('awaiting-second');
    expect(waiting.firstModerator?.name).toBe('supervisor');
    await expect(serviceFor('supervisor').approve(caseId, CLEAN, [])).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('second moderator') });
    expect(await serviceFor('secondSupervisor').approve(caseId, CLEAN, [])).toMatchObject({ outcome: 'approved', state: 'published' });
  });

  it('rejects with a reason and lists the case under rejected', async () => {
    const { caseId } = await api.createCase({ description: WORDS });
    const service = serviceFor('supervisor');
    expect(await service.reject(caseId, 'Names a member of staff throughout')).toEqual({ state: 'rejected', withdrawn: false });
    expect((await service.queue('rejected')).items.map((item) => item.caseId)).toContain(caseId);
    expect((await service.queue('pending')).items.map((item) => item.caseId)).not.toContain(caseId);
  });

  it('sends a case to its provider, lists the link’s progress, revokes it, and refuses a case the API does not have yet', async () => {
    const { caseId } = await api.createCase({ description: WORDS, ...CALLER });
    const service = serviceFor('handler');
    const before = api.smtp.mails.length;
    const sent = await service.sendToProvider(caseId, 'link', 'A patient waited nine hours for a bed.');
    expect(sent).toMatchObject({ caseId, mode: 'link', revokedAt: null, firstOpenedAt: null });
    const mail = api.smtp.mails[before]!;
    expect(mail.to).toEqual([PROVIDER_EMAIL]);
    const link = linkIn(mail.body);
    await api.call('GET', link);
    expect((await service.referrals(caseId)).items[0]).toMatchObject({ id: sent.id, firstOpenedAt: expect.any(String) });
    const revoked = await service.revokeReferral(caseId, sent.id);
    expect(revoked.revokedAt).not.toBeNull();
    expect((await api.call('GET', link)).status).toBe(410);

    await expect(service.sendToProvider(caseId, 'summary')).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringContaining('moderated') });
    const unsynced = crypto.randomUUID();
    await expect(service.sendToProvider(unsynced, 'link', 'Summary')).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('next sync') });
    expect(await service.referrals(unsynced)).toEqual({ items: [] });
  });

  it('publishes a provider’s response only without identifying details', async () => {
    const { caseId } = await api.createCase({ description: WORDS, ...CALLER });
    const service = serviceFor('supervisor');
    expect((await service.approve(caseId, CLEAN, [])).outcome).toBe('approved');
    const refused = await service.publishResponse(caseId, 'Dear Mrs Quigley, we are sorry.', []);
    expect(refused.outcome === 'details-remain' && refused.details.map((d) => d.text)).toEqual(['Mrs Quigley']);
    expect(await service.publishResponse(caseId, 'We are sorry, and have changed how waits are escalated.', [])).toMatchObject({ outcome: 'approved', state: 'published' });
  });

  describe('through the desk’s contract handlers, signed in as the supervisor', () => {
    let core: DesktopCore;
    const dir = tempDir();
    beforeAll(async () => {
      core = createDesktopCore({
        dataDir: dir.path,
        centralApiUrl: api.base,
        centralApiEmbedded: false,
        fetch,
        clock: api.clock,
        logger: capturingLogger('core').logger,
        appName: 'Care Connect Desk',
        appVersion: '0.0.0-test',
        shell: 'browser',
        platform: 'linux',
        autoSync: false,
        liveEvents: false,
      });
      await core.signIn('supervisor@a.test', PASSWORD);
    });
    afterAll(() => {
      core.close();
      dir.remove();
    });

    it('answers the moderation requests from the API', async () => {
      const { caseId, reference } = await api.createCase({ description: WORDS, ...CALLER });
      const handlers = createRequestHandlers(core);
      const { items } = await handlers['moderation.queue']({ state: 'pending' });
      expect(items.map((item) => item.reference)).toContain(reference);
      const refused = await handlers['moderation.approve']({ caseId, text: 'About Nurse Okafor.', overrides: [] });
      expect(refused.outcome).toBe('details-remain');
      expect(await handlers['moderation.approve']({ caseId, text: CLEAN, overrides: [] })).toMatchObject({ outcome: 'approved', state: 'published' });
      expect((await handlers['referrals.send']({ caseId, mode: 'summary' })).mode).toBe('summary');
      expect((await handlers['referrals.list']({ caseId })).items).toHaveLength(1);
    });
  });
});
