import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../src-server/app';
import { createTokenService } from '../../src-server/auth/tokens';
import { seedDemoOrganisation } from '../../src-server/demo-organisation';
import { createSmtpEmailSender } from '../../src-server/intake/outbound';
import type { CentralStore } from '../../src-server/store/central-store';
import { openSqliteStore } from '../../src-server/store/open-store';
import { capturingLogger, tempDir } from '../helpers';
import { AUTH_TOKEN, EMAIL_SECRET, fakeSms, PATIENT, postmarkEmail, PUBLIC_URL, smsParams, startSmtpServer } from '../server/intake/intake-harness';
import { launchBrowser, screenshotPath, signIn, startBrowserMode, type RunningApp } from './browser-mode-harness';

const COST = { N: 2 ** 10, r: 8, p: 1 };
const HANDLER = { email: 'handler@demo.careconnect.test', password: 'demo-handler-2026' };

const TEXTS = [
  'Hello, I had a scan at Northbridge five weeks ago and nobody has told me the result.',
  'It was an ultrasound, on 14 October, in Radiology.',
  'Thank you. Will they ring me or write?',
];
const REPLIES = ['Thank you for texting. Which department was the scan in, and on what day?', 'Radiology will phone you this week with the result. Your reference is in our next text.'];

/**
 * The other channels end to end in browser mode, against a central API run by the test with intake switched on:
 * Twilio's messaging webhook (signed as Twilio signs it; the cloud's Messaging API replaced by a fake that keeps what
 * it was asked to send) and Postmark-style inbound email with replies through a real SMTP server on loopback.
 */
describe('an SMS conversation and an email thread, worked from the desk', () => {
  const dir = tempDir('care-desk-e2e-intake-');
  let store: CentralStore;
  let api: FastifyInstance;
  let base = '';
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let email: Awaited<ReturnType<typeof createSmtpEmailSender>>;
  const sms = fakeSms();
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let token = '';

  async function text(n: number, body: string) {
    const params = smsParams(n, body);
    const response = await fetch(`${base}/twilio/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}/twilio/sms`, params) },
      body: new URLSearchParams(params).toString(),
    });
    expect(response.status).toBe(200);
  }

  async function mail(n: number, subject: string, body: string): Promise<{ caseId: string; reference: string }> {
    const response = await fetch(`${base}/intake/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`postmark:${EMAIL_SECRET}`).toString('base64')}` },
      body: JSON.stringify(postmarkEmail(n, { subject, text: body })),
    });
    expect(response.status).toBeLessThan(300);
    return (await response.json()) as { caseId: string; reference: string };
  }

  async function referenceOf(channel: 'sms' | 'email'): Promise<string> {
    const listed = (await (await fetch(`${base}/cases?limit=50`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { reference: string; fields: { channel: string } }[] };
    return listed.items.find((item) => item.fields.channel === channel)!.reference;
  }

  async function syncAndOpenFromInbox(reference: string) {
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByRole('button', { name: 'Inbox' }).click();
    const row = page.getByRole('listitem', { name: new RegExp(`contact ${reference}$`) });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await row.getByRole('button', { name: `Claim ${reference}` }).click();
    await expect.poll(() => row.textContent()).not.toContain('Unclaimed');
    await row.getByRole('button', { name: `Open ${reference}` }).click();
    await expect.poll(() => page.getByTestId('case-reference').textContent()).toBe(reference);
  }

  const thread = () => page.getByRole('list', { name: 'Conversation' }).getByRole('listitem');

  async function reply(words: string, expectedItems: number) {
    await page.getByLabel('Reply to the patient').fill(words);
    await page.getByRole('button', { name: 'Send reply' }).click();
    await expect.poll(() => thread().count(), { timeout: 15_000 }).toBe(expectedItems);
  }

  beforeAll(async () => {
    store = await openSqliteStore(join(dir.path, 'central.sqlite3'));
    await seedDemoOrganisation(store, COST);
    smtp = await startSmtpServer();
    email = await createSmtpEmailSender({ url: smtp.url, from: 'Care Connect <replies@care-line.example.org>' });
    api = buildApi({
      logger: capturingLogger('api').logger,
      version: '1.0.0',
      clock: Date,
      store,
      tokens: createTokenService(randomBytes(32), Date),
      passwordCost: COST,
      intake: { sms: { authToken: AUTH_TOKEN, publicUrl: PUBLIC_URL }, smsSender: sms.sender, emailSecret: EMAIL_SECRET, emailSender: email },
    });
    await api.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(api.server.address() as { port: number }).port}`;
    const signedIn = await fetch(`${base}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(HANDLER) });
    token = ((await signedIn.json()) as { accessToken: string }).accessToken;
    app = await startBrowserMode({ CARE_DESK_API_URL: base });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-GB', timezoneId: 'Europe/London' })).newPage();
    await page.goto(app.url);
    await signIn(page, HANDLER.email, HANDLER.password);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await api?.close();
    email?.close();
    await smtp?.close();
    await store?.close();
    dir.remove();
  });

  it('threads three texts and two replies on one case, in order, with the open case showing each new text as it syncs', async () => {
    await text(1, TEXTS[0]!);
    const reference = await referenceOf('sms');
    await syncAndOpenFromInbox(reference);
    await expect.poll(() => thread().count()).toBe(1);
    await reply(REPLIES[0]!, 2);

    await text(2, TEXTS[1]!);
    await text(3, TEXTS[2]!);
    // The case stays open on the desk; sync brings the patient's two texts into it.
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => thread().count(), { timeout: 15_000 }).toBe(4);
    await reply(REPLIES[1]!, 5);

    const items = await thread().allTextContents();
    const order = [TEXTS[0], REPLIES[0], TEXTS[1], TEXTS[2], REPLIES[1]];
    order.forEach((words, index) => expect(items[index]).toContain(words));
    expect(sms.sent).toEqual([
      { to: PATIENT.mobile, body: REPLIES[0] },
      { to: PATIENT.mobile, body: REPLIES[1] },
    ]);
    await page.getByRole('region', { name: 'Conversation' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('sms-conversation.png'), fullPage: true });
  });

  it("threads the patient's answer to an email reply onto the same case by the reference in the subject", async () => {
    const first = await mail(1, 'Parking charges at Eastmoor', 'I was charged for parking while visiting my father in intensive care. Is there a concession?');
    await syncAndOpenFromInbox(first.reference);
    await reply('Yes: relatives of patients in intensive care can park free. Ask the ward for a permit.', 2);
    await expect.poll(() => smtp.mails.length, { timeout: 15_000 }).toBe(1);
    const subject = smtp.mails[0]!.headers.subject ?? '';
    expect(subject).toContain(first.reference);

    const answer = await mail(2, `Re: ${subject}`, 'Thank you, the ward gave me a permit today.');
    expect(answer.caseId).toBe(first.caseId);
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => thread().count(), { timeout: 15_000 }).toBe(3);
    expect((await thread().allTextContents())[2]).toContain('the ward gave me a permit today');
  });
});
