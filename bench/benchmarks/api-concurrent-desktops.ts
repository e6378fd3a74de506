import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { keepAliveClient } from '../lib/keep-alive-client';
import { percentile, result, type Benchmark, type BenchResult } from '../lib/measure';
import { RAW_TEAM_HEADER, startRawSyncServer } from '../lib/raw-sync-server';
import { seededRandom } from '../lib/random';
import { desktopMutations } from '../lib/sync-mutations';
import { startBenchApi, syncStoreKinds, type StoreKind } from '../lib/sync-world';

export const LOAD_CHILD_FLAG = '--sync-load-child';

const DESKTOPS = Number(process.env.BENCH_DESKTOPS ?? 200);
const TEAMS = Math.max(1, Math.round(DESKTOPS / 20));
const SECONDS = Number(process.env.BENCH_DESKTOPS_SECONDS ?? 30);
const BASELINE_SECONDS = Number(process.env.BENCH_DESKTOPS_BASELINE_SECONDS ?? 10);
/** Mean pause between one desk's sync cycles (uniform from 0 to twice this). */
const THINK_MS = Number(process.env.BENCH_DESKTOPS_THINK_MS ?? 1000);
/** Latencies in the first seconds (connections opening, code warming up) are not kept. */
const WARMUP_SECONDS = 3;

interface LoadConfig {
  base: string;
  seconds: number;
  thinkMs: number;
  desks: { token: string; teamId: string; clientId: string }[];
}

interface LoadReport {
  push: number[];
  pull: number[];
  mutations: number;
  errors: string[];
  seconds: number;
  /** How busy the load generator's own event loop was (0 to 1): near 1, its latencies include its own queueing. */
  clientBusy: number;
}

/**
 * The cursor and `hasMore` of a pull answer, read from its end (both servers put them after the changes) rather
 * than by parsing a body of many changes, so the load generator stays light.
 */
function pageEnd(body: string): { cursor: number; hasMore: boolean } {
  const at = body.lastIndexOf('"cursor":');
  const more = body.lastIndexOf('"hasMore":');
  if (at < 0 || more < 0) throw new Error(`not a pull answer: ${body.slice(0, 200)}`);
  return { cursor: Number.parseInt(body.slice(at + 9), 10), hasMore: body.startsWith('true', more + 10) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The load generator, run in its own process (`run.cjs --sync-load-child`, config on stdin) so that 200 clients do
 * not share the server's event loop. Each desk loops as the sync engine does: push a few changes (1 to 5: a new
 * case, then its edits), pull until there is no more, pause. Prints one JSON report.
 */
export async function syncLoadChild(): Promise<void> {
  let input = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) input += chunk as string;
  const config = JSON.parse(input) as LoadConfig;
  const report: LoadReport = { push: [], pull: [], mutations: 0, errors: [], seconds: 0, clientBusy: 0 };
  const start = performance.now();
  const keepFrom = start + WARMUP_SECONDS * 1000;
  const end = start + config.seconds * 1000;
  const fail = (what: string) => {
    if (report.errors.length < 20) report.errors.push(what);
  };

  async function desk(index: number, spec: LoadConfig['desks'][number]): Promise<void> {
    const random = seededRandom(1000 + index);
    const client = keepAliveClient(config.base, { authorization: `Bearer ${spec.token}`, [RAW_TEAM_HEADER]: spec.teamId });
    const mutations = desktopMutations({ seed: index });
    let cursor = 0;
    try {
      await sleep(random() * 2 * config.thinkMs);
      while (performance.now() < end) {
        const batch = mutations.take(1 + Math.floor(random() * 5));
        const body = JSON.stringify({ clientId: spec.clientId, mutations: batch });
        const pushStart = performance.now();
        const pushed = await client.post('/sync/push', body);
        if (pushStart >= keepFrom) report.push.push(performance.now() - pushStart);
        if (pushed.status !== 200) fail(`push ${pushed.status} ${pushed.body.slice(0, 200)}`);
        else report.mutations += batch.length;
        for (let more = true; more; ) {
          const pullStart = performance.now();
          const pulled = await client.post('/sync/pull', JSON.stringify({ clientId: spec.clientId, cursor, limit: 1000 }));
          if (pullStart >= keepFrom) report.pull.push(performance.now() - pullStart);
          if (pulled.status !== 200) {
            fail(`pull ${pulled.status} ${pulled.body.slice(0, 200)}`);
            break;
          }
          const page = pageEnd(pulled.body);
          cursor = page.cursor;
          more = page.hasMore;
        }
        await sleep(random() * 2 * config.thinkMs);
      }
    } finally {
      client.close();
    }
  }

  const busy = performance.eventLoopUtilization();
  await Promise.all(config.desks.map((spec, i) => desk(i, spec)));
  report.clientBusy = performance.eventLoopUtilization(busy).utilization;
  report.seconds = (performance.now() - keepFrom) / 1000;
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function runLoad(config: LoadConfig): Promise<LoadReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [process.argv[1]!, LOAD_CHILD_FLAG], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`the load generator exited with ${code}`));
      else resolve(JSON.parse(out) as LoadReport);
    });
    child.stdin.end(JSON.stringify(config));
  });
}

