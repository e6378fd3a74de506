import Database from 'better-sqlite3';
import { dropShownReports, openHandlerBenchCore } from '../lib/bench-core';
import { percentile, result, samplePaired, type Benchmark } from '../lib/measure';
import { seededRandom } from '../lib/random';
import { seededCache, warmOsFileCache } from '../lib/seeded-cache';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3000);

/**
 * `screen-pop-lookup-p50/p99` (ms): the screen pop, `core.callers.lookup(phone)`, for random existing callers of
 * the seeded million-case desk, with the number as telephony gives it (E.164), with the report of the cases it shows
 * for the audit log (a signed-in handler's desk). Baseline: the same answer by raw
 * indexed SQL on its own connection: the caller by phone, then their 20 newest cases by caller_id.
 */
export const screenPopLookup: Benchmark = {
  name: 'screen-pop-lookup',
  async run() {
    const seeded = seededCache();
    warmOsFileCache(seeded);
    const core = openHandlerBenchCore(seeded.dataDir);
    const raw = new Database(seeded.path);
    try {
      raw.pragma('journal_mode = WAL');
      raw.pragma('synchronous = FULL');
      const random = seededRandom(1);
      const phoneOf = raw.prepare<[number], { phone: string }>('SELECT phone FROM callers WHERE rowid = ?');
      const phones = Array.from({ length: ROUNDS + 200 }, () => phoneOf.get(1 + Math.floor(random() * seeded.summary.callers))!.phone);
      const callerByPhone = raw.prepare<[string], { id: string }>('SELECT * FROM callers WHERE phone = ?');
      const casesByCaller = raw.prepare('SELECT * FROM cases WHERE caller_id = ? ORDER BY created_at DESC LIMIT 20');
      const { ours, baseline } = await samplePaired(
        ROUNDS,
        (i) => core.callers.lookup(phones[i]!),
        (i) => casesByCaller.all(callerByPhone.get(phones[i]!)!.id),
        200,
      );
      return [
        result('screen-pop-lookup-p50', percentile(ours, 50), 'ms', percentile(baseline, 50)),
        result('screen-pop-lookup-p99', percentile(ours, 99), 'ms', percentile(baseline, 99), 'target: ratio <= 3 and value <= 1 ms'),
      ];
    } finally {
      raw.close();
      dropShownReports(core);
      core.close();
    }
  },
};
