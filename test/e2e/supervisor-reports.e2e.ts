import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openSignedIn, type RunningApp, screenshotPath, startBrowserMode } from './browser-mode-harness';
import { answerCalls, handlerOnLine } from './line-handlers';

/** The CSV the API exports (`section,item,value`), as a lookup; cells here hold no commas or quotes. */
function csvValues(text: string): (section: string, item: string) => string | undefined {
  expect(text.startsWith('\uFEFFsection,item,value\r\n')).toBe(true);
  const rows = text.slice(1).trimEnd().split('\r\n').map((row) => row.split(','));
  return (section, item) => rows.find((row) => row[0] === section && row[1] === item)?.[2];
}

/** "1,234" → 1234; "£1,600.50" → 1600.5. */
const figure = (text: string | null) => Number((text ?? '').replace(/[£,\s]/g, ''));

describe('the supervisor’s reports, after a busy hour on the simulated line', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let apiUrl: string;
  let alex: { stop(): Promise<void> } | null = null;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    // Busy: a caller every two seconds or so over three queues; more than the two handlers can take.
    app = await startBrowserMode({ CARE_DESK_SIMULATOR_RATES: JSON.stringify({ feedback: 900, question: 600, concern: 300, general: 0 }) });
    browser = await launchBrowser();
    ({ page, errors: pageErrors, apiUrl } = await openSignedIn(browser, app, { email: 'supervisor@demo.careconnect.test', password: 'demo-supervisor-2026', context: { viewport: { width: 1440, height: 1000 }, acceptDownloads: true, locale: 'en-GB', timezoneId: 'Europe/London' } }));
  });

  afterAll(async () => {
    await alex?.stop();
    await browser?.close();
    await app?.stop();
  });

  it('sees the line move, puts a handler back, and exports a CSV whose totals match the reports on screen', async () => {
    // Sam goes available and never answers (the line sets them "not responding"); Alex answers every call.
    await handlerOnLine(apiUrl, 'handler@demo.careconnect.test', 'demo-handler-2026');
    alex = answerCalls(await handlerOnLine(apiUrl, 'handler2@demo.careconnect.test', 'demo-handler2-2026'));

    await page.getByRole('button', { name: 'Live view' }).click();
    await expect.poll(async () => page.getByTestId('link-status').textContent(), { timeout: 15_000 }).toContain('Live link: Live');
    const waitingTotal = async () => (await page.getByTestId('waiting').allTextContents()).reduce((sum, text) => sum + Number(text), 0);
    await expect.poll(waitingTotal, { timeout: 30_000 }).toBeGreaterThan(0);

    const alexRow = page.getByTestId(/^handler-/).filter({ hasText: 'Alex Morgan' });
    const samRow = page.getByTestId(/^handler-/).filter({ hasText: 'Sam Taylor' });
    const callsToday = async () => Number(await alexRow.getByRole('cell').nth(3).textContent());
    await expect.poll(callsToday, { timeout: 45_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(async () => samRow.getByRole('cell').first().textContent(), { timeout: 45_000 }).toBe('Not responding');
    await page.screenshot({ path: screenshotPath('supervisor-reports-live.png'), fullPage: true });

    await page.getByRole('button', { name: 'Make available: Sam Taylor' }).click();
    await expect.poll(async () => page.getByTestId('action-outcome').textContent()).toBe('Sam Taylor is now available.');

    // Quieten the line so the report holds still between the screen and the file: no new callers; Alex answers
    // everyone still waiting, then finishes and goes offline.
    const simulator = page.getByRole('region', { name: 'Call simulator' });
    await simulator.getByRole('button', { name: 'Stop simulator' }).click();
    await expect.poll(async () => simulator.getByTestId('simulator-status').textContent()).toContain('Stopped');
    await expect.poll(waitingTotal, { timeout: 180_000, interval: 500 }).toBe(0);
    await alex.stop();
    alex = null;
    await expect.poll(async () => alexRow.getByRole('cell').first().textContent(), { timeout: 15_000 }).toBe('Offline');
    const handledByAlex = await callsToday();

    // The reports: the last 7 London days, today's calls included.
    await page.getByRole('button', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    await expect.poll(async () => page.getByTestId('report-status').textContent(), { timeout: 15_000 }).toMatch(/^Showing .* \(7 days\), your team\.$/);
    const contactsTotal = figure(await page.getByTestId('contacts-total').textContent());
    const resolvedTotal = figure(await page.getByTestId('resolved-total').textContent());
    expect(contactsTotal).toBeGreaterThanOrEqual(handledByAlex);
    expect(resolvedTotal).toBeGreaterThanOrEqual(handledByAlex);
    const abandonment = (await page.getByTestId('figure-abandonment').textContent())!;
    const [, abandonedOnScreen, queuedOnScreen] = /(\d+) of (\d+) queued callers hung up/.exec(abandonment)!;
    expect(Number(queuedOnScreen)).toBeGreaterThanOrEqual(handledByAlex);
    // Open a chart's table, as a reader who wants the numbers would.
    await page.getByRole('figure', { name: 'Contacts by channel' }).getByText('Table of these figures').click();
    const channelRow = async (label: string) => figure(await page.getByRole('figure', { name: 'Contacts by channel' }).getByRole('row', { name: new RegExp(`^${label} `) }).getByRole('cell').textContent());
    const phoneOnScreen = await channelRow('Phone');
    expect(phoneOnScreen).toBeGreaterThanOrEqual(handledByAlex);
    const costOnScreen = (await page.getByTestId('cost-per-resolved').textContent())!;
    const serviceLevelOnScreen = figure((await page.getByTestId('figure-service-level').locator('.report-figure__value').textContent())!.replace('%', ''));
    await page.screenshot({ path: screenshotPath('supervisor-reports.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    await expect.poll(async () => page.getByTestId('export-outcome').textContent()).toMatch(/^Saved care-desk-report-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv/);
    expect(download.suggestedFilename()).toMatch(/^care-desk-report-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    const value = csvValues(csv);
    expect(Number(value('contacts', 'total'))).toBe(contactsTotal);
    expect(Number(value('resolved', 'total'))).toBe(resolvedTotal);
    expect(Number(value('contacts by channel', 'Phone'))).toBe(phoneOnScreen);
    expect(Number(value('calls', 'queued'))).toBe(Number(queuedOnScreen));
    expect(Number(value('calls', 'abandoned'))).toBe(Number(abandonedOnScreen));
    expect(`£${Number(value('cost', 'cost per resolved query (£)')).toFixed(2)}`).toBe(costOnScreen.replace(/,/g, ''));
    // The screen shows one decimal of a per cent, the file two.
    expect(Math.abs(Number(value('calls', 'service level (% within 60 s)')) - serviceLevelOnScreen)).toBeLessThanOrEqual(0.05);

    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 360_000);
});
