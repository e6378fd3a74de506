import Database from 'better-sqlite3';
import { toFtsQuery } from '../../src-main/core/cases/case-search';
import { dropShownReports, openHandlerBenchCore } from '../lib/bench-core';
import { nextTurn, percentile, result, samplePaired, type Benchmark } from '../lib/measure';
import { seededRandom } from '../lib/random';
import { seededCache, warmOsFileCache } from '../lib/seeded-cache';
import { createVocabulary } from '../lib/vocabulary';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3000) / 3;
const COMMON_WORDS = 30;
const COMMON_REPEATS = 10;
const UNCAPPED_SAMPLES = 8;
const LIMIT = 25;

/**
 * What a handler types into the search box: selective text (one rare word, or two less common words together) and
 * the commonest words of the seeded vocabulary.
 */
export function searchQueries(seed = 3): { selective: string[]; common: string[] } {
  const { words } = createVocabulary();
  const random = seededRandom(seed);
  const rank = (from: number, to: number) => words[from + Math.floor(random() * (to - from))]!;
  const selective = Array.from({ length: ROUNDS + 100 }, (_, i) => (i % 2 === 0 ? rank(5_000, words.length) : `${rank(300, 5_000)} ${rank(300, 5_000)}`));
  const common = Array.from({ length: COMMON_WORDS * COMMON_REPEATS }, (_, i) => words[i % COMMON_WORDS]!);
  return { selective, common };
}

/**
 * `search-p50/p99` (ms): `core.search.search(text, 25)` over selective text on the seeded million-case desk: the
 * ranked hits, their case rows and snippets, and the report of the cases shown for the audit log (a signed-in
 * handler's desk). Baseline: the raw FTS5 query for the same words
 * (`SELECT rowid FROM case_search WHERE case_search MATCH ? ORDER BY rank LIMIT 25`, on its own connection).
 * `search-common-p99` (ms): the commonest words, which match most cases; target 10 ms. Its baseline is that raw
 * ranked query for a few of them, uncapped: what a search would cost without the rank cap.
 */
export const search: Benchmark = {
  name: 'search',
  async run() {
    const seeded = seededCache();
    warmOsFileCache(seeded);
    const core = openHandlerBenchCore(seeded.dataDir);
    const raw = new Database(seeded.path);
    try {
      raw.pragma('journal_mode = WAL');
      const ranked = raw.prepare<[string], { rowid: number }>(`SELECT rowid FROM case_search WHERE case_search MATCH ? ORDER BY rank LIMIT ${LIMIT}`);
      const { selective, common } = searchQueries();
      const fts = selective.map((text) => toFtsQuery(text)!);
      const selected = await samplePaired(
        ROUNDS,
        (i) => core.search.search(selective[i]!, LIMIT),
        (i) => ranked.all(fts[i]!),
        100,
      );
      const ours: number[] = [];
      for (const text of common) {
        await nextTurn();
        const start = performance.now();
        core.search.search(text, LIMIT);
        ours.push(performance.now() - start);
      }
      const uncapped: number[] = [];
      for (const text of common.slice(0, UNCAPPED_SAMPLES)) {
        const start = performance.now();
        ranked.all(`"${text}"`);
        uncapped.push(performance.now() - start);
      }
      return [
        result('search-p50', percentile(selected.ours, 50), 'ms', percentile(selected.baseline, 50)),
        result('search-p99', percentile(selected.ours, 99), 'ms', percentile(selected.baseline, 99), 'target: ratio <= 2'),
        result(
          'search-common-p99',
          percentile(ours, 99),
          'ms',
          percentile(uncapped, 99),
          `target: value <= 10 ms; the ${COMMON_WORDS} commonest words; baseline: raw ranked FTS5 over every match (${UNCAPPED_SAMPLES} of them)`,
        ),
      ];
    } finally {
      raw.close();
      dropShownReports(core);
      core.close();
    }
  },
};
