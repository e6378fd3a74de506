import { apiConcurrentDesktops, LOAD_CHILD_FLAG, syncLoadChild } from './benchmarks/api-concurrent-desktops';
import { caseSave } from './benchmarks/case-save';
import { contractRoundtrip } from './benchmarks/contract-roundtrip';
import { coreOpen } from './benchmarks/core-open';
import { coreRss, RSS_CHILD_FLAG, rssChild } from './benchmarks/core-rss';
import { inboxList } from './benchmarks/inbox-list';
import { liveUpdate } from './benchmarks/live-update';
import { report30d1m } from './benchmarks/report-30d-1m';
import { routingDecision } from './benchmarks/routing-decision';
import { screenPopLookup } from './benchmarks/screen-pop-lookup';
import { screenPopRender } from './benchmarks/screen-pop-render';
import { search } from './benchmarks/search';
import { seedRate } from './benchmarks/seed-rate';
import { simulatorDay } from './benchmarks/simulator-day';
import { syncCatchup } from './benchmarks/sync-catchup';
import { syncPullApplyRate } from './benchmarks/sync-pull-apply';
import { syncPushRate } from './benchmarks/sync-push-rate';
import { syncPushVsPouchdb } from './benchmarks/sync-push-vs-pouchdb';
import { syncRoundtrip } from './benchmarks/sync-roundtrip';
import { BENCH_API_FLAG, benchApiChild } from './lib/api-process';
import { LATENCY_PROXY_FLAG, latencyProxyChild } from './lib/latency-proxy';
import type { Benchmark } from './lib/measure';
import type { StoreKind } from './lib/sync-world';

/**
 * `npm run bench`: prints one JSON object per line (`name`, `value`, `unit`, and where a baseline is measured in
 * the same run, `baseline` and `ratio`). `--only=a,b` runs the named benchmarks. The million-case benchmarks share
 * one seeded database, built on first use and cached (see bench/lib/seeded-cache.ts); progress goes to stderr.
 * The sync benchmarks run the real central API on loopback, once per store: SQLite, and PostgreSQL in a fresh
 * database made on `BENCH_PG_URL` (default postgres://postgres@127.0.0.1:5432/test) and dropped after;
 * `BENCH_SYNC_STORES=sqlite` leaves PostgreSQL out.
 * `screen-pop-render` and `live-update` drive the built renderer (`npm run build`) in headless Chromium:
 * `CHROMIUM_PATH`, or /usr/bin/chromium.
 */
const benchmarks: Benchmark[] = [
  coreOpen,
  contractRoundtrip,
  screenPopLookup,
  inboxList,
  screenPopRender,
  liveUpdate,
  caseSave,
  search,
  coreRss,
  seedRate,
  syncPushRate,
  syncPushVsPouchdb,
  syncRoundtrip,
  syncPullApplyRate,
  syncCatchup,
  apiConcurrentDesktops,
  routingDecision,
  report30d1m,
  simulatorDay,
];

async function main(): Promise<void> {
  const onlyArg = process.argv.find((arg) => arg.startsWith('--only='));
  const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : null;
  const chosen = only ? benchmarks.filter((b) => only.has(b.name)) : benchmarks;
  if (only && chosen.length !== only.size) {
    throw new Error(`Unknown benchmark in --only. Known: ${benchmarks.map((b) => b.name).join(', ')}`);
  }
  for (const benchmark of chosen) {
    for (const line of await benchmark.run()) process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}

const rssChildMode = process.argv.find((arg) => arg.startsWith(RSS_CHILD_FLAG));
const proxyAt = process.argv.indexOf(LATENCY_PROXY_FLAG);
const apiAt = process.argv.indexOf(BENCH_API_FLAG);
const run = proxyAt >= 0
  ? () => latencyProxyChild(Number(process.argv[proxyAt + 1]), Number(process.argv[proxyAt + 2]))
  : apiAt >= 0
  ? () => benchApiChild(process.argv[apiAt + 1] as StoreKind)
  : rssChildMode
  ? async () => {
      const [dataDir, callers, path] = process.argv.slice(process.argv.indexOf(rssChildMode) + 1);
      rssChild(rssChildMode.slice(RSS_CHILD_FLAG.length), dataDir!, Number(callers), path!);
    }
  : process.argv.includes(LOAD_CHILD_FLAG)
    ? syncLoadChild
    : main;

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
