import { closeSync, copyFileSync, fsyncSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE_NAME } from '../../src-main/core/desktop-core';
import { openBenchCore } from '../lib/bench-core';
import { percentile, result, samplePaired, type Benchmark } from '../lib/measure';
import { seededRandom } from '../lib/random';
import { seededCache, warmOsFileCache } from '../lib/seeded-cache';
import { createVocabulary } from '../lib/vocabulary';

const ROUNDS = Number(process.env.BENCH_SAVE_ROUNDS ?? 1500);
const DESCRIPTION_ROUNDS = Math.round(ROUNDS / 2);

/** A copy of the seeded cache to write to, flushed to disk first so its write-back does not land in the timings. */
function workingCopy(source: string): { dataDir: string; remove(): void } {
  const dataDir = mkdtempSync(join(tmpdir(), 'care-desk-bench-save-'));
  const target = join(dataDir, DATABASE_FILE_NAME);
  copyFileSync(source, target);
  const fd = openSync(target, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  return { dataDir, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}

/**
 * `case-save-p50/p99` (ms): the autosave of one non-text field (`department`) on a random case of the seeded
 * million-case desk: the field, its timeline event and its outbox entry in one transaction, committed with
 * synchronous=FULL. `case-save-description-p99` saves the caller's words, which also re-indexes the case for search.
 * Baseline: one raw INSERT of an event-sized row, committed on its own, into a bare table in a database beside it
 * with the same journal (WAL) and synchronous=FULL: the price of one durable commit on this disk.
 */
export const caseSave: Benchmark = {
  name: 'case-save',
  async run() {
    const seeded = seededCache();
    warmOsFileCache(seeded);
    const copy = workingCopy(seeded.path);
    const core = openBenchCore(copy.dataDir);
    const bare = new Database(join(copy.dataDir, 'bare.sqlite3'));
    try {
      bare.pragma('journal_mode = WAL');
      bare.pragma('synchronous = FULL');
      bare.exec('CREATE TABLE events (id TEXT PRIMARY KEY, case_id TEXT NOT NULL, kind TEXT NOT NULL, body TEXT, at TEXT NOT NULL)');
      const insert = bare.prepare<[string, string, string, string]>("INSERT INTO events (id, case_id, kind, body, at) VALUES (?, ?, 'field', ?, ?)");
      const random = seededRandom(2);
      const idOf = core.db.prepare<[number], { id: string }>('SELECT id FROM cases WHERE rowid = ?');
      const caseIds = Array.from({ length: ROUNDS + 100 }, () => idOf.get(1 + Math.floor(random() * seeded.summary.cases))!.id);
      let inserted = 0;
      const rawInsert = (i: number, body: string) => insert.run(`bench-${(inserted += 1)}`, caseIds[i]!, body, new Date().toISOString());

      // A department no seeded case has, numbered, so every save is a real change.
      const field = await samplePaired(
        ROUNDS,
        (i) => core.cases.updateField(caseIds[i]!, 'department', `Ward ${i}`),
        (i) => rawInsert(i, JSON.stringify(`Ward ${i}`)),
        100,
      );
      const vocabulary = createVocabulary();
      const texts = Array.from({ length: DESCRIPTION_ROUNDS + 50 }, () => vocabulary.text(random, 20 + Math.floor(random() * 31)));
      const description = await samplePaired(
        DESCRIPTION_ROUNDS,
        (i) => core.cases.updateField(caseIds[i]!, 'description', texts[i]!),
        (i) => rawInsert(i, JSON.stringify(texts[i]!)),
        50,
      );
      return [
        result('case-save-p50', percentile(field.ours, 50), 'ms', percentile(field.baseline, 50)),
        result('case-save-p99', percentile(field.ours, 99), 'ms', percentile(field.baseline, 99), 'target: ratio <= 2'),
        result('case-save-description-p99', percentile(description.ours, 99), 'ms', percentile(description.baseline, 99), 'also re-indexes the case for search'),
      ];
    } finally {
      bare.close();
      core.close();
      copy.remove();
    }
  },
};
