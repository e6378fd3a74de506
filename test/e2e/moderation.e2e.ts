import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpServer } from '../server/intake/intake-harness';
import { launchBrowser, openSignedIn, type RunningApp, screenshotPath, startBrowserMode } from './browser-mode-harness';

/**
 * Feedback from the web form to the public feed and the provider, in browser mode against the embedded API: the demo
 * supervisor moderates it (a detail left in the draft blocks approval until removed), it is published without the
 * caller's words or details, it is emailed to the provider through a real SMTP server on loopback, and the provider's
 * response through its page closes the case on the desk.
 */
const CALLER_NAME = 'Bernadette Quigley';
const CALLER_EMAIL = 'bernadette.q@example.org';
const WORDS = `I am ${CALLER_NAME}. My NHS number is 943 476 5919 and my mobile is 07400 123456. I waited nine hours in A&E and Nurse Okafor was rude to me.`;
const DRAFT_WITH_DETAIL = 'A patient waited nine hours in the emergency department and a nurse was rude to them. NHS number 943 476 5919.';
const MODERATED = 'A patient waited nine hours in the emergency department and a nurse was rude to them.';
const PROVIDER = { id: 'provider-rx1', name: 'Northbridge Hospitals NHS Foundation Trust', email: 'patient-feedback@northbridge.example.org' };
const RESPONSE = 'We are sorry. The department has reviewed how long patients wait and how staff speak to them.';
const SECRETS = [WORDS, CALLER_NAME, 'Bernadette', 'Quigley', '943 476 5919', '9434765919', '07400 123456', '+447400123456', CALLER_EMAIL, 'Okafor'];

