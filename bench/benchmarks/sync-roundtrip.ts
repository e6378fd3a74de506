import { benchFetch } from '../lib/bench-core';
import { assertSynced, nextSyncState, openBenchDesk } from '../lib/bench-desk';
import { percentile, result, sample, type Benchmark, type BenchResult } from '../lib/measure';
import { startBenchApi, syncStoreKinds, type StoreKind } from '../lib/sync-world';

const ROUNDS = Number(process.env.BENCH_ROUNDTRIP_ROUNDS ?? 400);
/** Each round of the nudged path waits out the engine's 100 ms nudge delay, so it gets fewer rounds. */
const NUDGE_ROUNDS = Number(process.env.BENCH_ROUNDTRIP_NUDGE_ROUNDS ?? 60);
const WARMUP = 30;

async function measure(kind: StoreKind): Promise<BenchResult[]> {
  const api = await startBenchApi(kind);
  const team = await api.team('Round trip');
  const desk = await openBenchDesk(api, await api.user(team));
  const { core } = desk;
  try {
    await core.sync.syncNow();
    const caseId = core.cases.create({ type: 'feedback', channel: 'phone' }).id;
    await core.sync.syncNow();
    assertSynced(core);
    let edit = 0;

    /** One edit, timed from its local commit until the outbox is empty; resolves once the whole cycle is over. */
    async function roundTrip(trigger: () => Promise<void> | null): Promise<number> {
      const acknowledged = nextSyncState(core, (state) => state.pending === 0);
      const idle = nextSyncState(core, (state) => state.status === 'online' && state.pending === 0);
      core.cases.updateField(caseId, 'department', `Ward ${(edit += 1)}`);
      const start = performance.now();
      const cycle = trigger();
      await acknowledged;
      const ms = performance.now() - start;
      await (cycle ?? idle);
      return ms;
    }

    // As the app runs: the engine is started, and the edit's nudge starts the push 100 ms later.
    for (let i = 0; i < 3; i++) await roundTrip(() => null);
    const nudged: number[] = [];
    for (let i = 0; i < NUDGE_ROUNDS; i++) nudged.push(await roundTrip(() => null));

    // The engine's own cost: no nudge timer (the engine is stopped), a cycle started right after the commit.
    await core.sync.stop();
    for (let i = 0; i < WARMUP; i++) await roundTrip(() => core.sync.syncNow());
    const immediate: number[] = [];
    for (let i = 0; i < ROUNDS; i++) immediate.push(await roundTrip(() => core.sync.syncNow()));
    assertSynced(core);

    const health = new URL('/health', api.base);
    const baseline = await sample(ROUNDS, async () => {
      const response = await benchFetch(health);
      await response.text();
    });
    const held = await api.store.readCase({ userId: 'bench', name: 'bench', role: 'handler', teamIds: [team] }, caseId, 'bench check');
    if (held?.case.fields.department !== `Ward ${edit}`) throw new Error('the last edit did not reach the central API');

    const why = "edit committed by core.cases.updateField until the outbox is empty (the API has acknowledged it); baseline: GET /health on the same API with the desk's own HTTP client";
    return [
      result(`sync-roundtrip-p50-${kind}`, percentile(immediate, 50), 'ms', percentile(baseline, 50), `target: value <= 2 ms; syncNow() right after the commit; ${why}`),
      result(`sync-roundtrip-p99-${kind}`, percentile(immediate, 99), 'ms', percentile(baseline, 99), `target: value <= 10 ms; syncNow() right after the commit; ${ROUNDS} edits`),
      result(`sync-roundtrip-nudged-p50-${kind}`, percentile(nudged, 50), 'ms', percentile(baseline, 50), `as the app runs: the edit's nudge starts the push after NUDGE_DELAY_MS (100 ms)`),
      result(`sync-roundtrip-nudged-p99-${kind}`, percentile(nudged, 99), 'ms', percentile(baseline, 99), `${NUDGE_ROUNDS} edits`),
    ];
  } finally {
    await desk.close();
    await api.close();
  }
}

/**
 * `sync-roundtrip-p50/p99-<store>` (ms): one case edit on a real desktop core, from its local commit until the
 * central API has acknowledged it and the outbox is empty, through the real sync engine, HTTP transport and API on
 * loopback with real timers. The engine waits 100 ms after a write before pushing (so a burst of keystrokes goes in
 * one push): the headline figures call `syncNow()` right after the commit, to time the engine and the API rather
 * than that delay; `sync-roundtrip-nudged-*` is the app as it runs, delay included. Baseline: one `GET /health`
 * round trip to the same API with the desk's own HTTP client.
 */
export const syncRoundtrip: Benchmark = {
  name: 'sync-roundtrip',
  async run() {
    const lines: BenchResult[] = [];
    for (const kind of await syncStoreKinds()) lines.push(...(await measure(kind)));
    return lines;
  },
};
