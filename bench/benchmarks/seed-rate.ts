import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { result, type Benchmark } from '../lib/measure';
import { seedCaseDatabase } from '../lib/seed-database';
import { existingSeededCache } from '../lib/seeded-cache';

const CASES = Number(process.env.BENCH_SEED_RATE_CASES ?? 100_000);

/**
 * `seed-rate` (cases/s): the bench seeder filling a fresh cache with 100,000 cases (callers, case rows, timelines,
 * search index) with the same code that builds the million-case desk. Baseline: a raw bulk insert of as many rows,
 * each the length of a case description, into a bare table with the same pragmas, in one transaction.
 * `seed-1m` (s), when the million-case desk has been built, says how long that took and when.
 */
export const seedRate: Benchmark = {
  name: 'seed-rate',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'care-desk-bench-seed-'));
    try {
      const ours = seedCaseDatabase(join(dir, 'seeded.sqlite3'), { cases: CASES, callers: Math.round(CASES * 0.3) });
      const bare = new Database(join(dir, 'bare.sqlite3'));
      bare.pragma('journal_mode = MEMORY');
      bare.pragma('synchronous = OFF');
      bare.exec('CREATE TABLE cases (id INTEGER PRIMARY KEY, description TEXT NOT NULL)');
      const insert = bare.prepare<[string]>('INSERT INTO cases (description) VALUES (?)');
      const text = 'Caller waited four hours on the ward before a nurse came. '.repeat(4);
      const start = performance.now();
      bare.transaction(() => {
        for (let i = 0; i < CASES; i++) insert.run(text);
      })();
      const bareSeconds = (performance.now() - start) / 1000;
      bare.close();
      const cached = existingSeededCache();
      const lines = [
        result('seed-rate', CASES / ours.seconds, 'cases/s', CASES / bareSeconds, `${CASES.toLocaleString('en-GB')} cases with callers, timelines and search index`),
      ];
      if (cached) {
        lines.push(
          result(
          'seed-1m',
          cached.summary.seconds,
          's',
          undefined,
          `${cached.summary.cases.toLocaleString('en-GB')} cases, ${cached.builtNow ? 'built in this run' : `cached, built ${cached.summary.builtAt}`}`,
          ),
        );
      }
      return lines;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
