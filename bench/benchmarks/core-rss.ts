import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { toFtsQuery } from '../../src-main/core/cases/case-search';
import { dropShownReports, openHandlerBenchCore } from '../lib/bench-core';
import { result, type Benchmark } from '../lib/measure';
import { seededRandom } from '../lib/random';
import { seededCache } from '../lib/seeded-cache';
import { searchQueries } from './search';

export const RSS_CHILD_FLAG = '--rss-child=';
const WARM_LOOKUPS = 300;
const WARM_SEARCHES = 300;

/**
 * Runs in a fresh process (`run.cjs --rss-child=core|raw <dataDir> <callers>`): opens the seeded desk, warms it
 * with a few hundred screen pops and searches, and prints its resident memory in MB. `core` uses the desktop core, as
 * a signed-in handler has it (what each read shows is reported for the audit log); `raw` does the same reads with bare better-sqlite3 statements.
 */
export function rssChild(mode: string, dataDir: string, callers: number, databasePath: string): void {
  const random = seededRandom(4);
  const { selective, common } = searchQueries(5);
  const texts = [...selective.slice(0, WARM_SEARCHES - 30), ...common.slice(0, 30)];
  if (mode === 'core') {
    const core = openHandlerBenchCore(dataDir);
    const phoneOf = core.db.prepare<[number], { phone: string }>('SELECT phone FROM callers WHERE rowid = ?');
    for (let i = 0; i < WARM_LOOKUPS; i++) core.callers.lookup(phoneOf.get(1 + Math.floor(random() * callers))!.phone);
    for (const text of texts) core.search.search(text, 25);
    const rssMb = process.memoryUsage().rss / 2 ** 20;
    dropShownReports(core);
    process.stdout.write(`${JSON.stringify({ rssMb })}\n`);
    return;
  } else {
    const db = new Database(databasePath);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const phoneOf = db.prepare<[number], { phone: string }>('SELECT phone FROM callers WHERE rowid = ?');
    const caller = db.prepare<[string], { id: string }>('SELECT * FROM callers WHERE phone = ?');
    const cases = db.prepare('SELECT * FROM cases WHERE caller_id = ? ORDER BY created_at DESC LIMIT 20');
    const newest = db.prepare('SELECT rowid FROM case_search WHERE case_search MATCH ? ORDER BY rowid DESC LIMIT 25');
    const byRowid = db.prepare('SELECT * FROM cases WHERE rowid = ?');
    for (let i = 0; i < WARM_LOOKUPS; i++) cases.all(caller.get(phoneOf.get(1 + Math.floor(random() * callers))!.phone)!.id);
    for (const text of texts) for (const hit of newest.all(toFtsQuery(text)!) as { rowid: number }[]) byRowid.get(hit.rowid);
  }
  process.stdout.write(`${JSON.stringify({ rssMb: process.memoryUsage().rss / 2 ** 20 })}\n`);
}

function measureChild(mode: 'core' | 'raw', dataDir: string, callers: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [process.argv[1]!, `${RSS_CHILD_FLAG}${mode}`, dataDir, String(callers), path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`the ${mode} memory probe exited with ${code}`));
      else resolve((JSON.parse(out) as { rssMb: number }).rssMb);
    });
  });
}

/**
 * `core-rss-1m` (MB): resident memory of a fresh process with the desktop core open on the seeded million-case desk
 * after a few hundred screen pops and searches. Baseline: a fresh process doing the same reads with bare
 * better-sqlite3 on the same file. Target: 350 MB.
 */
export const coreRss: Benchmark = {
  name: 'core-rss-1m',
  async run() {
    const seeded = seededCache();
    const ours = await measureChild('core', seeded.dataDir, seeded.summary.callers, seeded.path);
    const baseline = await measureChild('raw', seeded.dataDir, seeded.summary.callers, seeded.path);
    return [result('core-rss-1m', ours, 'MB', baseline, `target: value <= 350 MB; ${seeded.summary.cases.toLocaleString('en-GB')} cases`)];
  },
};
