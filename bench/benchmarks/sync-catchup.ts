import type { Mutation } from '../../src-shared/sync/protocol';
import { assertSynced, nextSyncState, openBenchDesk, type BenchDesk } from '../lib/bench-desk';
import { keepAliveClient, postOk } from '../lib/keep-alive-client';
import { percentile, result, type Benchmark, type BenchResult } from '../lib/measure';
import { startRawSyncServer } from '../lib/raw-sync-server';
import { seededRandom } from '../lib/random';
import { pushBodies } from '../lib/sync-mutations';
import { startBenchApi, syncStoreKinds, type StoreKind } from '../lib/sync-world';
import { createVocabulary } from '../lib/vocabulary';

const QUEUED = 2_000;
const ROUNDS = Number(process.env.BENCH_CATCHUP_ROUNDS ?? 3);
const EDITS_PER_CASE = 4;

const vocabulary = createVocabulary(2_000);

/**
 * `count` changes made on the desk while it could not reach the API, through the real repositories (so each has
 * its outbox entry): new cases, each followed by four autosaves. One outer transaction, to set up quickly.
 */
function workOffline(desk: BenchDesk, count: number, random: () => number): void {
  const { core } = desk;
  core.db.transaction(() => {
    for (let made = 0; made < count; ) {
      const caseId = core.cases.create({ type: 'feedback', channel: 'phone' }).id;
      made += 1;
      for (let edit = 0; edit < EDITS_PER_CASE && made < count; edit++, made++) {
        if (edit % 2 === 0) core.cases.updateField(caseId, 'description', vocabulary.text(random, 20 + Math.floor(random() * 31)));
        else core.cases.updateField(caseId, 'department', `Ward ${made}`);
      }
    }
  })();
  if (core.outbox.count() !== count) throw new Error(`expected ${count} queued changes, found ${core.outbox.count()}`);
}

async function measure(kind: StoreKind): Promise<BenchResult[]> {
  const api = await startBenchApi(kind);
  const raw = await startRawSyncServer(api.place);
  const desk = await openBenchDesk(api, await api.user(await api.team('Catch-up')), { autoSync: false });
  const baselineClient = keepAliveClient(raw.base);
  const random = seededRandom(5);
  try {
    const { core } = desk;
    const drained: number[] = [];
    const cycles: number[] = [];
    const baseline: number[] = [];
    for (let round = -1; round < ROUNDS; round++) {
      workOffline(desk, round < 0 ? 200 : QUEUED, random);
      const queued = core.outbox.peek(QUEUED).map((entry) => ({ id: entry.mutationId, name: entry.name, args: entry.args }) as Mutation);
      const bodies = pushBodies(core.installId, queued);

      // Back online: the connection monitor calls syncNow(), which pushes everything queued, then pulls.
      const empty = nextSyncState(core, (state) => state.pending === 0);
      const start = performance.now();
      const cycle = core.sync.syncNow();
      await empty;
      const drainMs = performance.now() - start;
      await cycle;
      const cycleMs = performance.now() - start;
      assertSynced(core);

      const rawStart = performance.now();
      for (const body of bodies) await postOk(baselineClient, '/sync/push', body);
      const rawMs = performance.now() - rawStart;
      if (round >= 0) {
        drained.push(drainMs);
        cycles.push(cycleMs);
        baseline.push(rawMs);
      }
    }
    return [
      result(
        `sync-catchup-2000-${kind}`,
        percentile(drained, 50),
        'ms',
        percentile(baseline, 50),
        `target: value <= 1000 ms; ${QUEUED.toLocaleString('en-GB')} queued local changes (1 new case : 4 field edits) until the outbox is empty, median of ${ROUNDS}; the whole cycle with the pull of their echoes took ${percentile(cycles, 50).toFixed(0)} ms; baseline: the same pushes as keep-alive POSTs into a bare server doing a plain insert per mutation`,
      ),
    ];
  } finally {
    baselineClient.close();
    await desk.close();
    await raw.close();
    await api.close();
  }
}

/**
 * `sync-catchup-2000-<store>` (ms): a desk that made 2,000 changes while it could not reach the central API comes
 * back: from `syncNow()` (what the connection monitor calls on reconnect) until the outbox is empty, every change
 * pushed in batches of 200 and acknowledged by the real API on loopback. Baseline: the same 10 request bodies posted
 * on one keep-alive connection to a bare server that inserts each mutation with one plain INSERT.
 */
export const syncCatchup: Benchmark = {
  name: 'sync-catchup-2000',
  async run() {
    const lines: BenchResult[] = [];
    for (const kind of await syncStoreKinds()) lines.push(...(await measure(kind)));
    return lines;
  },
};
