import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb';
import memoryAdapter from 'pouchdb-adapter-memory';
import { assertSynced, nextSyncState, openBenchDesk } from '../lib/bench-desk';
import { result, type Benchmark } from '../lib/measure';
import { DESKTOP_PUSH_BATCH } from '../lib/sync-mutations';
import { startBenchApi } from '../lib/sync-world';

const CASES = Number(process.env.BENCH_POUCH_CASES ?? 10_000);
const ROUNDS = 2;

type CaseDoc = { _id: string } & Record<string, unknown>;

/**
 * Ours: a desk that created `CASES` cases offline (through the real repository, so each has its `case.create`
 * outbox entry) pushes them to the real API on loopback with its sync engine. Timed from `syncNow()` until the
 * outbox is empty (every case acknowledged by the API); the pull of their echoes that follows is not timed, as
 * PouchDB's one-way replication has none. Returns the seconds and the cases as documents for PouchDB.
 */
async function ours(): Promise<{ seconds: number; docs: CaseDoc[] }> {
  const api = await startBenchApi('sqlite');
  try {
    const desk = await openBenchDesk(api, await api.user(await api.team('Pouch comparison')), { autoSync: false });
    try {
      const { core } = desk;
      core.db.transaction(() => {
        for (let i = 0; i < CASES; i++) core.cases.create({ type: 'feedback', channel: 'phone' });
      })();
      const docs = core.outbox.peek(CASES).map((entry) => {
        const args = entry.args as { caseId: string };
        return { _id: args.caseId, ...args };
      });
      if (docs.length !== CASES) throw new Error(`expected ${CASES} queued cases, found ${docs.length}`);
      const empty = nextSyncState(core, (state) => state.pending === 0);
      const start = performance.now();
      const cycle = core.sync.syncNow();
      await empty;
      const seconds = (performance.now() - start) / 1000;
      await cycle;
      assertSynced(core);
      return { seconds, docs };
    } finally {
      await desk.close();
    }
  } finally {
    await api.close();
  }
}

/**
 * PouchDB: the same cases as documents in an in-memory PouchDB, replicated one way (`replicate.to`, batches of 200
 * as ours) to express-pouchdb (itself on the in-memory adapter) on loopback. Returns the seconds replication took.
 */
async function pouch(docs: readonly CaseDoc[], logDir: string): Promise<number> {
  const Memory = PouchDB.plugin(memoryAdapter).defaults({ adapter: 'memory' });
  const server = createServer(expressPouchDB(Memory, { mode: 'minimumForPouchDB', inMemoryConfig: true, logPath: join(logDir, 'express-pouchdb.log') }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('express-pouchdb did not bind to a TCP port');
  const local = new Memory(`local-${randomUUID()}`);
  try {
    const written = await local.bulkDocs(docs);
    if (written.some((row) => row.error)) throw new Error('PouchDB refused a case document');
    const start = performance.now();
    const replicated = await local.replicate.to(`http://127.0.0.1:${address.port}/cases-${randomUUID()}`, { batch_size: DESKTOP_PUSH_BATCH });
    const seconds = (performance.now() - start) / 1000;
    if (!replicated.ok || replicated.docs_written !== docs.length) throw new Error(`PouchDB replicated ${replicated.docs_written} of ${docs.length} documents`);
    return seconds;
  } finally {
    // Not destroyed: express-pouchdb's database list, which shares the constructor, would race to forget it.
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/**
 * `sync-push-vs-pouchdb` (s): 10,000 new cases sent from a desk to the central server and acknowledged, ours (desk
 * outbox → sync engine → real API on SQLite) against PouchDB replicating the same cases from an in-memory PouchDB
 * to express-pouchdb on loopback. Value: our seconds; baseline: PouchDB's; ratio: ours / PouchDB (target <= 0.1:
 * ours at least ten times faster). Best of two rounds each, alternated, everything fresh each round.
 */
export const syncPushVsPouchdb: Benchmark = {
  name: 'sync-push-vs-pouchdb',
  async run() {
    let best = Number.POSITIVE_INFINITY;
    let bestPouch = Number.POSITIVE_INFINITY;
    const logDir = mkdtempSync(join(tmpdir(), 'care-desk-bench-pouch-'));
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const { seconds, docs } = await ours();
        best = Math.min(best, seconds);
        bestPouch = Math.min(bestPouch, await pouch(docs, logDir));
      }
    } finally {
      rmSync(logDir, { recursive: true, force: true });
    }
    return [
      result(
        'sync-push-vs-pouchdb',
        best,
        's',
        bestPouch,
        `target: ratio <= 0.1; ${CASES.toLocaleString('en-GB')} case.create pushed by the desk's sync engine to the real API (SQLite) vs PouchDB replicate.to from the in-memory adapter to express-pouchdb (in-memory), batches of ${DESKTOP_PUSH_BATCH}, loopback; best of ${ROUNDS}`,
      ),
    ];
  },
};
