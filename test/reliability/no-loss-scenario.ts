import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE_NAME } from '../../src-main/core/desktop-core';
import { tempDir } from '../helpers';
import { startDeskChild, type ChildRun } from './child-desk';
import type { ChildLine } from './desk-child';
import type { Pacing } from './desk-workload';
import { countsSince, seededRandom, type FaultCounts } from './fault-proxy';
import { PASSWORD, type Person, type ReliabilityWorld } from './reliability-world';
import { checkSets, readDeskCommitted, readDeskHeld, readServerHeld, type CommittedSet, type HeldSet, type SetCheckReport } from './set-check';

export interface NoLossOptions {
  seed: number;
  /** Cases and notes written in all, shared evenly between the three desks. */
  ops: number;
  /** Share of connections the proxy drops before the server, and of answers it loses after the server committed. */
  dropBeforeRate: number;
  loseResponseRate: number;
  /** Paths whose answers the proxy never loses (see `FaultSettings.keepsResponsesOf`). */
  keepsResponsesOf?: (path: string) => boolean;
  /** How the writing desks spread their writes. */
  pacing: Pacing;
  /** How the desk that is killed spreads its writes: denser, as it is down for part of the run. */
  killedDeskPacing: Pacing;
  /** Scales the desks' sync backoff (see `DeskChildConfig.backoffScale`). */
  backoffScale: number;
  /** Mutations per push. */
  batchSize: number;
  /**
   * Desk C is killed with SIGKILL this many times while it writes, and this many times while it starts (opening its
   * cache, restoring or making its session), in a seeded order; each time it is restarted on the same data folder,
   * and after the last kill it is left to finish its share.
   */
  kills: { whileWriting: number; duringStartUp: number };
  /** A kill while writing lands just after the run has committed this many writes, drawn evenly from the range. */
  killAfterCommits: [number, number];
  /** The desk program, bundled (see `bundleDeskChild`). */
  bundle: string;
  /** When the first outage starts after desks A and B have begun writing, in ms; more follow while they write. */
  firstOutageAfterMs: number;
  /** Desk A drops outbox entries before the server has them (the control). */
  acknowledgeBeforeSending?: boolean;
  /** How long the outboxes get to empty once the faults stop. */
  drainTimeoutMs?: number;
}

export interface NoLossResult {
  /** The desks' committed sets against the server's. */
  report: SetCheckReport;
  /** Each open desk's cache against the server, after a final pull. */
  convergence: { desk: string; report: SetCheckReport }[];
  committed: { desk: string; cases: number; notes: number }[];
  server: { cases: number; notes: number };
  /**
   * What the proxy did in the fault window: from when the faults are turned on (before any desk starts) to when they
   * are turned off (every desk has written its share and the last kill is over). The catch-up after is left out.
   */
  faults: FaultCounts;
  faultsByPath: Record<string, FaultCounts>;
  /** What the proxy did on each path once the faults had stopped, until every desk had closed. */
  afterFaultsByPath: Record<string, FaultCounts>;
  outages: { count: number; ms: number };
  kills: {
    total: number;
    duringStartUp: number;
    /** Kills that landed while the run was writing: it had said it committed writes, and not that it was done. */
    whileWriting: number;
    /** For each killed run in order, the writes it had said it committed when the kill was sent. */
    commitsBeforeKill: number[];
    runs: number;
    signIns: number;
  };
  /** Commits the child reported on stdout that its own cache does not hold (should be none). */
  reportedNotInCache: string[];
  drainMs: number;
  writeMs: number;
  /** When each desk had written its share, from the start of the writes. */
  doneAfterMs: Record<string, number>;
  /** What the API warned about, by message, with how often. */
  apiWarnings: Record<string, number>;
}

interface ChildDesk {
  name: string;
  who: Person;
  /** Cases and notes this desk writes over all its runs. */
  budget: number;
  dir: { path: string; remove(): void };
  runs: ChildRun[];
  pacing: Pacing;
  /** For the reading desk: press "Sync now" this often, and pull in small pages. */
  syncEveryMs?: number;
  pullLimit?: number;
}

