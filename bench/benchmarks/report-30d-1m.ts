import { sql } from 'kysely';
import type { CentralStore } from '../../src-server/store/central-store';
import { openPostgresStore, openSqliteStore } from '../../src-server/store/open-store';
import { createReportStore } from '../../src-server/store/report-store';
import { addDays, reportRange } from '../../src-shared/reports/london-time';
import { result, type Benchmark, type BenchResult } from '../lib/measure';
import { REPORT_DAYS_END, reportSeedSize, seededReportPostgres, seededReportSqlite } from '../lib/report-seed';
import { postgresAdminUrl, syncStoreKinds } from '../lib/sync-world';

const RUNS = Number(process.env.BENCH_REPORT_RUNS ?? 7);

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(fn: () => Promise<unknown>): Promise<number[]> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    out.push(performance.now() - start);
  }
  return out;
}

/**
 * `report-30d-1m`: every figure of the report (`GET /reports/summary`'s work: contacts by channel, type, category,
 * provider and hour, the call figures, resolved queries, cost with its daily trend and the previous period) for the
 * last 30 days of a store holding 1,000,000 cases over a year, for the whole organisation; median of `RUNS` after a
 * warm-up. Baseline, in the same run: one `SELECT count(*)` of the same 30 days' cases.
 */
export const report30d1m: Benchmark = {
  name: 'report-30d-1m',
  async run() {
    const out: BenchResult[] = [];
    const to = REPORT_DAYS_END;
    const from = addDays(to, -29);
    const range = reportRange(from, to);
    for (const kind of await syncStoreKinds()) {
      const store: CentralStore = kind === 'sqlite' ? await openSqliteStore(await seededReportSqlite()) : await openPostgresStore(await seededReportPostgres(postgresAdminUrl()));
      try {
        const reports = createReportStore(store.db, store.dialect);
        let contacts = 0;
        const ours = await timed(async () => {
          contacts = (await reports.summary(from, to, null)).contacts.total;
        });
        const baseline = await timed(() =>
          store.db.selectFrom('cases').select(sql<number>`count(*)`.as('n')).where('created_at', '>=', range.fromIso).where('created_at', '<', range.toIso).executeTakeFirst(),
        );
        const team = median(await timed(() => reports.summary(from, to, ['team-1'])));
        // The stricter reading of "30 days over 1M cases": the whole year, all million cases in the range at once.
        const yearFrom = addDays(to, -364);
        let yearContacts = 0;
        const year = await timed(async () => {
          yearContacts = (await reports.summary(yearFrom, to, null)).contacts.total;
        });
        const yearRange = reportRange(yearFrom, to);
        const yearBaseline = await timed(() =>
          store.db.selectFrom('cases').select(sql<number>`count(*)`.as('n')).where('created_at', '>=', yearRange.fromIso).where('created_at', '<', yearRange.toIso).executeTakeFirst(),
        );
        out.push(
          result(`report-30d-1m-${kind}`, median(ours), 'ms', median(baseline), `${reportSeedSize().toLocaleString('en-GB')} cases; ${contacts.toLocaleString('en-GB')} contacts in the 30 days; one team: ${team.toFixed(0)} ms; target <= 500 ms`),
          result(`report-365d-1m-${kind}`, median(year), 'ms', median(yearBaseline), `every case of the store in range: ${yearContacts.toLocaleString('en-GB')} contacts; the 30-day target is 500 ms`),
        );
      } finally {
        await store.close();
      }
    }
    return out;
  },
};
