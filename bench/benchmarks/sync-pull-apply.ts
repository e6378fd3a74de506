import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MAX_PULL_CHANGES, type Change, type PullResponse } from '../../src-shared/sync/protocol';
import { startApiProcess, type ApiProcess } from '../lib/api-process';
import { assertSynced, openBenchDesk } from '../lib/bench-desk';
import { keepAliveClient, postOk } from '../lib/keep-alive-client';
import { percentile, result, type Benchmark, type BenchResult } from '../lib/measure';
import { desktopMutations, pushBodies } from '../lib/sync-mutations';
import { startLatencyProxy } from '../lib/latency-proxy';
import { syncStoreKinds, type BenchUser, type StoreKind } from '../lib/sync-world';

const CHANGES = Number(process.env.BENCH_PULL_CHANGES ?? 20_000);
/** Measured pulls (each by a fresh desk, after one unmeasured warm-up pull) and raw upsert runs, alternating. */
const ROUNDS = Number(process.env.BENCH_PULL_ROUNDS ?? 3);
/** The far desk's link: this many ms each way (a 20 ms round trip, a regional wide-area network). */
const FAR_DELAY_MS = Number(process.env.BENCH_PULL_FAR_DELAY_MS ?? 10);

/**
 * Each case of the seed is a `case.create` and four field edits, pushed together (pushes of 200 hold whole cases),
 * so it leaves six changes to pull: the case as it now is (a push logs one state per case) and its five timeline
 * events. Seeded with enough cases for about CHANGES changes.
 */
const CHANGES_PER_CASE = 6;
const MUTATIONS_PER_CASE = 5;
const CASES = Math.round(CHANGES / CHANGES_PER_CASE);

/**
 * The baseline: the same changes, a page of 1,000 at a time (one transaction each, as the desktop applies a page),
 * upserted by raw prepared SQL into a bare table of a fresh local database with the desktop's WAL and
 * synchronous=FULL. Returns the seconds taken.
 */
function rawUpsert(path: string, pages: readonly Change[][]): number {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE pulled (entity TEXT NOT NULL, entity_id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (entity, entity_id))');
    const upsert = db.prepare<[string, string, number, string, string]>(
      'INSERT INTO pulled (entity, entity_id, seq, data, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (entity, entity_id) DO UPDATE SET seq = excluded.seq, data = excluded.data, at = excluded.at',
    );
    const applyPage = db.transaction((page: readonly Change[]) => {
      for (const change of page) upsert.run(change.entity, change.entityId, change.seq, JSON.stringify(change.data), change.at);
    });
    const start = performance.now();
    for (const page of pages) applyPage(page);
    return (performance.now() - start) / 1000;
  } finally {
    db.close();
  }
}

async function seed(api: ApiProcess, token: string): Promise<void> {
  const client = keepAliveClient(api.base, { authorization: `Bearer ${token}` });
  try {
    for (const body of pushBodies(randomUUID(), desktopMutations({ seed: 21 }).take(CASES * MUTATIONS_PER_CASE))) await postOk(client, '/sync/push', body);
  } finally {
    client.close();
  }
}

