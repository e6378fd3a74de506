import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath, signIn, startBrowserMode, type RunningApp } from './browser-mode-harness';

const WORDS = 'I waited six hours in A&E with my father and nobody told us anything. The toilets on the ward were dirty.';
const FIRST_NOTE = 'Caller would like a call back tomorrow morning about the physiotherapy appointment.';
const SECOND_NOTE = 'Passed the details to the matron at the trust.';

describe('the case workspace in browser mode', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let reference = '';

  beforeAll(async () => {
    app = await startBrowserMode();
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
    await page.goto(app.url);
    await signIn(page);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('creates a feedback case with the caller, the caller’s words, category, provider and two notes', async () => {
    await page.getByRole('button', { name: 'New feedback or concern' }).click();
    reference = (await page.getByTestId('case-reference').textContent()) ?? '';
    expect(reference).toMatch(/^CC-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    await page.getByLabel('Caller’s number').fill('07400 123456');
    await page.getByRole('button', { name: 'Find caller' }).click();
    await page.getByLabel('Caller’s name (optional)').fill('Pat Example');
    await page.getByRole('checkbox', { name: 'Vulnerable' }).check();
    await page.getByRole('button', { name: 'Save caller and link' }).click();
    await expect.poll(() => page.getByText('Caller Pat Example').count()).toBe(1);

    await page.getByLabel('What the caller said (their own words)').fill(WORDS);
    await page.getByLabel(/^Category/).selectOption({ label: 'Cleanliness and facilities' });
    const provider = page.getByRole('combobox', { name: /^Provider(?! filter)/ });
    await provider.fill('RX1');
    await expect.poll(() => page.getByRole('listbox', { name: 'Providers' }).getByRole('option').count()).toBeGreaterThan(0);
    await provider.press('ArrowDown');
    await provider.press('Enter');
    await expect.poll(() => provider.inputValue()).toContain('(RX1)');
    await page.getByLabel('Department or service').selectOption('Accident and emergency');

    for (const note of [FIRST_NOTE, SECOND_NOTE]) {
      await page.getByLabel('Add a note').fill(note);
      await page.getByLabel('Add a note').press('Control+Enter');
      await expect.poll(() => page.getByText(note).count()).toBe(1);
    }
    await expect.poll(() => page.getByTestId('save-state').textContent()).toMatch(/All changes saved/);
    await page.screenshot({ path: screenshotPath('case-workspace.png'), fullPage: true });
  });

  it('keeps words typed just before a reload', async () => {
    const box = page.getByLabel('What the caller said (their own words)');
    await box.fill(`${WORDS} They were kind in the end.`);
    // Reload at once: the autosave may not have reached the cache yet, but the draft is kept.
    await page.reload();
    await expect.poll(() => page.getByLabel('What the caller said (their own words)').inputValue()).toBe(`${WORDS} They were kind in the end.`);
    await expect.poll(() => page.getByTestId('save-state').textContent()).toMatch(/saved/i);
    // And it reached the local cache: a second reload reads it back from there.
    await page.evaluate(() => window.localStorage.removeItem('unrelated'));
    await page.reload();
    await expect.poll(() => page.getByLabel('What the caller said (their own words)').inputValue()).toBe(`${WORDS} They were kind in the end.`);
  });

  it('finds everything again after a reload: reference, fields, caller and both notes', async () => {
    await page.reload();
    await expect.poll(() => page.getByTestId('case-reference').textContent()).toBe(reference);
    expect(await page.getByLabel(/^Category/).inputValue()).toBe('cleanliness');
    expect(await page.getByRole('combobox', { name: /^Provider(?! filter)/ }).inputValue()).toContain('(RX1)');
    expect(await page.getByLabel('Department or service').inputValue()).toBe('Accident and emergency');
    expect(await page.getByText(FIRST_NOTE).count()).toBe(1);
    expect(await page.getByText(SECOND_NOTE).count()).toBe(1);
    // The history names the caller and the provider as a handler knows them, never by an internal id.
    const history = page.getByRole('list', { name: 'Case history' });
    await expect.poll(() => history.textContent()).toContain('Caller: nothing → Pat Example.');
    expect(await history.textContent()).toContain('Provider: nothing → Northbridge Hospitals NHS Foundation Trust.');
    expect(await history.textContent()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    const card = page.getByTestId('caller-card');
    await expect.poll(() => card.textContent()).toContain('Pat Example');
    expect(await card.textContent()).toContain('Vulnerable');
    expect(await card.textContent()).toContain(reference);
    await card.screenshot({ path: screenshotPath('caller-card.png') });
  });

  it('finds the case by a word from its notes and by the caller’s number', async () => {
    const search = page.getByLabel('Search cases');
    await search.fill('physiotherapy');
    await expect.poll(() => page.getByText('1 case found.').count()).toBe(1);
    const hit = page.locator('.case-list__items').getByRole('button');
    expect(await hit.count()).toBe(1);
    expect(await hit.textContent()).toContain(reference);
    expect(await hit.textContent()).toContain('physiotherapy');
    await search.fill('+44 7400 123456');
    await expect.poll(() => page.getByText('1 case found by phone number.').count()).toBe(1);
    await search.fill(reference.toLowerCase().replaceAll('-', ' '));
    await expect.poll(() => page.getByText('1 case found by reference.').count()).toBe(1);
  });

  it('refuses a bad call-back number with the hint next to the field, then stores a good one as E.164', async () => {
    await page.getByLabel('Search cases').fill('');
    await page.getByRole('radio', { name: 'Phone' }).check();
    const phone = page.getByLabel('Phone number to call back on');
    await phone.fill('07700 900123');
    await phone.blur();
    await expect.poll(() => page.getByText('Enter a UK phone number, like 07400 123456').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('save-state').textContent()).toMatch(/Not saved/);
    await phone.fill('07400 123456');
    await phone.blur();
    await expect.poll(() => page.getByTestId('save-state').textContent()).toMatch(/All changes saved/);
    expect(await phone.inputValue()).toBe('+447400123456');
  });

  it('moves the case to Responded to, and offers only the allowed moves', async () => {
    await page.getByLabel('Move to').selectOption({ label: 'Responded to (resolved)' });
    await page.getByRole('button', { name: 'Change status' }).click();
    await expect.poll(() => page.getByText('Moved from Open to Responded to (resolved).').count()).toBe(1);
    const options = await page.getByLabel('Move to').locator('option').allTextContents();
    expect(options).toEqual(['Choose a status', 'In progress (acknowledged)']);
  });

  it('will not close a question until the caller’s words are written down, and says so', async () => {
    await page.getByRole('button', { name: /Close view/ }).click();
    await page.getByRole('button', { name: 'New question' }).click();
    await page.getByLabel('Move to').selectOption({ label: 'Answered' });
    await page.getByRole('button', { name: 'Change status' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Fill in what is missing before closing the case.' });
    await expect.poll(() => alert.count()).toBe(1);
    expect(await alert.textContent()).toContain('Write down what the caller said.');
    await page.getByLabel('What the caller said (their own words)').fill('Asked where to park for the eye clinic.');
    await page.getByRole('button', { name: 'Change status' }).isDisabled();
    await page.getByLabel('Move to').selectOption({ label: 'Answered' });
    await page.getByRole('button', { name: 'Change status' }).click();
    await expect.poll(() => page.getByText('Moved from Open to Answered.').count()).toBe(1);
  });

  it('has no serious or critical accessibility violations on the case workspace', async () => {
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  });
});
