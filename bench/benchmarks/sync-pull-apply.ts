import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MAX_PULL_CHANGES, type Change } from '../../src-shared/sync/protocol';
import { assertSynced, openBenchDesk } from '../lib/bench-desk';
import { keepAliveClient, postOk } from '../lib/keep-alive-client';
import { result, type Benchmark, type BenchResult } from '../lib/measure';
import { desktopMutations, pushBodies } from '../lib/sync-mutations';
import { startLatencyProxy } from '../lib/latency-proxy';
import { startBenchApi, syncStoreKinds, type BenchApi, type BenchUser, type StoreKind } from '../lib/sync-world';

const CHANGES = Number(process.env.BENCH_PULL_CHANGES ?? 20_000);
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

async function seed(api: BenchApi, token: string): Promise<void> {
  const client = keepAliveClient(api.base, { authorization: `Bearer ${token}` });
  try {
    for (const body of pushBodies(randomUUID(), desktopMutations({ seed: 21 }).take(CASES * MUTATIONS_PER_CASE))) await postOk(client, '/sync/push', body);
  } finally {
    client.close();
  }
}

/** A fresh desk pulls everything through `apiBase`: the seconds `syncNow` took, checked to have ended synced. */
async function freshDeskPull(api: BenchApi, reader: BenchUser, apiBase = api.base): Promise<number> {
  const desk = await openBenchDesk({ ...api, base: apiBase }, reader, { autoSync: false });
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

async function measure(kind: StoreKind): Promise<BenchResult[]> {
  const api = await startBenchApi(kind);
  try {
    const team = await api.team('Pull');
    const writer = await api.user(team);
    const reader = await api.user(team);
    await seed(api, writer.token);

    // The same changes the desk will pull, read straight from the store for the baseline.
    const actor = { userId: reader.id, name: reader.name, role: 'handler' as const, teamIds: [team] };
    const pages: Change[][] = [];
    for (let cursor = 0, more = true; more; ) {
      const page = await api.store.pull(actor, randomUUID(), cursor, MAX_PULL_CHANGES);
      pages.push(page.changes);
      cursor = page.cursor;
      more = page.hasMore;
    }
    const total = pages.reduce((sum, page) => sum + page.length, 0);

    const before = rawUpsert(join(api.place.dir, 'raw-before.sqlite3'), pages);
    const seconds = await freshDeskPull(api, reader);
    const after = rawUpsert(join(api.place.dir, 'raw-after.sqlite3'), pages);
    const baseline = (before + after) / 2;
    const lines = [
      result(
        `sync-pull-apply-rate-${kind}`,
        total / seconds,
        'rows/s',
        total / baseline,
        `target: ratio >= 0.5; ${total.toLocaleString('en-GB')} changes (${CASES.toLocaleString('en-GB')} new cases, each with 4 field edits: its newest state and 5 timeline events) pulled in pages of ${MAX_PULL_CHANGES} by a fresh desk and applied; ours ${seconds.toFixed(2)} s, baseline ${baseline.toFixed(2)} s`,
      ),
    ];
    if (kind === 'sqlite') {
      // The same pull by a desk 20 ms away: the engine asks for each next page before applying the one it has.
      const proxy = await startLatencyProxy(api.port, FAR_DELAY_MS);
      try {
        const far = await freshDeskPull(api, reader, proxy.base);
        const pagesPulled = Math.ceil(total / MAX_PULL_CHANGES);
        lines.push(
          result(
            `sync-pull-far-desk-${kind}`,
            far,
            's',
            seconds,
            `the same ${total.toLocaleString('en-GB')} changes pulled by a fresh desk through a proxy (its own process) adding ${FAR_DELAY_MS} ms each way; baseline: the loopback pull above; a page at a time would add at least ${pagesPulled} round trips, ${((pagesPulled * 2 * FAR_DELAY_MS) / 1000).toFixed(2)} s`,
          ),
        );
      } finally {
        proxy.close();
      }
    }
    return lines;
  } finally {
    await api.close();
  }
}

/**
 * `sync-pull-apply-rate-<store>` (rows/s): a fresh desktop core pulling about 20,000 server changes (its team's new
 * cases and their timeline events, made on another desk) through its sync engine and HTTP transport, and applying them to
 * its local cache: case rows, timeline events, search index, each page in one transaction with its cursor.
 * Baseline: a raw upsert loop of the same changes into a bare local SQLite table with the same synchronous=FULL, a
 * page a transaction (no HTTP, no checks); measured before and after ours, averaged.
 */
export const syncPullApplyRate: Benchmark = {
  name: 'sync-pull-apply-rate',
  async run() {
    const lines: BenchResult[] = [];
    for (const kind of await syncStoreKinds()) lines.push(...(await measure(kind)));
    return lines;
  },
};
