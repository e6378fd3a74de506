import { mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { breakReasons } from '../../src-shared/contract/agent-state';
import type { EventPayload } from '../../src-shared/contract/desktop-contract';
import { handlerStateLabels, type HandlerStatus } from '../../src-shared/telephony/model';
import { startBrowserModeServer, type BrowserModeServer } from '../../src-main/browser-mode/browser-mode-server';
import { createLogger } from '../../src-main/core/logger';
import { startDesktopServices, type DesktopServices } from '../../src-main/launch';
import type { HandlerProfile, RoutingEngine } from '../../src-server/telephony/routing-engine';
import { CHROMIUM_ARGS, chromiumPath, signIn } from '../../test/e2e/browser-mode-harness';
import { startBenchLine, type BenchLine } from '../lib/bench-line';
import { percentile, result, type Benchmark } from '../lib/measure';
import { nodeNow, pageClockOffset } from '../lib/page-clock';
import { seededRandom } from '../lib/random';
import { installScreenPopProbe, type ScreenPopProbe } from '../lib/screen-pop-probe';
import { installSocketTap, type SocketTap } from '../lib/socket-tap';

const HANDLERS = 500;
const ROUNDS = Number(process.env.BENCH_LIVE_UPDATE_ROUNDS ?? 300);
const WARMUP = 20;
const UPDATE_TIMEOUT_MS = 10_000;
/** Handlers on a call for the whole run, handlers left ringing at the start, and the background churn's pace. */
const ON_CALL = 150;
const RINGING = 10;
const CHURN_EVERY_MS = 250;
/** Who is who among the 500: measured handlers toggle break/offline (never offered a call, so nothing else moves them). */
const TARGETS = { from: 380, to: 480 };
/** Handlers only the in-page baseline touches (offline at the engine, never changed there). */
const BASELINE = { from: 480, to: 500 };
const SUPERVISOR = { email: 'supervisor@demo.careconnect.test', password: 'demo-supervisor-2026' };

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const handlerId = (i: number) => `bench-h${String(i).padStart(3, '0')}`;
const rowPill = (id: string) => `[data-testid="handler-${id}"] .state-pill`;
const label = (state: 'offline' | 'break', reason: string | null) => (state === 'break' ? `${handlerStateLabels.break}: ${reason}` : handlerStateLabels.offline);

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`live-update: timed out waiting for ${what}`);
    await sleep(50);
  }
}

function must<T>(outcome: { ok: true; value: T } | { ok: false; refusal: { detail?: string; title: string } }, what: string): T {
  if (!outcome.ok) throw new Error(`live-update: ${what} refused: ${outcome.refusal.title} ${outcome.refusal.detail ?? ''}`);
  return outcome.value;
}