/** The reading desk presses "Sync now" this often and pulls pages this small, so pulls meet the faults too. */
const READER_SYNC_EVERY_MS = 300;
const READER_PULL_LIMIT = 200;

function countBy(items: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const isCommit = (line: ChildLine) => line.op === 'case' || line.op === 'note';
const commitsOf = (run: ChildRun) => run.lines.filter(isCommit).length;

/** The order of the kills: while writing or during start-up, shuffled with the run's seed. */
function killPlan(kills: NoLossOptions['kills'], random: () => number): ('writing' | 'start-up')[] {
  const plan = [...Array<'writing'>(kills.whileWriting).fill('writing'), ...Array<'start-up'>(kills.duringStartUp).fill('start-up')];
  for (let i = plan.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [plan[i], plan[j]] = [plan[j]!, plan[i]!];
  }
  return plan;
}

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean> | boolean, describe: () => string | Promise<string>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs} ms: ${await describe()}`);
    await sleep(100);
  }
}

/** Asks the child to do `command` and resolves with the state line it answers with. */
async function askChild(run: ChildRun, command: 'sync' | 'state'): Promise<Extract<ChildLine, { op: 'state' }>> {
  const from = run.lines.length;
  run.send(command);
  return (await run.waitFor((line) => line.op === 'state' && run.lines.indexOf(line) >= from, 30_000)) as Extract<ChildLine, { op: 'state' }>;
}

/**
 * Jepsen's set test for sync: three desks of one team (processes running the real desktop core) write cases and
 * notes, and a supervisor's desk reads, through a fault proxy that drops connections, loses answers after the
 * server committed, and plays dead now and then, while one writing desk is killed with SIGKILL again and again.
 * Then the faults stop, every outbox must empty, and what each desk committed (read from its own cache) is compared
 * with what the server holds, and each open desk's cache with the server's after a final pull.
 */
export async function runNoLossScenario(world: ReliabilityWorld, options: NoLossOptions): Promise<NoLossResult> {
  const random = seededRandom(options.seed);
  const seedFor = () => Math.floor(random() * 2 ** 31);
  const { proxy, people } = world;
  Object.assign(proxy.settings, {
    dropBeforeRate: options.dropBeforeRate,
    loseResponseRate: options.loseResponseRate,
    down: false,
    keepsResponsesOf: options.keepsResponsesOf,
  });
  const snapshot = () => ({ total: { ...proxy.counts }, byPath: new Map([...proxy.countsByPath].map(([path, counts]) => [path, { ...counts }])) });
  const since = (earlier: ReturnType<typeof snapshot>) => ({
    total: countsSince(proxy.counts, earlier.total),
    byPath: Object.fromEntries([...proxy.countsByPath].map(([path, counts]) => [path, countsSince(counts, earlier.byPath.get(path))])),
  });
  const faultsOn = snapshot();

  const share = Math.floor(options.ops / 3);
  const desks: ChildDesk[] = [
    { name: 'A', who: people.asha, budget: options.ops - 2 * share, dir: tempDir('care-desk-reliability-A-'), runs: [], pacing: options.pacing },
    { name: 'B', who: people.ben, budget: share, dir: tempDir('care-desk-reliability-B-'), runs: [], pacing: options.pacing },
    { name: 'C', who: people.chloe, budget: share, dir: tempDir('care-desk-reliability-C-'), runs: [], pacing: options.killedDeskPacing },
    // The supervisor's desk writes nothing; it reads the whole time, so pulls (not only pushes) go through faults.
    { name: 'S', who: people.sam, budget: 0, dir: tempDir('care-desk-reliability-S-'), runs: [], pacing: options.pacing, syncEveryMs: READER_SYNC_EVERY_MS, pullLimit: READER_PULL_LIMIT },
  ];
  const [asha, ben, chloe, sam] = desks as [ChildDesk, ChildDesk, ChildDesk, ChildDesk];
  const start = (desk: ChildDesk): ChildRun => {
    const run = startDeskChild(options.bundle, {
      dataDir: desk.dir.path,
      apiUrl: proxy.url,
      email: desk.who.email,
      password: PASSWORD,
      userId: desk.who.id,
      seed: seedFor(),
      budget: desk.budget,
      pacing: desk.pacing,
      ...(desk.syncEveryMs ? { syncEveryMs: desk.syncEveryMs } : {}),
      ...(desk.pullLimit ? { pullLimit: desk.pullLimit } : {}),
      backoffScale: options.backoffScale,
      batchSize: options.batchSize,
      tag: `${desk.name}${desk.runs.length}`,
      acknowledgeBeforeSending: desk === asha && (options.acknowledgeBeforeSending ?? false),
    });
    desk.runs.push(run);
    return run;
  };
  const doneAfterMs: Record<string, number> = {};
  const finished = (desk: ChildDesk, run: ChildRun) =>
    run.waitFor((line) => line.op === 'done' || line.op === 'error', 120_000).then((line) => {
      if (line.op === 'error') throw new Error(`desk ${desk.name} failed: ${line.message}`);
      doneAfterMs[desk.name] = Date.now() - writeStarted;
    });

  const writeStarted = Date.now();
  try {
    let writing = true;
    let stopWriting = () => undefined as void;
    const writesOver = new Promise<void>((resolve) => (stopWriting = resolve));
    const outages = { count: 0, ms: 0 };
    const runs = { asha: start(asha), ben: start(ben), sam: start(sam) };
    // Outages start once the writing desks are signed in and writing, so the first one meets writes in flight.
    const writingBegun = Promise.all([runs.asha, runs.ben].map((run) => run.waitFor((line) => line.op === 'case' || line.op === 'note', 60_000)));
    const outageLoop = (async () => {
      // Waits end early when the writes are over: the faults stop then anyway.
      const wait = (ms: number) => Promise.race([sleep(ms), writesOver]);
      await Promise.race([writingBegun.catch(() => undefined), writesOver]);
      let quiet = options.firstOutageAfterMs;
      while (writing) {
        await wait(quiet);
        if (!writing) break;
        const began = Date.now();
        proxy.settings.down = true;
        await wait(Math.round(800 + random() * 1700));
        proxy.settings.down = false;
        outages.count += 1;
        outages.ms += Date.now() - began;
        quiet = Math.round(1500 + random() * 3000);
      }
    })();

    const kills: NoLossResult['kills'] = { total: 0, duringStartUp: 0, whileWriting: 0, commitsBeforeKill: [], runs: 0, signIns: 0 };
    const killLoop = async () => {
      for (const when of killPlan(options.kills, random)) {
        const run = start(chloe);
        if (when === 'start-up') {
          kills.duringStartUp += 1;
          await sleep(Math.round(20 + random() * 250));
        } else {
          // Just after its k-th commit, or when it says it is done (which only a desk whose share ran out would).
          const [least, most] = options.killAfterCommits;
          const k = least + Math.floor(random() * (most - least + 1));
          await run.waitFor((line) => line.op === 'done' || line.op === 'error' || commitsOf(run) >= k, 30_000);
        }
        // What the run had said when the kill was sent: lines still in the pipe are not counted.
        const commits = commitsOf(run);
        const done = run.lines.some((line) => line.op === 'done');
        run.kill();
        const exit = await run.exited;
        if (exit.signal !== 'SIGKILL') throw new Error(`desk C stopped by itself (exit ${exit.code}): ${run.stderr()} ${JSON.stringify(run.lines.slice(-3))}`);
        kills.total += 1;
        kills.commitsBeforeKill.push(commits);
        if (commits > 0 && !done) kills.whileWriting += 1;
      }
      // Restarted once more on the same data folder, and left to finish its share.
      await finished(chloe, start(chloe));
    };
    try {
      await Promise.all([finished(asha, runs.asha), finished(ben, runs.ben), finished(sam, runs.sam), killLoop()]);
    } finally {
      writing = false;
      stopWriting();
      await outageLoop;
    }
    const writeMs = Date.now() - writeStarted;
    kills.runs = chloe.runs.length;
    kills.signIns = chloe.runs.reduce((sum, run) => sum + run.lines.filter((line) => line.op === 'signed-in').length, 0);

    // The line is back: every desk syncs now (the handler's "Sync now", or the health check noticing), and every
    // outbox must then empty on its own.
    const window = since(faultsOn);
    Object.assign(proxy.settings, { dropBeforeRate: 0, loseResponseRate: 0, down: false });
    const faultsOff = snapshot();
    const open = desks.map((desk) => desk.runs.at(-1)!);
    for (const run of open) run.send('sync');
    const pending = () => Promise.all(open.map(async (run) => (await askChild(run, 'state')).pending));
    const drainMs = await waitUntil(
      'every outbox emptying',
      options.drainTimeoutMs ?? 60_000,
      async () => (await pending()).every((n) => n === 0),
      async () => `pending ${JSON.stringify(await Promise.all(open.map((run) => askChild(run, 'state'))))}`,
    );

    // A final pull on every open desk; then each closes and its cache is read.
    await Promise.all(open.map((run) => askChild(run, 'sync')));
    for (const run of open) run.send('close');
    for (const [i, run] of open.entries()) {
      const exit = await run.exited;
      if (exit.code !== 0) throw new Error(`desk ${desks[i]!.name} did not close cleanly (exit ${exit.code}): ${run.stderr()}`);
    }
    const committed: CommittedSet[] = [];
    const held: { desk: string; held: HeldSet }[] = [];
    const reportedNotInCache: string[] = [];
    for (const desk of desks) {
      const db = new Database(join(desk.dir.path, DATABASE_FILE_NAME), { readonly: true });
      try {
        const installId = JSON.parse(db.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'installId'").get()!.value) as string;
        const own = readDeskCommitted(db, desk.name, [desk.who.id, `desk-${installId.slice(0, 8)}`]);
        committed.push(own);
        held.push({ desk: desk.name, held: readDeskHeld(db) });
        // Jepsen's durability half: whatever a desk said it had committed, even just before a kill, its cache holds.
        const ownIds = new Set([...own.cases, ...own.notes.map((note) => note.id)]);
        for (const run of desk.runs) {
          for (const line of run.lines) if ((line.op === 'case' || line.op === 'note') && !ownIds.has(line.id)) reportedNotInCache.push(line.id);
        }
      } finally {
        db.close();
      }
    }
    const afterFaults = since(faultsOff);
    const server = await readServerHeld(world.store);
    const serverAsCommitted: CommittedSet = { desk: 'server', cases: server.cases, notes: server.notes };
    return {
      report: checkSets(committed, server),
      convergence: held.map(({ desk, held: cache }) => ({ desk, report: checkSets([serverAsCommitted], cache) })),
      committed: committed.map((set) => ({ desk: set.desk, cases: set.cases.length, notes: set.notes.length })),
      server: { cases: server.cases.length, notes: server.notes.length },
      faults: window.total,
      faultsByPath: window.byPath,
      afterFaultsByPath: afterFaults.byPath,
      outages,
      kills,
      reportedNotInCache,
      drainMs,
      writeMs,
      doneAfterMs,
      apiWarnings: countBy(world.apiWarnings().map((line) => (JSON.parse(line) as { msg?: string }).msg ?? line)),
    };
  } finally {
    // A run that failed half-way must not leave a desk process behind.
    const runs = desks.flatMap((desk) => desk.runs);
    for (const run of runs) run.kill();
    await Promise.all(runs.map((run) => run.exited));
    for (const desk of desks) desk.dir.remove();
  }
}
