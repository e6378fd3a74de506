import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE_NAME } from '../../src-main/core/desktop-core';
import { migrations } from '../../src-main/core/db/migrations';
import { seedCaseDatabase, type SeedSummary } from './seed-database';

/**
 * Bump when the seeded data changes shape (vocabulary, distributions, row layout), so old caches are not reused.
 * The schema version is part of the key as well: a new migration rebuilds the cache.
 */
export const SEED_VERSION = 'seed-v1';

/** 1,000,000 cases over 300,000 callers; `BENCH_CASES` shrinks it for a quick look (callers stay at 30%). */
export function seedSize(): { cases: number; callers: number } {
  const cases = Number(process.env.BENCH_CASES ?? 1_000_000);
  return { cases, callers: Math.round(cases * 0.3) };
}

/**
 * Where seeded databases are kept between runs: `BENCH_CACHE_DIR`, or `node_modules/.cache/care-desk-bench` in the
 * folder `npm run bench` runs from (ignored by git, and gone with a clean install). Delete it to reseed.
 */
export function benchCacheRoot(): string {
  return process.env.BENCH_CACHE_DIR ?? join(process.cwd(), 'node_modules', '.cache', 'care-desk-bench');
}

export interface SeededCache {
  /** A data folder holding the seeded `care-desk.sqlite3`, ready for `createDesktopCore`. */
  dataDir: string;
  path: string;
  summary: SeedSummary & { builtAt: string };
  /** True when this run built it (and so paid for the seeding). */
  builtNow: boolean;
}

let opened: SeededCache | null = null;
let warmed = false;

/**
 * Reads the seeded file once, so that every benchmark (ours and its baseline alike) finds it in the OS page cache,
 * as the app finds a cache it has been using all day, instead of some runs paying for disk reads and others not.
 */
export function warmOsFileCache(cache: SeededCache): void {
  if (warmed) return;
  warmed = true;
  const buffer = Buffer.allocUnsafe(8 * 2 ** 20);
  const fd = openSync(cache.path, 'r');
  try {
    while (readSync(fd, buffer, 0, buffer.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}

/** The seeded database for this seed version and schema, if it has been built. */
export function existingSeededCache(): SeededCache | null {
  if (opened) return opened;
  const { dataDir, path, meta } = cachePaths();
  if (!existsSync(meta) || !existsSync(path)) return null;
  opened = { dataDir, path, summary: JSON.parse(readFileSync(meta, 'utf8')) as SeededCache['summary'], builtNow: false };
  return opened;
}

function cachePaths() {
  const { cases, callers } = seedSize();
  const schema = migrations.at(-1)?.version ?? 0;
  const dataDir = join(benchCacheRoot(), `${SEED_VERSION}-schema${schema}-${cases}c-${callers}k`);
  return { cases, callers, dataDir, path: join(dataDir, DATABASE_FILE_NAME), meta: join(dataDir, 'seed.json') };
}

/** The seeded database for this seed version and schema, built on first use and reused after. */
export function seededCache(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): SeededCache {
  const existing = existingSeededCache();
  if (existing) return existing;
  const { cases, callers, dataDir, path } = cachePaths();
  // Built beside its final place and renamed when complete, so an interrupted seed is never reused.
  const partial = `${dataDir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  log(`seeding ${cases.toLocaleString('en-GB')} cases over ${callers.toLocaleString('en-GB')} callers into ${dataDir} (once per seed version)`);
  const summary = { ...seedCaseDatabase(join(partial, DATABASE_FILE_NAME), { cases, callers }), builtAt: new Date().toISOString() };
  writeFileSync(join(partial, 'seed.json'), `${JSON.stringify(summary, null, 2)}\n`);
  rmSync(dataDir, { recursive: true, force: true });
  renameSync(partial, dataDir);
  log(`seeded in ${summary.seconds.toFixed(0)} s`);
  opened = { dataDir, path, summary, builtNow: true };
  return opened;
}
