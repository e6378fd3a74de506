import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningApp, screenshotPath, shownApiUrl, signIn, startBrowserMode } from './browser-mode-harness';

/** What the supervisor's side of the API says about today's queues. */
async function supervisorFigures(apiUrl: string): Promise<{ queueId: string; answeredToday: number }[]> {
  const signIn = await fetch(`${apiUrl}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'supervisor@demo.careconnect.test', password: 'demo-supervisor-2026' }),
  });
  const { accessToken } = (await signIn.json()) as { accessToken: string };
  const snapshot = await fetch(`${apiUrl}/telephony/snapshot`, { headers: { authorization: `Bearer ${accessToken}` } });
  return ((await snapshot.json()) as { queues: { queueId: string; answeredToday: number }[] }).queues;
}

async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
}

describe('a call from ring to wrap-up, on the simulated line', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // A busy line on two queues, so a call rings within seconds; the rest of the line is quiet.
    app = await startBrowserMode({ CARE_DESK_SIMULATOR_RATES: JSON.stringify({ feedback: 720, question: 720, concern: 0, general: 0 }) });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await page.goto(app.url);
    await signIn(page);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('rings with the repeat caller’s history, opens a case on answer, holds, hangs up, needs a disposition, and counts the call', async () => {
    const apiUrl = await shownApiUrl(page);
    // The desk pulls the demo organisation's history (the simulator's repeat callers) before it goes on the line.
    await expect.poll(async () => page.getByText('Synced: all changes synced').count(), { timeout: 30_000 }).toBe(1);
    await page.getByLabel('My state').selectOption('available');

    // Answer only a repeat caller: first-time callers are declined and go back to the queue.
    const callerCard = page.getByTestId('caller-card');
    for (let attempt = 0; ; attempt += 1) {
      expect(attempt).toBeLessThan(25);
      await page.getByRole('button', { name: /^Answer/ }).waitFor({ timeout: 30_000 });
      await expect.poll(async () => (await callerCard.textContent()) ?? '', { timeout: 5_000 }).toMatch(/First-time caller|Last cases/);
      if ((await callerCard.getByText('First-time caller').count()) === 0) break;
      await page.getByRole('button', { name: /^Decline/ }).click();
      await page.getByRole('button', { name: /^Answer/ }).waitFor({ state: 'detached' });
    }
    // Ringing: the caller card shows their earlier case from the local cache.
    await expect.poll(async () => callerCard.getByText(/CC-/).count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('call-ringing.png') });
    const figuresBefore = await supervisorFigures(apiUrl);

    await page.keyboard.press('Alt+A');
    await page.getByRole('heading', { name: 'On a call' }).waitFor();
    // A repeat caller with an open case is asked about it; otherwise the new case opens straight away.
    if (await page.getByRole('heading', { name: 'This caller has open cases' }).count()) {
      await page.getByRole('button', { name: 'Start a new case' }).click();
    }
    const description = page.getByLabel(/What the caller said/);
    await description.waitFor();
    await expect.poll(async () => page.getByRole('combobox', { name: 'Channel' }).inputValue()).toBe('phone');
    await description.fill('Caller rang back: still waiting for the results of a scan. Asked the ward to call them.');
    await expect.poll(async () => page.getByText(/All changes saved/).count(), { timeout: 10_000 }).toBe(1);

    await page.getByRole('button', { name: 'Hold' }).click();
    await page.getByRole('heading', { name: 'Caller on hold' }).waitFor();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('heading', { name: 'On a call' }).waitFor();
    await page.getByTestId('hold-time').waitFor();
    await page.screenshot({ path: screenshotPath('call-in-progress.png') });
    await expectNoSeriousA11yViolations(page);

    await page.getByRole('button', { name: 'Hang up' }).click();
    const finish = page.getByRole('button', { name: 'Finish and become available' });
    await finish.waitFor();
    expect(await finish.isDisabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('call-wrap-up.png') });
    await page.getByRole('radio', { name: 'Information given' }).check();
    await finish.click();
    await expect.poll(async () => (await page.getByTestId('agent-state').textContent()) ?? '').toMatch(/Available/);

    // The supervisor's figures count the answered call.
    await expect
      .poll(async () => {
        const after = await supervisorFigures(apiUrl);
        const total = (figures: { answeredToday: number }[]) => figures.reduce((sum, queue) => sum + queue.answeredToday, 0);
        return total(after) - total(figuresBefore);
      })
      .toBe(1);
  });
});
