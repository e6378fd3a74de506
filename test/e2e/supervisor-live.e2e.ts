import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openSignedIn, type RunningApp, screenshotPath, startBrowserMode } from './browser-mode-harness';

/** A demo handler on the line over the API directly: the browser-mode desk is one desk, and it is the supervisor's. */
async function handlerOnLine(apiUrl: string, email: string, password: string) {
  const response = await fetch(`${apiUrl}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const { accessToken } = (await response.json()) as { accessToken: string };
  const send = async (method: string, path: string, body?: unknown) => {
    const reply = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${accessToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await reply.text();
    return { status: reply.status, body: text ? (JSON.parse(text) as unknown) : null };
  };
  const available = await send('PUT', '/telephony/me/state', { state: 'available' });
  expect(available.status).toBe(200);
  return send;
}

/**
 * A handler who takes every call offered: answers, talks a couple of seconds, hangs up and wraps up, until stopped.
 * Each step is one poll of their own snapshot, so the board sees them ring, talk, wrap up and count the call.
 */
function answerCalls(send: Awaited<ReturnType<typeof handlerOnLine>>): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    const talkingSince = new Map<string, number>();
    while (running) {
      const snapshot = (await send('GET', '/telephony/snapshot')).body as { calls: { id: string; state: string }[] };
      for (const call of snapshot.calls) {
        if (call.state === 'offered') await send('POST', `/telephony/calls/${call.id}/answer`);
        else if (call.state === 'connected') {
          const since = talkingSince.get(call.id) ?? Date.now();
          talkingSince.set(call.id, since);
          if (Date.now() - since > 2_500) await send('POST', `/telephony/calls/${call.id}/hang-up`);
        } else if (call.state === 'wrap-up') await send('POST', `/telephony/calls/${call.id}/wrap-up`, { dispositionId: 'information-given' });
      }
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}

describe('the supervisor’s live view, on a busy simulated line', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let apiUrl: string;
  let alex: { stop(): Promise<void> } | null = null;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    // Busy: a caller every few seconds on three queues; more than two handlers can take, so callers wait.
    app = await startBrowserMode({ CARE_DESK_SIMULATOR_RATES: JSON.stringify({ feedback: 1200, question: 900, concern: 300, general: 0 }) });
    browser = await launchBrowser();
    ({ page, errors: pageErrors, apiUrl } = await openSignedIn(browser, app, { email: 'supervisor@demo.careconnect.test', password: 'demo-supervisor-2026', context: { viewport: { width: 1440, height: 1000 } }, consoleErrors: false }));
  });

  afterAll(async () => {
    await alex?.stop();
    await browser?.close();
    await app?.stop();
  });

  it('shows waiting callers and the handlers board moving, sets a handler back to available, and steers the simulator', async () => {
    // Sam goes available and never answers (so the line sets them "not responding"); Alex answers every call.
    await handlerOnLine(apiUrl, 'handler@demo.careconnect.test', 'demo-handler-2026');
    alex = answerCalls(await handlerOnLine(apiUrl, 'handler2@demo.careconnect.test', 'demo-handler2-2026'));

    await page.getByRole('button', { name: 'Live view' }).click();
    await page.getByRole('heading', { name: 'Live view', level: 1 }).waitFor();
    await expect.poll(async () => page.getByTestId('link-status').textContent(), { timeout: 15_000 }).toContain('Live link: Live');

    // Callers wait, and the longest wait ticks.
    const waitingTotal = async () => (await page.getByTestId('waiting').allTextContents()).reduce((sum, text) => sum + Number(text), 0);
    await expect.poll(waitingTotal, { timeout: 30_000 }).toBeGreaterThan(0);
    const feedbackWait = page.getByTestId('queue-feedback').getByTestId('longest-wait');
    await expect.poll(async () => feedbackWait.textContent(), { timeout: 30_000 }).toMatch(/\d+ s|min/);

    // The board moves: Alex takes calls and the count goes up; Sam lets an offer ring out.
    const alexRow = page.getByTestId(/^handler-/).filter({ hasText: 'Alex Morgan' });
    const samRow = page.getByTestId(/^handler-/).filter({ hasText: 'Sam Taylor' });
    const callsToday = async (row: typeof alexRow) => Number(await row.getByRole('cell').nth(3).textContent());
    await expect.poll(() => callsToday(alexRow), { timeout: 45_000 }).toBeGreaterThanOrEqual(1);
    await expect.poll(async () => samRow.getByRole('cell').first().textContent(), { timeout: 45_000 }).toBe('Not responding');
    expect(Number(await samRow.getByRole('cell').nth(5).textContent())).toBeGreaterThanOrEqual(1);

    // One action puts Sam back on the line.
    await page.getByRole('button', { name: 'Make available: Sam Taylor' }).click();
    await expect.poll(async () => page.getByTestId('action-outcome').textContent()).toBe('Sam Taylor is now available.');
    await expect.poll(async () => samRow.getByRole('cell').first().textContent()).toMatch(/Available|Ringing/);

    // The simulator panel: a rate changed from its labelled input reaches the line; stop and start again.
    const simulator = page.getByRole('region', { name: 'Call simulator' });
    await expect.poll(async () => simulator.getByTestId('simulator-status').textContent()).toContain('Running');
    await simulator.getByLabel('Concerns (urgent)').fill('120');
    await simulator.getByRole('button', { name: 'Apply rates' }).click();
    await expect.poll(async () => simulator.getByLabel('Concerns (urgent)').inputValue()).toBe('120');
    await simulator.getByRole('button', { name: 'Stop simulator' }).click();
    await expect.poll(async () => simulator.getByTestId('simulator-status').textContent()).toContain('Stopped');
    const generated = Number((await simulator.getByTestId('simulator-status').textContent())!.match(/Calls generated\s*(\d+)/)![1]);
    expect(generated).toBeGreaterThan(3);
    await simulator.getByRole('button', { name: 'Start simulator' }).click();
    await expect.poll(async () => simulator.getByTestId('simulator-status').textContent()).toContain('Running');
    expect(await simulator.getByLabel('Concerns (urgent)').inputValue()).toBe('120');

    // Reassign a case of the team by its reference, as read from the supervisor's own desk.
    await page.getByRole('button', { name: 'My desk' }).click();
    await expect.poll(async () => page.getByText('Synced: all changes synced').count(), { timeout: 30_000 }).toBe(1);
    await page.getByLabel('Only mine').uncheck();
    const reference = page.locator('#main').getByText(/^CC-[0-9A-Z]{4}-[0-9A-Z]{4}$/).first();
    await reference.waitFor({ timeout: 30_000 });
    const caseReference = (await reference.textContent())!;
    await page.getByRole('button', { name: 'Live view' }).click();
    const reassign = page.getByRole('region', { name: 'Reassign a case' });
    await reassign.getByLabel('Case reference').fill(caseReference);
    await reassign.getByLabel('New handler').selectOption({ label: 'Sam Taylor' });
    await reassign.getByRole('button', { name: 'Reassign' }).click();
    await expect.poll(async () => page.getByTestId('action-outcome').textContent()).toBe(`Case ${caseReference} now belongs to Sam Taylor.`);

    // A caller waiting past 80% of the target raises an alert, announced once.
    const alerts = page.getByRole('region', { name: /^Alerts/ });
    await expect.poll(async () => alerts.getByRole('listitem').count(), { timeout: 90_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('alert-announcer').textContent()).toMatch(/has waited|service level|has been/);
    await expect.poll(waitingTotal, { timeout: 30_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('supervisor-live.png'), fullPage: true });

    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 240_000);
});