describe('publishable feedback, moderated, published and answered by its provider', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let apiUrl = '';
  let reference = '';
  let supervisorToken = '';
  let pageErrors: string[] = [];

  async function token(email: string, password: string): Promise<string> {
    const response = await fetch(`${apiUrl}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    expect(response.status).toBe(200);
    return ((await response.json()) as { accessToken: string }).accessToken;
  }

  async function syncNow(): Promise<void> {
    await page.getByRole('button', { name: 'Sync now' }).click();
  }

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startBrowserMode({ CARE_DESK_SMTP_URL: smtp.url, CARE_DESK_SMTP_FROM: 'Care Connect <providers@care-line.example.org>', CARE_DESK_SIMULATOR: 'off' });
    browser = await launchBrowser();
    ({ page, errors: pageErrors, apiUrl } = await openSignedIn(browser, app, { email: 'supervisor@demo.careconnect.test', password: 'demo-supervisor-2026', context: { viewport: { width: 1440, height: 1100 }, locale: 'en-GB', timezoneId: 'Europe/London' } }));
    supervisorToken = await token('supervisor@demo.careconnect.test', 'demo-supervisor-2026');
    // An administrator gives the provider the address its feedback goes to (the demo providers have none).
    const admin = await token('admin@demo.careconnect.test', 'demo-admin-2026');
    const changed = await fetch(`${apiUrl}/admin/providers/${PROVIDER.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify({ contactEmail: PROVIDER.email }) });
    expect(changed.status).toBe(200);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await smtp?.close();
  });

  it('takes feedback with consent to publish through the web form, and the desk gives it a category', async () => {
    const form = new URLSearchParams({ type: 'feedback', providerId: PROVIDER.id, description: WORDS, name: CALLER_NAME, publishConsent: 'yes', contactMethod: 'email', contactEmail: CALLER_EMAIL, contact_me_by_fax_only: '' });
    const sent = await fetch(`${apiUrl}/contact`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    expect(sent.status).toBe(303);
    reference = new URL(sent.headers.get('location')!, apiUrl).searchParams.get('reference')!;
    expect(reference).toMatch(/^CC-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    // The web form asks for no category; the supervisor's desk pulls the case and sets one, as a handler would.
    await syncNow();
    await page.getByLabel('Search cases').fill(reference);
    await page.getByRole('button', { name: new RegExp(reference) }).first().click();
    await expect.poll(() => page.getByTestId('case-reference').textContent()).toBe(reference);
    await page.getByLabel(/^Category/).selectOption({ label: 'Staff attitude' });
    await expect.poll(() => page.getByTestId('save-state').textContent()).toMatch(/All changes saved/);
    await syncNow();
    await expect
      .poll(async () => {
        const queue = (await (await fetch(`${apiUrl}/moderation/queue`, { headers: { authorization: `Bearer ${supervisorToken}` } })).json()) as { items: { reference: string; category: string | null }[] };
        return queue.items.find((item) => item.reference === reference)?.category ?? null;
      }, { timeout: 20_000 })
      .toBe('staff-attitude');
  });

  it('is moderated by the demo supervisor: a detail left in the draft blocks approval until it is removed', async () => {
    await page.getByRole('button', { name: 'Moderation' }).click();
    await page.getByRole('heading', { name: 'Moderation', level: 1 }).waitFor();
    await page.getByTestId(`moderation-item-${reference}`).click();
    await page.getByRole('heading', { name: new RegExp(`Feedback ${reference}`) }).waitFor();

    const callerMarks = await page.getByTestId('caller-words').locator('mark').allTextContents();
    expect(callerMarks).toEqual([`Name: ${CALLER_NAME}`, 'NHS number: 943 476 5919', 'Phone number: 07400 123456', 'Name: Nurse Okafor']);
    await expect.poll(() => page.getByRole('region', { name: /Caller’s words/ }).getByText('never published').isVisible()).toBe(true);

    const editor = page.getByLabel('Moderated description (published)');
    await editor.pressSequentially(DRAFT_WITH_DETAIL, { delay: 0 });
    await expect.poll(() => page.getByTestId('moderated-description-highlights').locator('mark').allTextContents()).toEqual(['943 476 5919']);
    await expect.poll(() => page.getByTestId('moderated-description-count').textContent()).toContain('1 identifying detail found');
    await page.getByRole('button', { name: 'Approve' }).click();
    const refusal = page.getByTestId('moderated-description-refusal');
    await expect.poll(() => refusal.textContent()).toContain('NHS number “943 476 5919”');
    await expect.poll(() => page.getByLabel(/Reason to publish NHS number/).getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: screenshotPath('moderation.png'), fullPage: true });

    const results = await new AxeBuilder({ page }).include('#moderation-view').analyze();
    const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);

    await editor.fill(MODERATED);
    await expect.poll(() => page.getByTestId('moderated-description-count').textContent()).toBe('No identifying details found.');
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.getByTestId('moderation-outcome').textContent()).toContain('Approved and published');
    await expect.poll(() => page.getByTestId('moderator-status').textContent()).toContain('Published, approved by Priya Shah');
  });

  it('appears in the public feed with the moderated description only: none of the caller’s words or details', async () => {
    const response = await fetch(`${apiUrl}/public/feedback`);
    expect(response.status).toBe(200);
    const text = await response.text();
    const feed = JSON.parse(text) as { items: { description: string; provider: { name: string } | string }[] };
    expect(feed.items.map((item) => item.description)).toContain(MODERATED);
    const html = await (await fetch(`${apiUrl}/public/feedback.html`)).text();
    expect(html).toContain(MODERATED);
    for (const secret of [...SECRETS, reference]) {
      expect(text, secret).not.toContain(secret);
      expect(html, secret).not.toContain(secret);
    }
  });

  it('goes to the provider by email; the provider’s response through its page closes the case on the desk', async () => {
    await page.getByRole('button', { name: 'My desk' }).click();
    await expect.poll(() => page.getByTestId('case-reference').textContent()).toBe(reference);
    const referral = page.getByRole('region', { name: 'Send to provider' });
    await referral.getByRole('radio', { name: /moderated description in the email/ }).check();
    await referral.getByRole('button', { name: 'Send to provider' }).click();
    await expect.poll(() => page.getByTestId('referral-outcome').textContent()).toContain(`Sent to ${PROVIDER.name}`);
    await expect.poll(() => page.getByTestId('referral-state').textContent()).toBe('Sent');

    await expect.poll(() => smtp.mails.length).toBe(1);
    const mail = smtp.mails[0]!;
    expect(mail.to).toEqual([PROVIDER.email]);
    const body = mail.raw.replace(/=\r?\n/g, '');
    expect(body).toContain(MODERATED);
    for (const secret of SECRETS) expect(body, secret).not.toContain(secret);
    const link = /(http:\/\/127\.0\.0\.1:\d+\/provider-response\/[A-Za-z0-9_-]{43})/.exec(body)![1]!;

    const providerPage = await fetch(link);
    expect(providerPage.status).toBe(200);
    expect(await providerPage.text()).toContain(MODERATED);
    const answered = await fetch(link, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ outcome: 'addressed', response: RESPONSE, publishable: 'yes' }).toString() });
    expect(answered.status).toBe(303);

    await referral.getByRole('button', { name: 'Check for updates' }).click();
    await expect.poll(() => page.getByTestId('referral-state').textContent()).toBe('Addressed');
    await referral.screenshot({ path: screenshotPath('moderation-provider-referral.png') });
    await syncNow();
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByTestId('case-reference').waitFor();
          return page.locator('.status-control__current').textContent();
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toContain('Responded to (resolved)');
  });

  it('publishes the provider’s response beside the feedback from the moderation screen', async () => {
    await page.getByRole('button', { name: 'Moderation' }).click();
    await page.getByLabel('Cases to show').selectOption({ label: 'Published' });
    await page.getByTestId(`moderation-item-${reference}`).click();
    const response = page.getByLabel('Response to publish');
    await expect.poll(() => response.inputValue()).toBe(RESPONSE);
    await page.getByRole('button', { name: 'Publish response' }).click();
    await expect.poll(() => page.getByTestId('moderation-outcome').textContent()).toContain('response is published');
    const feed = (await (await fetch(`${apiUrl}/public/feedback`)).json()) as { items: { description: string; response: { text: string } | null }[] };
    expect(feed.items.find((item) => item.description === MODERATED)?.response?.text).toBe(RESPONSE);
    expect(pageErrors).toEqual([]);
  });
});
