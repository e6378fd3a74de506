import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../src-server/app';
import { createTokenService } from '../../src-server/auth/tokens';
import { seedDemoOrganisation } from '../../src-server/demo-organisation';
import type { Actor, CentralStore } from '../../src-server/store/central-store';
import { openSqliteStore } from '../../src-server/store/open-store';
import { openTelephonyLine, type TelephonyLine } from '../../src-server/telephony/line';
import { capturingLogger, tempDir } from '../helpers';
import { launchBrowser, screenshotPath, signIn, startBrowserMode, type RunningApp } from './browser-mode-harness';

/**
 * A central API this test can stop and start again on the same port and the same store file, as an outage would,
 * with its phone line (the simulator, making no calls of its own), so the desk's live link goes down and comes back
 * with it.
 */
async function centralApi(dir: string) {
  const secret = randomBytes(32);
  const file = join(dir, 'central.sqlite3');
  let store: CentralStore = await openSqliteStore(file);
  await seedDemoOrganisation(store, { N: 2 ** 10, r: 8, p: 1 });
  let app: FastifyInstance | null = null;
  let line: TelephonyLine | null = null;
  let port = 0;
  async function start() {
    store = await openSqliteStore(file);
    const logger = capturingLogger('api').logger;
    line = await openTelephonyLine({ store, logger, clock: Date, simulator: { autoStart: false } });
    app = buildApi({ logger, version: '1.0.0', clock: Date, store, tokens: createTokenService(secret, Date), passwordCost: { N: 2 ** 10, r: 8, p: 1 }, telephony: line.telephony, live: line.live });
    await app.listen({ host: '127.0.0.1', port });
    port = (app.server.address() as { port: number }).port;
  }
  await store.close();
  await start();
  return {
    url: () => `http://127.0.0.1:${port}`,
    store: () => store,
    async stop() {
      await app?.close();
      await line?.close();
      await store.close();
      app = null;
      line = null;
    },
    start,
  };
}

describe('logging a case while the central service is down', () => {
  const dir = tempDir();
  let api: Awaited<ReturnType<typeof centralApi>>;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    api = await centralApi(dir.path);
    app = await startBrowserMode({ CARE_DESK_API_URL: api.url() });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await page.goto(app.url);
    await signIn(page);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await api?.stop().catch(() => undefined);
    dir.remove();
  });

  it('keeps the case on the desk, shows it waiting, and syncs it when the service is back', async () => {
    await expect.poll(() => page.getByTestId('sync-status').textContent()).toContain('all changes synced');
    await api.stop();

    await page.getByRole('button', { name: 'New question' }).click();
    const reference = (await page.getByTestId('case-reference').textContent()) ?? '';
    await page.getByLabel(/What the caller said/).fill('Asked how to get copies of her mother’s hospital letters.');
    await page.getByLabel('Add a note').fill('Gave the address of the trust’s records office.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => page.getByTestId('sync-status').textContent(), { timeout: 15_000 }).toMatch(/Offline: \d+ changes waiting/);
    await expect.poll(() => page.getByTestId('save-state').textContent()).toMatch(/saved/i);
    await expect.poll(() => page.getByTestId('connection-status').textContent(), { timeout: 15_000 }).toContain('Offline');
    // The phone line went down with the service: the handler is told no calls can reach them.
    await expect.poll(() => page.getByTestId('softphone').textContent(), { timeout: 15_000 }).toContain('No calls can reach you');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath('sync-offline.png') });

    await api.start();
    await expect.poll(() => page.getByTestId('sync-status').textContent(), { timeout: 40_000, interval: 500 }).toContain('Synced: all changes synced');
    await expect.poll(() => page.getByTestId('connection-status').textContent(), { timeout: 15_000 }).toContain('Online');
    // The live link came back with it: the outage notice is gone and the desk shows the handler's state again.
    await expect.poll(() => page.getByTestId('softphone').textContent(), { timeout: 15_000 }).toContain('You are offline: no calls will be sent to you');
    expect(await page.getByTestId('softphone').textContent()).not.toContain('No calls can reach you');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath('sync-synced.png') });

    const list = await api.store().listCases({ userId: '', name: '', role: 'supervisor', teamIds: (await api.store().listTeams()).map((t) => t.id) } satisfies Actor, { limit: 10 });
    const synced = list.find((c) => c.reference === reference);
    expect(synced?.fields.description).toBe('Asked how to get copies of her mother’s hospital letters.');

    // With the service down again, the handler closes the case and opens it from the list: the desk shows it from
    // its own copy, and the read reaches the central audit log once the service is back, as a read through it would.
    await api.stop();
    await page.getByRole('button', { name: `Close view of case ${reference}` }).click();
    await page.locator('.case-list__items').getByRole('button', { name: new RegExp(reference) }).click();
    await expect.poll(() => page.getByTestId('case-reference').textContent()).toBe(reference);
    await expect.poll(() => page.getByTestId('sync-status').textContent(), { timeout: 15_000 }).toMatch(/Offline: all changes synced; 1 report for the audit log waiting/);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath('sync-offline-opened.png') });
    await api.start();
    await expect
      .poll(async () => (await api.store().auditFor(synced!.id)).map((row) => row.reason), { timeout: 40_000, interval: 500 })
      .toContain('Opened from the case list or search');
  });
});
