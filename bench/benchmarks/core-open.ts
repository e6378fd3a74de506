import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../src-main/core/db/open-database';
import { percentile, result, sample, type Benchmark } from '../lib/measure';

const ROUNDS = 200;

/**
 * `core-open-p50` (ms): opening an existing local cache as the app does at start (pragmas, migration check).
 * Baseline: `new Database()` with the same pragmas and nothing else.
 */
export const coreOpen: Benchmark = {
  name: 'core-open',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'care-desk-bench-'));
    try {
      const path = join(dir, 'cache.sqlite3');
      openDatabase(path).close();
      const ours = await sample(ROUNDS, () => openDatabase(path).close(), 20);
      const baseline = await sample(
        ROUNDS,
        () => {
          const db = new Database(path);
          db.pragma('journal_mode = WAL');
          db.pragma('synchronous = FULL');
          db.pragma('foreign_keys = ON');
          db.close();
        },
        20,
      );
      return [result('core-open-p50', percentile(ours, 50), 'ms', percentile(baseline, 50))];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