function summary(report: LoadReport) {
  const all = [...report.push, ...report.pull];
  return {
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    pushP99: percentile(report.push, 99),
    pullP99: percentile(report.pull, 99),
    requestsPerSecond: all.length / report.seconds,
    mutationsPerSecond: report.mutations / report.seconds,
  };
}

async function measure(kind: StoreKind): Promise<BenchResult> {
  const api = await startBenchApi(kind);
  const raw = await startRawSyncServer(api.place);
  try {
    const teams = await Promise.all(Array.from({ length: TEAMS }, (_, i) => api.team(`Team ${i + 1}`)));
    const desks: LoadConfig['desks'] = [];
    for (let i = 0; i < DESKTOPS; i++) {
      const teamId = teams[i % TEAMS]!;
      desks.push({ token: (await api.user(teamId)).token, teamId, clientId: randomUUID() });
    }
    // One request first, so the first desk's push does not pay for the API's first compile of everything.
    const warm = keepAliveClient(api.base);
    await warm.get('/health');
    warm.close();

    const serverBusy = performance.eventLoopUtilization();
    const ours = await runLoad({ base: api.base, seconds: SECONDS, thinkMs: THINK_MS, desks });
    const apiBusy = performance.eventLoopUtilization(serverBusy).utilization;
    const baseline = await runLoad({ base: raw.base, seconds: BASELINE_SECONDS, thinkMs: THINK_MS, desks: desks.map((d) => ({ ...d, clientId: randomUUID() })) });
    if (ours.errors.length > 0) throw new Error(`the API refused requests under load: ${ours.errors.join(' | ')}`);
    if (baseline.errors.length > 0) throw new Error(`the raw server refused requests under load: ${baseline.errors.join(' | ')}`);
    const o = summary(ours);
    const b = summary(baseline);
    return result(
      `api-concurrent-desktops-p99-${kind}`,
      o.p99,
      'ms',
      b.p99,
      `${DESKTOPS} desks (${TEAMS} teams) for ${SECONDS} s, each: push 1-5 mutations, pull to the end, pause 0-${2 * THINK_MS} ms; ` +
        `ours p50 ${o.p50.toFixed(1)} ms, push p99 ${o.pushP99.toFixed(1)} ms, pull p99 ${o.pullP99.toFixed(1)} ms, ${o.requestsPerSecond.toFixed(0)} requests/s, ${o.mutationsPerSecond.toFixed(0)} mutations/s, ` +
        `API event loop ${(apiBusy * 100).toFixed(0)}% busy, clients' ${(ours.clientBusy * 100).toFixed(0)}%; ` +
        `baseline (bare server, plain insert/select, ${BASELINE_SECONDS} s) p50 ${b.p50.toFixed(1)} ms, ${b.requestsPerSecond.toFixed(0)} requests/s, ${b.mutationsPerSecond.toFixed(0)} mutations/s`,
    );
  } finally {
    await raw.close();
    await api.close();
  }
}

/**
 * `api-concurrent-desktops-p99-<store>` (ms): 200 simulated desks, each its own user (20 to a team) and client id
 * on its own keep-alive connection, pushing and pulling against the real API on loopback for 30 s, as fast as a
 * desk whose handler saves every half second on average. p99 of every request's latency; the note has p50 and
 * throughput. Baseline: the same load for 10 s against a bare server doing a plain insert per mutation and a plain
 * indexed select per pull on the same kind of store. The clients run in a child process.
 */
export const apiConcurrentDesktops: Benchmark = {
  name: 'api-concurrent-desktops',
  async run() {
    const lines: BenchResult[] = [];
    for (const kind of await syncStoreKinds()) lines.push(await measure(kind));
    return lines;
  },
};