/** A fresh desk pulls everything through `apiBase`: the seconds `syncNow` took, checked to have ended synced. */
async function freshDeskPull(apiBase: string, reader: BenchUser): Promise<number> {
  const desk = await openBenchDesk({ base: apiBase }, reader, { autoSync: false });
  try {
    const start = performance.now();
    await desk.core.sync.syncNow();
    const seconds = (performance.now() - start) / 1000;
    assertSynced(desk.core);
    const cases = (desk.core.db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n;
    if (cases !== CASES) throw new Error(`the desk has ${cases} cases after the pull`);
    return seconds;
  } finally {
    await desk.close();
  }
}

/** Every page of changes `reader` may see, pulled over HTTP as a desk would (for the baseline to upsert). */
async function pulledPages(api: ApiProcess, reader: BenchUser): Promise<Change[][]> {
  const client = keepAliveClient(api.base, { authorization: `Bearer ${reader.token}` });
  try {
    const pages: Change[][] = [];
    const clientId = randomUUID();
    for (let cursor = 0, more = true; more; ) {
      const page = JSON.parse(await postOk(client, '/sync/pull', JSON.stringify({ clientId, cursor, limit: MAX_PULL_CHANGES }))) as PullResponse;
      pages.push(page.changes);
      cursor = page.cursor;
      more = page.hasMore;
    }
    return pages;
  } finally {
    client.close();
  }
}

async function measure(kind: StoreKind): Promise<BenchResult[]> {
  // The API in a process of its own, as in the field (on another machine): its side of each page runs beside the
  // desk's apply, not on the desk's thread.
  const api = await startApiProcess(kind);
  const dir = mkdtempSync(join(tmpdir(), 'care-desk-bench-pull-'));
  try {
    const team = await api.team('Pull');
    const writer = await api.user(team);
    const reader = await api.user(team);
    await seed(api, writer.token);

    // The same changes the desk will pull, for the baseline.
    const pages = await pulledPages(api, reader);
    const total = pages.reduce((sum, page) => sum + page.length, 0);

    // One unmeasured round warms both up (the desk's apply and JSON code paths are compiled on their first pull),
    // then each round runs both, taking turns at going first; the medians are reported.
    const seconds: number[] = [];
    const raw: number[] = [];
    for (let round = 0; round <= ROUNDS; round++) {
      const rawPath = join(dir, `raw-${round}.sqlite3`);
      const rawBefore = round % 2 === 0 ? rawUpsert(rawPath, pages) : null;
      const ours = await freshDeskPull(api.base, reader);
      const rawSeconds = rawBefore ?? rawUpsert(rawPath, pages);
      if (round === 0) continue;
      seconds.push(ours);
      raw.push(rawSeconds);
    }
    const median = percentile(seconds, 50);
    const baseline = percentile(raw, 50);
    const lines = [
      result(
        `sync-pull-apply-rate-${kind}`,
        total / median,
        'rows/s',
        total / baseline,
        `target: ratio >= 0.5; ${total.toLocaleString('en-GB')} changes (${CASES.toLocaleString('en-GB')} new cases, each with 4 field edits: its newest state and 5 timeline events) pulled in pages of ${MAX_PULL_CHANGES} by a fresh desk and applied; median of ${ROUNDS} after a warm-up: ours ${median.toFixed(2)} s (${seconds.map((s) => s.toFixed(2)).join(', ')}), baseline ${baseline.toFixed(2)} s (${raw.map((s) => s.toFixed(2)).join(', ')})`,
      ),
    ];
    if (kind === 'sqlite') {
      // The same pull by a desk 20 ms away: the engine asks for each next page before applying the one it has.
      const proxy = await startLatencyProxy(api.port, FAR_DELAY_MS);
      try {
        const farRuns: number[] = [];
        for (let round = 0; round < ROUNDS; round++) farRuns.push(await freshDeskPull(proxy.base, reader));
        const far = percentile(farRuns, 50);
        const pagesPulled = Math.ceil(total / MAX_PULL_CHANGES);
        lines.push(
          result(
            `sync-pull-far-desk-${kind}`,
            far,
            's',
            median,
            `median of ${ROUNDS}: the same ${total.toLocaleString('en-GB')} changes pulled by a fresh desk through a proxy (its own process) adding ${FAR_DELAY_MS} ms each way; baseline: the loopback pulls above (median); a page at a time would add at least ${pagesPulled} round trips, ${((pagesPulled * 2 * FAR_DELAY_MS) / 1000).toFixed(2)} s`,
          ),
        );
      } finally {
        proxy.close();
      }
    }
    return lines;
  } finally {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `sync-pull-apply-rate-<store>` (rows/s): a fresh desktop core pulling about 20,000 server changes (its team's new
 * cases and their timeline events, made on another desk) through its sync engine and HTTP transport, and applying them to
 * its local cache: case rows, timeline events, search index, each page in one transaction with its cursor. The
 * central API runs in its own process, as it runs on its own machine in the field.
 * Baseline: a raw upsert loop of the same changes into a bare local SQLite table with the same synchronous=FULL, a
 * page a transaction (no HTTP, no checks). One warm-up round of each, then ROUNDS of each taking turns at going
 * first; medians.
 */
export const syncPullApplyRate: Benchmark = {
  name: 'sync-pull-apply-rate',
  async run() {
    const lines: BenchResult[] = [];
    for (const kind of await syncStoreKinds()) lines.push(...(await measure(kind)));
    return lines;
  },
};
