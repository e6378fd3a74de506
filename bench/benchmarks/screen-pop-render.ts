import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { CallerLookup } from '../../src-shared/contract/cases';
import type { EventPayload } from '../../src-shared/contract/desktop-contract';
import { formatPhoneNumber } from '../../src-shared/domain/phone-number';
import { startBrowserModeServer, type BrowserModeServer } from '../../src-main/browser-mode/browser-mode-server';
import { DATABASE_FILE_NAME } from '../../src-main/core/desktop-core';
import { createLogger } from '../../src-main/core/logger';
import { startDesktopServices, type DesktopServices } from '../../src-main/launch';
import { CHROMIUM_ARGS, chromiumPath, signIn } from '../../test/e2e/browser-mode-harness';
import { startBenchLine, type BenchLine } from '../lib/bench-line';
import { BASELINE_CARD_SELECTOR, callerCardBaselineScript } from '../lib/caller-card-baseline';
import { percentile, result, type Benchmark } from '../lib/measure';
import { nodeNow, pageClockOffset } from '../lib/page-clock';
import { seededRandom } from '../lib/random';
import { installScreenPopProbe, type ScreenPopProbe } from '../lib/screen-pop-probe';
import { seededCache, type SeededCache } from '../lib/seeded-cache';
import { ukPhoneNumber, UK_PHONE_NUMBER_COUNT } from '../lib/uk-phone-numbers';

const ROUNDS = Number(process.env.BENCH_SCREEN_POP_ROUNDS ?? 200);
const WARMUP = 20;
/** One ring in ten is a number the desk has never seen. */
const FIRST_TIME_SHARE = 0.1;
const RING_TIMEOUT_MS = 10_000;
const APP_CARD_SELECTOR = 'aside.sidebar [data-testid="caller-card"] .caller-card__phone';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface Ring {
  phone: string;
  repeat: boolean;
  lookup: CallerLookup;
}

/**
 * Numbers to ring from: seeded callers with at least one case (their history is what the card shows), picked at
 * random over the whole million-case desk, and numbers no caller has (first-time callers), shuffled together.
 * Read from the seeded file itself, read-only.
 */