/** The demo supervisor's team, as the central API says at sign-in. */
async function supervisorTeam(apiUrl: string): Promise<string> {
  const response = await fetch(`${apiUrl}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(SUPERVISOR) });
  const teamId = ((await response.json()) as { user?: { teamIds?: string[] } }).user?.teamIds?.[0];
  if (!teamId) throw new Error('live-update: the demo supervisor has no team');
  return teamId;
}

/**
 * The line with 500 handlers of the supervisor's team registered with the routing engine: 150 on calls (callers
 * queued through the provider events and answered), the rest of the first 380 available with 10 callers left ringing
 * (their offers time out and move on, as on a real line), and the measured and baseline handlers off the line.
 */
function staffTheLine(engine: RoutingEngine, teamId: string): HandlerProfile[] {
  const profiles = Array.from({ length: HANDLERS }, (_, i): HandlerProfile => ({ handlerId: handlerId(i), name: `Handler ${String(i).padStart(3, '0')}`, teamIds: [teamId] }));
  for (const profile of profiles) engine.registerHandler(profile);
  const queueIds = engine.queueDefinitions().map((queue) => queue.id);
  if (queueIds.length === 0) throw new Error('live-update: the line has no queues');
  let callerNumber = 0;
  const queueCaller = () => {
    callerNumber += 1;
    return engine.events.callerQueued({ provider: 'simulator', providerCallId: `bench-live-${callerNumber}`, from: `+4411349${String(60_000 + callerNumber).padStart(5, '0')}`, queueId: queueIds[callerNumber % queueIds.length]! });
  };
  for (let i = 0; i < ON_CALL; i++) must(engine.setHandlerState(profiles[i]!, { state: 'available' }, 'self'), 'going available');
  for (let i = 0; i < ON_CALL; i++) {
    const call = engine.call(queueCaller().id);
    if (!call?.handlerId) throw new Error('live-update: a caller was not offered to a free handler');
    must(engine.answer(call.handlerId, call.id), 'answering');
  }
  for (let i = ON_CALL; i < TARGETS.from; i++) must(engine.setHandlerState(profiles[i]!, { state: 'available' }, 'self'), 'going available');
  for (let i = 0; i < RINGING; i++) queueCaller();
  for (let i = TARGETS.from; i < TARGETS.to; i++) {
    if (i % 2 === 0) must(engine.setHandlerState(profiles[i]!, { state: 'break', reason: 'Lunch' }, 'self'), 'taking a break');
  }
  return profiles;
}

/**
 * `live-update-p50/p95` (ms): a handler's state changes at the routing engine, and the supervisor's handlers board
 * shows it, with 500 handlers on the line. The real pieces, in this process as `npm run start:browser` runs them: the
 * central API with its routing engine and live socket (demo organisation, simulator stopped), the desktop core signed
 * in as the demo supervisor, the browser-mode server, and the built renderer in headless Chromium with the live view
 * open. The 500 handlers are of the supervisor's team: 150 on calls, 10 callers ringing round the available ones,
 * and a background churn (one of the available handlers takes or ends a break every 250 ms) so the board keeps moving.
 *
 * Each measured change sends one of 100 handlers who are off the line between a break and offline through the
 * engine (`setHandlerState`, as the API's state route does): engine → live socket → main process → contract event
 * over the browser-mode WebSocket → supervisor store → board row. Timed from just before the engine call (this
 * process's clock) to the first task after the animation frame following the row's commit with the new state (the
 * page's clock; clocks set against each other over DevTools, error reported). Baseline, in the same run and page,
 * interleaved: the same board re-rendering for the same kind of change played into the page as a WebSocket frame
 * (no network, no API, no main process): the page's share alone.
 */
export const liveUpdate: Benchmark = {
  name: 'live-update',
  async run() {
    const work = mkdtempSync(join(tmpdir(), 'care-desk-live-update-'));
    const deskDir = join(work, 'desk');
    mkdirSync(deskDir);
    const logger = createLogger('bench', { level: 'silent' });
    let line: BenchLine | null = null;
    let services: DesktopServices | null = null;
    let server: BrowserModeServer | null = null;
    let browser: Browser | null = null;
    let churn: ReturnType<typeof setInterval> | null = null;
    try {
      const rendererDir = resolve('dist', 'renderer');
      if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('live-update needs the built renderer: npm run build');
      line = await startBenchLine(work);
      services = await startDesktopServices({ dataDir: deskDir, shell: 'browser', appName: 'Care Connect Desk', appVersion: '0.0.0-bench', logger, env: { CARE_DESK_API_URL: line.url } });
      const { core } = services;
      // When the main process hands each handler event to the contract; subscribed before the browser-mode server,
      // so the time is taken before the frame is sent to the page.
      const emittedAt = new Map<string, number>();
      const stopListening = core.events.subscribe((name, payload) => {
        if (name !== 'live.event') return;
        const event = payload as EventPayload<'live.event'>;
        if (event.type === 'handler') emittedAt.set(event.handler.handlerId, nodeNow());
      });
      server = await startBrowserModeServer({ rendererDir, dispatch: services.dispatch, events: core.events, logger });

      browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
      const page: Page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
      await page.addInitScript(installScreenPopProbe);
      await page.addInitScript(installSocketTap);
      // The line is staffed before the supervisor signs in: the desk's first snapshot lists every handler, including
      // those who have not changed state since they were registered.
      const engine = line.engine;
      const profiles = staffTheLine(engine, await supervisorTeam(line.url));
      await page.goto(server.url);
      await signIn(page, SUPERVISOR.email, SUPERVISOR.password);
      await waitFor('the first sync', () => core.sync.state().status === 'online' && core.sync.state().lastSyncedAt !== null && core.sync.state().pending === 0, 120_000);
      await page.getByRole('button', { name: 'Live view' }).click();
      await waitFor('the board to list all 500 handlers', async () => (await page.locator(`[data-testid^="handler-bench-h"]`).count()) === HANDLERS, 60_000);

      const random = seededRandom(11);
      const background = profiles.slice(ON_CALL, TARGETS.from);
      let churned = 0;
      churn = setInterval(() => {
        const profile = background[Math.floor(random() * background.length)]!;
        const state = engine.handler(profile.handlerId)?.state;
        const outcome =
          state === 'available'
            ? engine.setHandlerState(profile, { state: 'break', reason: 'Comfort break' }, 'self')
            : state === 'break' || state === 'not-responding'
              ? engine.setHandlerState(profile, { state: 'available' }, 'self')
              : null;
        if (outcome?.ok) churned += 1;
      }, CHURN_EVERY_MS);

      const targets = profiles.slice(TARGETS.from, TARGETS.to);
      const measured = async (i: number) => {
        const profile = targets[i % targets.length]!;
        const now = engine.handler(profile.handlerId)!;
        const next = now.state === 'break' ? { state: 'offline' as const } : { state: 'break' as const, reason: breakReasons[i % breakReasons.length]! };
        const text = label(next.state, next.state === 'break' ? next.reason : null);
        await page.evaluate(
          ([selector, expected, marker]) => (window as unknown as { __screenPop: ScreenPopProbe }).__screenPop.arm(selector, expected, marker, '"type":"handler"'),
          [rowPill(profile.handlerId), text, `"handlerId":${JSON.stringify(profile.handlerId)}`] as const,
        );
        emittedAt.delete(profile.handlerId);
        const changedAt = nodeNow();
        must(engine.setHandlerState(profile, next, 'self'), 'the measured change');
        const seen = await page.evaluate((timeout) => (window as unknown as { __screenPop: ScreenPopProbe }).__screenPop.result(timeout), UPDATE_TIMEOUT_MS);
        if (seen.paintAt === null || seen.wsAt === null) throw new Error(`live-update: change ${i} (${profile.handlerId} to ${text}) did not show on the board within ${UPDATE_TIMEOUT_MS} ms`);
        const emitted = emittedAt.get(profile.handlerId);
        if (emitted === undefined) throw new Error(`live-update: change ${i} reached the page but was never emitted by the main process`);
        return { changedAt, emittedAt: emitted, wsAt: seen.wsAt, paintAt: seen.paintAt };
      };

      // The baseline's handlers are offline at the engine; the page is told they take a break and come back.
      const shownBreak = new Map<string, boolean>();
      const inPageOnly = async (i: number): Promise<number> => {
        const id = handlerId(BASELINE.from + (i % (BASELINE.to - BASELINE.from)));
        const onBreak = !shownBreak.get(id);
        shownBreak.set(id, onBreak);
        const reason = breakReasons[i % breakReasons.length]!;
        const status: HandlerStatus = { ...engine.handler(id)!, state: onBreak ? 'break' : 'offline', breakReason: onBreak ? reason : null, since: new Date().toISOString() };
        const frame = JSON.stringify({ type: 'event', name: 'live.event', payload: { type: 'handler', handler: status } });
        const seen = await page.evaluate(
          async ([selector, expected, data, timeout]) => {
            const probe = (window as unknown as { __screenPop: ScreenPopProbe }).__screenPop;
            const tap = (window as unknown as { __socketTap: SocketTap }).__socketTap;
            probe.arm(selector, expected, null);
            const start = probe.now();
            tap.inject(data);
            const out = await probe.result(timeout);
            return { start, paintAt: out.paintAt };
          },
          [rowPill(id), label(onBreak ? 'break' : 'offline', onBreak ? reason : null), frame, UPDATE_TIMEOUT_MS] as const,
        );
        if (seen.paintAt === null) throw new Error(`live-update: the in-page update of ${id} did not show on the board`);
        return seen.paintAt - seen.start;
      };

      const before = await pageClockOffset(page);
      const loadBefore = loadavg()[0]!;
      const timings: Awaited<ReturnType<typeof measured>>[] = [];
      const baseline: number[] = [];
      for (let i = 0; i < WARMUP + ROUNDS; i++) {
        // Alternate which goes first, so neither always finds the page just after the other.
        let timed: Awaited<ReturnType<typeof measured>>;
        let still: number;
        if (i % 2 === 0) {
          timed = await measured(i);
          still = await inPageOnly(i);
        } else {
          still = await inPageOnly(i);
          timed = await measured(i);
        }
        if (i >= WARMUP) {
          timings.push(timed);
          baseline.push(still);
        }
        // Changes a few hundred ms apart, at no fixed phase to the page's one-second timers.
        await sleep(100 + random() * 200);
      }
      clearInterval(churn);
      churn = null;
      const after = await pageClockOffset(page);
      stopListening();

      const offsetMs = (before.offsetMs + after.offsetMs) / 2;
      const total = timings.map((t) => t.paintAt - (t.changedAt + offsetMs));
      const hop = timings.map((t) => t.wsAt - (t.changedAt + offsetMs));
      const apiHop = timings.map((t) => t.emittedAt - t.changedAt);
      const pageHop = timings.map((t) => t.wsAt - (t.emittedAt + offsetMs));
      const inPage = timings.map((t) => t.paintAt - t.wsAt);
      const clockNote = `page clock ${offsetMs.toFixed(2)} ms ahead (± ${Math.max(before.errorMs, after.errorMs).toFixed(2)}), moved ${Math.abs(after.offsetMs - before.offsetMs).toFixed(2)} ms over the run`;
      const loadNote = `1-min load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after, on ${availableParallelism()} cores`;
      const what = `${ROUNDS} state changes, ${HANDLERS} handlers on the board (${ON_CALL} on calls, ${RINGING} callers ringing round, ${churned} background changes during the run)`;
      return [
        result('live-update-p50', percentile(total, 50), 'ms', percentile(baseline, 50)),
        result(
          'live-update-p95',
          percentile(total, 95),
          'ms',
          percentile(baseline, 95),
          `target: value <= 1000 ms. Routing engine state change to the supervisor's handlers board painted in Chromium; ${what}; baseline: the same board re-rendering for the same kind of change played into the page as a WebSocket frame (no network); ${clockNote}; ${loadNote}`,
        ),
        result('live-update-in-page-p95', percentile(inPage, 95), 'ms', percentile(baseline, 95), 'handler frame arriving in the page to the board row painted (supervisor store, 500-row board render)'),
        result(
          'live-update-live-hop-p95',
          percentile(hop, 95),
          'ms',
          undefined,
          `routing engine change to its frame arriving in the page; of which engine to main process (API live socket, validation) p50 ${percentile(apiHop, 50).toFixed(1)} / p95 ${percentile(apiHop, 95).toFixed(1)} ms, main process to page (browser-mode WebSocket) p50 ${percentile(pageHop, 50).toFixed(1)} / p95 ${percentile(pageHop, 95).toFixed(1)} ms`,
        ),
      ];
    } finally {
      if (churn) clearInterval(churn);
      await browser?.close();
      await server?.close();
      await services?.close();
      await line?.close();
      rmSync(work, { recursive: true, force: true });
    }
  },
};
