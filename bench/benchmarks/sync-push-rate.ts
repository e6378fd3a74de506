import { randomUUID } from 'node:crypto';
import { keepAliveClient, postOk, type KeepAliveClient } from '../lib/keep-alive-client';
import { result, type Benchmark, type BenchResult } from '../lib/measure';
import { startRawSyncServer } from '../lib/raw-sync-server';
import { desktopMutations, DESKTOP_PUSH_BATCH, pushBodies } from '../lib/sync-mutations';
import { startBenchApi, syncStoreKinds, type StoreKind } from '../lib/sync-world';

const MUTATIONS = Number(process.env.BENCH_PUSH_MUTATIONS ?? 100_000);
/** Our side stops after this many seconds of pushing (PostgreSQL may not get through 100,000 in a sensible time). */
const BUDGET_SECONDS = Number(process.env.BENCH_PUSH_BUDGET_S ?? 60);
/** Batches per turn: ours and the baseline take turns, so background load falls on both alike. */
const TURN_BATCHES = 10;
const WARMUP_BATCHES = 5;

async function pushAll(client: KeepAliveClient, bodies: readonly string[]): Promise<string> {
  let last = '';
  for (const body of bodies) last = await postOk(client, '/sync/push', body);
  return last;
}

async function measure(kind: StoreKind): Promise<BenchResult> {
  const api = await startBenchApi(kind);
  const raw = await startRawSyncServer(api.place);
  const team = await api.team('Push rate');
  const user = await api.user(team);
  const ours = keepAliveClient(api.base, { authorization: `Bearer ${user.token}` });
  const baseline = keepAliveClient(raw.base);
  try {
    const clientId = randomUUID();
    const mutations = desktopMutations();
    const warmup = pushBodies(clientId, mutations.take(WARMUP_BATCHES * DESKTOP_PUSH_BATCH));
    await pushAll(ours, warmup);
    await pushAll(baseline, warmup);
    let pushed = 0;
    let oursMs = 0;
    let baselineMs = 0;
    let turn = 0;
    let lastAnswer = '';
    while (pushed < MUTATIONS && oursMs < BUDGET_SECONDS * 1000) {
      const count = Math.min(TURN_BATCHES * DESKTOP_PUSH_BATCH, MUTATIONS - pushed);
      const bodies = pushBodies(clientId, mutations.take(count));
      const timeOurs = async () => {
        const start = performance.now();
        lastAnswer = await pushAll(ours, bodies);
        oursMs += performance.now() - start;
      };
      const timeBaseline = async () => {
        const start = performance.now();
        await pushAll(baseline, bodies);
        baselineMs += performance.now() - start;
      };
      if (turn % 2 === 0) {
        await timeOurs();
        await timeBaseline();
      } else {
        await timeBaseline();
        await timeOurs();
      }
      turn += 1;
      pushed += count;
    }
    const acknowledged = (JSON.parse(lastAnswer) as { lastMutationId: number }).lastMutationId;
    if (acknowledged !== WARMUP_BATCHES * DESKTOP_PUSH_BATCH + pushed) throw new Error(`the API acknowledged ${acknowledged} of ${pushed} mutations`);
    const cut = pushed < MUTATIONS ? `; stopped at the ${BUDGET_SECONDS} s budget` : '';
    return result(
      `sync-push-rate-${kind}`,
      pushed / (oursMs / 1000),
      'mutations/s',
      pushed / (baselineMs / 1000),
      `target: ratio >= 0.5; ${pushed.toLocaleString('en-GB')} mutations${cut} (1 case.create + 4 case.updateField per case) in pushes of ${DESKTOP_PUSH_BATCH} on one keep-alive connection; ours ${(oursMs / 1000).toFixed(1)} s, baseline ${(baselineMs / 1000).toFixed(1)} s`,
    );
  } finally {
    ours.close();
    baseline.close();
    await raw.close();
    await api.close();
  }
}

/**
 * `sync-push-rate-<store>` (mutations/s): a desktop's outbox pushed to the real API on loopback, 200 mutations a
 * request on one keep-alive connection, as the sync engine sends them: each push is authenticated, schema-checked
 * and applied in one transaction with its change-log rows. Up to 100,000 mutations, or 60 s of pushing.
 * Baseline: the same request bodies, on the same kind of connection, into a bare HTTP server that inserts each
 * mutation with one plain INSERT into the same kind of store, one transaction a request.
 */
export const syncPushRate: Benchmark = {
  name: 'sync-push-rate',
  async run() {
    const lines: BenchResult[] = [];
    for (const kind of await syncStoreKinds()) lines.push(await measure(kind));
    return lines;
  },
};