function pickNumbers(seeded: SeededCache, count: number): { phone: string; repeat: boolean }[] {
  const db = new Database(seeded.path, { readonly: true });
  try {
    const random = seededRandom(55);
    const withHistory = db.prepare<[number], { phone: string }>(
      'SELECT phone FROM callers WHERE rowid = ? AND phone IS NOT NULL AND EXISTS (SELECT 1 FROM cases WHERE cases.caller_id = callers.id)',
    );
    const known = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM callers WHERE phone = ?');
    const seen = new Set<string>();
    const out: { phone: string; repeat: boolean }[] = [];
    while (out.length < count) {
      const firstTime = random() < FIRST_TIME_SHARE;
      const phone = firstTime
        ? ukPhoneNumber(seeded.summary.callers + Math.floor(random() * (UK_PHONE_NUMBER_COUNT - seeded.summary.callers)))
        : withHistory.get(1 + Math.floor(random() * seeded.summary.callers))?.phone;
      if (!phone || seen.has(phone)) continue;
      if (firstTime && (known.get(phone)?.n ?? 0) > 0) continue;
      seen.add(phone);
      out.push({ phone, repeat: !firstTime });
    }
    return out;
  } finally {
    db.close();
  }
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`screen-pop-render: timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * `screen-pop-render-p50/p95` (ms): a call rings and the caller card shows who it is, in the browser, on the seeded
 * million-case desk. The real pieces, in this process as `npm run start:browser` runs them: the central API with its
 * routing engine and live socket (simulator stopped), the desktop core on a copy of the seeded cache (a fresh copy
 * per run) signed in as the demo handler, the browser-mode server, and the built renderer in headless Chromium with
 * the e2e flags. The handler is available; each ring is a caller queued through the routing engine's provider
 * events (`callerQueued`, as the simulator or Twilio's webhook does), so the offer goes engine → live socket → main
 * process → contract event `live.event` over the browser-mode WebSocket → softphone store → `callers.lookup` →
 * caller card. The caller then hangs up (`callerHungUp`: the offer is withdrawn), so every ring is fresh.
 * Callers are seeded callers with history, and one in ten a first-time number.
 *
 * Timed from the moment the engine is handed the caller (this process's clock) to the first task after the animation
 * frame following the card's commit with that caller's number (the page's clock; the two clocks are set against
 * each other over DevTools, error reported). `-in-page-p95` is the renderer's share: from the offer's WebSocket frame
 * reaching the page to the same end. Baseline, in the same run and page, interleaved: the app's CallerCard mounted
 * by its own React root from the same caller's lookup already in memory (render and paint only).
 */
export const screenPopRender: Benchmark = {
  name: 'screen-pop-render',
  async run() {
    const seeded = seededCache();
    const rings = pickNumbers(seeded, WARMUP + ROUNDS);
    const work = mkdtempSync(join(tmpdir(), 'care-desk-screen-pop-'));
    const deskDir = join(work, 'desk');
    mkdirSync(deskDir);
    // A copy per run: the desk signs in, syncs and records rings, and the cached seed must stay as seeded.
    for (const suffix of ['', '-wal']) {
      if (existsSync(seeded.path + suffix)) copyFileSync(seeded.path + suffix, join(deskDir, DATABASE_FILE_NAME + suffix));
    }
    const logger = createLogger('bench', { level: 'silent' });
    let line: BenchLine | null = null;
    let services: DesktopServices | null = null;
    let server: BrowserModeServer | null = null;
    let browser: Browser | null = null;
    try {
      const rendererDir = resolve('dist', 'renderer');
      if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('screen-pop-render needs the built renderer: npm run build');
      line = await startBenchLine(work);
      services = await startDesktopServices({
        dataDir: deskDir,
        shell: 'browser',
        appName: 'Care Connect Desk',
        appVersion: '0.0.0-bench',
        logger,
        env: { CARE_DESK_API_URL: line.url },
      });
      const { core } = services;
      // When the main process hands each offer to the contract (its live connection has validated it). Subscribed
      // before the browser-mode server, so the time is taken before the frame is sent to the page.
      const emittedAt = new Map<string, number>();
      const stopListening = core.events.subscribe((name, payload) => {
        if (name === 'live.event') {
          const event = payload as EventPayload<'live.event'>;
          if (event.type === 'offer') emittedAt.set(event.offer.call.from, nodeNow());
        }
      });
      server = await startBrowserModeServer({ rendererDir, dispatch: services.dispatch, events: core.events, logger });
      const withLookups: Ring[] = rings.map((ring) => ({ ...ring, lookup: core.callers.lookup(ring.phone) }));

      browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
      const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
      await page.addInitScript(installScreenPopProbe);
      await page.goto(server.url);
      await signIn(page);
      // The desk's first sync after sign-in is done before the line opens, as for a handler starting a shift.
      await waitFor('the first sync', () => core.sync.state().status === 'online' && core.sync.state().lastSyncedAt !== null && core.sync.state().pending === 0, 120_000);
      await page.getByLabel('My state').selectOption('available');
      const handlerId = core.session.user()?.id;
      if (!handlerId) throw new Error('screen-pop-render: the desk did not sign in');
      const engine = line.engine;
      await waitFor('the handler to be available', () => engine.handler(handlerId)?.state === 'available');
      const queueId = engine.queueDefinitions()[0]?.id;
      if (!queueId) throw new Error('screen-pop-render: the line has no queues');
      await page.evaluate(await callerCardBaselineScript());
      const answer = page.getByRole('button', { name: /^Answer/ });

      /** Times in the bench process's clock (`queuedAt`, `emittedAt`) and the page's (`wsAt`, `paintAt`). */
      const ring = async (i: number, target: Ring): Promise<{ queuedAt: number; emittedAt: number; wsAt: number; paintAt: number }> => {
        await page.evaluate(([selector, text, marker]) => (window as unknown as { __screenPop: ScreenPopProbe }).__screenPop.arm(selector, text, marker), [
          APP_CARD_SELECTOR,
          formatPhoneNumber(target.phone),
          `"from":${JSON.stringify(target.phone)}`,
        ] as const);
        const providerCallId = `bench-ring-${i}`;
        const queuedAt = nodeNow();
        engine.events.callerQueued({ provider: 'simulator', providerCallId, from: target.phone, queueId });
        const seen = await page.evaluate((timeout) => (window as unknown as { __screenPop: ScreenPopProbe }).__screenPop.result(timeout), RING_TIMEOUT_MS);
        engine.events.callerHungUp(providerCallId);
        if (seen.paintAt === null || seen.wsAt === null) {
          throw new Error(`screen-pop-render: ring ${i} (${target.repeat ? 'repeat' : 'first-time'} caller) did not show on the caller card within ${RING_TIMEOUT_MS} ms`);
        }
        await answer.waitFor({ state: 'detached' });
        const emitted = emittedAt.get(target.phone);
        if (emitted === undefined) throw new Error(`screen-pop-render: ring ${i} reached the page but was never emitted by the main process`);
        return { queuedAt, emittedAt: emitted, wsAt: seen.wsAt, paintAt: seen.paintAt };
      };

      const staticCard = async (target: Ring): Promise<number> => {
        const seen = await page.evaluate(
          async ([selector, text, lookup, timeout]) => {
            const probe = (window as unknown as { __screenPop: ScreenPopProbe }).__screenPop;
            const card = (window as unknown as { __benchCard: { render(lookup: unknown): void; clear(): void } }).__benchCard;
            probe.arm(selector, text, null);
            const start = probe.now();
            card.render(lookup);
            const out = await probe.result(timeout);
            card.clear();
            return { start, paintAt: out.paintAt };
          },
          [BASELINE_CARD_SELECTOR, formatPhoneNumber(target.phone), target.lookup, RING_TIMEOUT_MS] as const,
        );
        if (seen.paintAt === null) throw new Error('screen-pop-render: the baseline card did not render');
        return seen.paintAt - seen.start;
      };

      const before = await pageClockOffset(page);
      const loadBefore = loadavg()[0]!;
      const random = seededRandom(7);
      const timings: Awaited<ReturnType<typeof ring>>[] = [];
      const baseline: number[] = [];
      for (let i = 0; i < withLookups.length; i++) {
        const target = withLookups[i]!;
        // Alternate which goes first, so neither always finds the page just after the other.
        let timed: Awaited<ReturnType<typeof ring>>;
        let still: number;
        if (i % 2 === 0) {
          timed = await ring(i, target);
          still = await staticCard(target);
        } else {
          still = await staticCard(target);
          timed = await ring(i, target);
        }
        if (i >= WARMUP) {
          timings.push(timed);
          baseline.push(still);
        }
        // Rings a few hundred ms apart, at no fixed phase to the page's one-second timers.
        await sleep(150 + random() * 250);
      }
      const after = await pageClockOffset(page);
      stopListening();
      const offsetMs = (before.offsetMs + after.offsetMs) / 2;
      const total = timings.map((t) => t.paintAt - (t.queuedAt + offsetMs));
      const hop = timings.map((t) => t.wsAt - (t.queuedAt + offsetMs));
      const apiHop = timings.map((t) => t.emittedAt - t.queuedAt);
      const pageHop = timings.map((t) => t.wsAt - (t.emittedAt + offsetMs));
      const inPage = timings.map((t) => t.paintAt - t.wsAt);
      const clockNote = `page clock ${offsetMs.toFixed(2)} ms ahead (± ${Math.max(before.errorMs, after.errorMs).toFixed(2)}), moved ${Math.abs(after.offsetMs - before.offsetMs).toFixed(2)} ms over the run`;
      // Browser, desk and API share the machine's cores with anything else running: say how busy it was.
      const loadNote = `1-min load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after, on ${availableParallelism()} cores`;
      const repeats = withLookups.slice(WARMUP).filter((r) => r.repeat).length;
      const what = `${ROUNDS} rings (${repeats} seeded callers with history, ${ROUNDS - repeats} first-time), ${seeded.summary.cases.toLocaleString('en-GB')}-case desk`;
      return [
        result('screen-pop-render-p50', percentile(total, 50), 'ms', percentile(baseline, 50)),
        result(
          'screen-pop-render-p95',
          percentile(total, 95),
          'ms',
          percentile(baseline, 95),
          `target: value <= 150 ms. Routing engine offer to caller card painted in Chromium; ${what}; baseline: the same card mounted from memory in the same page; ${clockNote}; ${loadNote}`,
        ),
        result(
          'screen-pop-render-in-page-p95',
          percentile(inPage, 95),
          'ms',
          percentile(baseline, 95),
          'offer frame arriving in the page to caller card painted (softphone store, callers.lookup over the contract, render)',
        ),
        result(
          'screen-pop-render-live-hop-p95',
          percentile(hop, 95),
          'ms',
          undefined,
          `routing engine offer to its frame arriving in the page; of which engine to main process (API live socket, validation) p50 ${percentile(apiHop, 50).toFixed(1)} / p95 ${percentile(apiHop, 95).toFixed(1)} ms, main process to page (browser-mode WebSocket) p50 ${percentile(pageHop, 50).toFixed(1)} / p95 ${percentile(pageHop, 95).toFixed(1)} ms`,
        ),
      ];
    } finally {
      await browser?.close();
      await server?.close();
      await services?.close();
      await line?.close();
      rmSync(work, { recursive: true, force: true });
    }
  },
};
