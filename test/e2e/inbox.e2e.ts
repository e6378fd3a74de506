import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpServer } from '../server/intake/intake-harness';
import { launchBrowser, openSignedIn, type RunningApp, screenshotPath, startBrowserMode } from './browser-mode-harness';

/**
 * A question from the web form answered from the shared inbox, in browser mode against the embedded API: it appears
 * in the inbox, the demo handler claims it, replies from a template (the patient asked for email, so the reply goes
 * through a real SMTP server on loopback) and resolves it with a disposition.
 */
const PATIENT_EMAIL = 'jo.bloggs@example.org';
const QUESTION = 'Can I bring my assistance dog when I visit my mother on Ward 7 at Northbridge?';
const ADDED = 'Yes: assistance dogs are welcome on every ward. Please tell the nurse in charge when you arrive.';


describe('a web-form question answered from the shared inbox', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let apiUrl = '';
  let reference = '';
  let pageErrors: string[] = [];

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startBrowserMode({ CARE_DESK_SMTP_URL: smtp.url, CARE_DESK_SMTP_FROM: 'Care Connect <replies@care-line.example.org>', CARE_DESK_SIMULATOR: 'off' });
    browser = await launchBrowser();
    ({ page, errors: pageErrors, apiUrl } = await openSignedIn(browser, app, { email: 'handler@demo.careconnect.test', password: 'demo-handler-2026', context: { viewport: { width: 1440, height: 1000 }, locale: 'en-GB', timezoneId: 'Europe/London' } }));
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await smtp?.close();
  });

  it('shows the question in the inbox, unclaimed, with its age against the web form’s target', async () => {
    const form = new URLSearchParams({ type: 'question', providerId: '', description: QUESTION, name: 'Jo Bloggs', contactMethod: 'email', contactPhone: '', contactEmail: PATIENT_EMAIL, contact_me_by_fax_only: '' });
    const sent = await fetch(`${apiUrl}/contact`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    expect(sent.status).toBe(303);
    reference = new URL(sent.headers.get('location')!, apiUrl).searchParams.get('reference')!;
    expect(reference).toMatch(/^CC-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByRole('button', { name: 'Inbox' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    const row = page.getByRole('listitem', { name: `Web form contact ${reference}` });
    await page.getByRole('form', { name: 'Filter the inbox' }).getByLabel('Channel').selectOption('web');
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => row.textContent()).toContain('Unclaimed');
    expect(await row.textContent()).toContain(QUESTION.slice(0, 40));
    expect(await row.textContent()).toMatch(/due in 2[34] h/);
    await page.screenshot({ path: screenshotPath('inbox.png'), fullPage: true });

    const results = await new AxeBuilder({ page }).include('.inbox').analyze();
    const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
  });

  it('shows a contact that arrives while the inbox is open within seconds, with no click and no reload', async () => {
    const form = new URLSearchParams({ type: 'question', providerId: '', description: 'Can my husband visit outside visiting hours on the stroke ward?', name: '', contactMethod: 'none', contactPhone: '', contactEmail: '', contact_me_by_fax_only: '' });
    const sent = await fetch(`${apiUrl}/contact`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    expect(sent.status).toBe(303);
    const second = new URL(sent.headers.get('location')!, apiUrl).searchParams.get('reference')!;
    // The handler stays on the inbox and does nothing: the API pokes the desk over the live link, the desk pulls, and
    // the list follows. The last sync was moments ago (the test before), so the 15 s interval cannot be what brings it.
    const row = page.getByRole('listitem', { name: `Web form contact ${second}` });
    await expect.poll(() => row.count(), { timeout: 5_000 }).toBe(1);
    expect(await row.textContent()).toContain('visiting hours');
    expect(await page.getByRole('heading', { name: 'Inbox' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('inbox-new-contact.png'), fullPage: true });
  });

  it('is claimed by the handler, who replies by email from a template', async () => {
    const row = page.getByRole('listitem', { name: `Web form contact ${reference}` });
    await row.getByRole('button', { name: `Claim ${reference}` }).click();
    await expect.poll(() => row.textContent()).not.toContain('Unclaimed');
    await row.getByRole('button', { name: `Open ${reference}` }).click();
    await expect.poll(() => page.getByTestId('case-reference').textContent()).toBe(reference);

    await page.getByLabel('Start from a template').selectOption({ label: 'Answer and close' });
    const box = page.getByLabel('Reply to the patient');
    const template = await box.inputValue();
    expect(template).toContain(reference);
    await box.fill(template.replace('Thank you for your question. ', `Thank you for your question. ${ADDED}`));
    await page.getByRole('button', { name: 'Send reply' }).click();
    const thread = page.getByRole('list', { name: 'Conversation' });
    await expect.poll(() => thread.getByRole('listitem').count(), { timeout: 15_000 }).toBe(2);
    const [question, answer] = await thread.getByRole('listitem').allTextContents();
    expect(question).toContain('Patient (web form)');
    expect(question).toContain(QUESTION);
    expect(answer).toContain('replied');
    expect(answer).toContain(ADDED);

    await expect.poll(() => smtp.mails.length, { timeout: 15_000 }).toBe(1);
    const mail = smtp.mails[0]!;
    expect(mail.to).toEqual([PATIENT_EMAIL]);
    expect(mail.raw).toContain(reference);
    expect(mail.raw.replace(/=\r\n/g, '').replace(/\r\n/g, ' ')).toContain('assistance dogs are welcome on every ward');
    await page.getByRole('region', { name: 'Conversation' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('conversation.png'), fullPage: true });
  });

  it('is resolved with a disposition, and leaves the inbox', async () => {
    await page.getByLabel('Disposition').selectOption({ label: 'Information given' });
    await page.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => page.getByLabel('Reply to the patient').count()).toBe(0);
    await expect.poll(() => page.getByRole('list', { name: 'Case history' }).textContent()).toContain('Disposition: Information given');
    await page.getByRole('button', { name: 'Sync now' }).click();

    // The central API has the answered case, the reply and the disposition.
    const signIn = await fetch(`${apiUrl}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'handler@demo.careconnect.test', password: 'demo-handler-2026' }) });
    const { accessToken } = (await signIn.json()) as { accessToken: string };
    await expect
      .poll(async () => {
        const cases = (await (await fetch(`${apiUrl}/cases?limit=50`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as { items: { id: string; reference: string; status: string }[] };
        return cases.items.find((item) => item.reference === reference)?.status;
      }, { timeout: 20_000 })
      .toBe('answered');

    await page.getByRole('button', { name: 'Inbox' }).click();
    await page.getByRole('form', { name: 'Filter the inbox' }).getByLabel('Channel').selectOption('');
    await expect.poll(() => page.getByRole('listitem', { name: `Web form contact ${reference}` }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
