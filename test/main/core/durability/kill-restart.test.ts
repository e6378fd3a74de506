import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME } from '../../../../src-main/core/desktop-core';
import { openDatabase } from '../../../../src-main/core/db/open-database';
import { tempDir } from '../../../helpers';
import { openTestCore } from '../test-core';
import { checkDurability, completeLines } from './durability-oracle';
import { runWorkload, seededRandom, type Report } from './workload';

const KILLS = 24;
// Most kills land while the writer is writing; some land while it is still opening (migrating, seeding) the cache.
const KILL_DURING_START_SHARE = 0.2;
const REPO = resolve(import.meta.dirname, '../../../..');

interface Run {
  reports: Report[];
  signal: NodeJS.Signals | null;
  fragment: string;
}

/** Runs the writer once on `dataDir` and SIGKILLs it `delayMs` after it started, or after it said it was ready. */
function runAndKill(bundle: string, dataDir: string, seed: number, tag: string, kill: { from: 'spawn' | 'ready'; delayMs: number }): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bundle, dataDir, String(seed), tag], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_PATH: join(REPO, 'node_modules') },
    });
    let stdout = '';
    let stderr = '';
    const killLater = () => setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
    if (kill.from === 'spawn') killLater();
    const stuck = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (kill.from === 'ready' && stdout === '' && chunk.startsWith('{"op":"ready"}\n')) killLater();
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(stuck);
      if (signal !== 'SIGKILL') fail(new Error(`the writer stopped by itself (exit ${code}): ${stderr}`));
      else done({ ...completeLines(stdout), signal });
    });
  });
}

describe('durability under SIGKILL', () => {
  const dir = tempDir('care-desk-durability-');
  const seed = Number(process.env.DURABILITY_SEED ?? Math.floor(Math.random() * 2 ** 31));
  let bundle = '';

  beforeAll(async () => {
    // The core's imports have no file extensions, so Node cannot run the writer's TypeScript as it is: bundle it.
    bundle = join(dir.path, 'writer-child.cjs');
    await build({
      entryPoints: [join(import.meta.dirname, 'writer-child.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      packages: 'external',
      logLevel: 'warning',
    });
  });
  afterAll(() => dir.remove());

  it(`keeps every reported commit when the writer is killed with SIGKILL ${KILLS} times`, async () => {
    console.info(`durability seed ${seed} (replay with DURABILITY_SEED=${seed})`);
    const random = seededRandom(seed);
    const dataDir = join(dir.path, 'data');
    const reports: Report[] = [];
    const runs: Run[] = [];
    for (let i = 0; i < KILLS; i++) {
      const kill =
        random() < KILL_DURING_START_SHARE
          ? { from: 'spawn' as const, delayMs: Math.round(30 + random() * 220) }
          : { from: 'ready' as const, delayMs: Math.round(30 + random() * 220) };
      const run = await runAndKill(bundle, dataDir, Math.floor(random() * 2 ** 31), String(i), kill);
      runs.push(run);
      reports.push(...run.reports.filter((r) => r.op !== 'ready'));
    }

    console.info(
      `${reports.length} commits reported over ${KILLS} kills; ${runs.filter((run) => run.reports.length === 0).length} landed during start-up, ` +
        `${runs.filter((run) => run.fragment !== '').length} cut a report mid-line`,
    );

    // Restart once more, as the app would, and read what it holds.
    const db = openDatabase(join(dataDir, DATABASE_FILE_NAME));
    try {
      expect(checkDurability(db, reports), `seed ${seed}`).toEqual([]);
    } finally {
      db.close();
    }
    expect(runs.filter((run) => run.signal === 'SIGKILL')).toHaveLength(KILLS);
    // The test means something only if most kills interrupted a writer that was writing.
    expect(runs.filter((run) => run.reports.length > 1).length, `seed ${seed}`).toBeGreaterThanOrEqual(KILLS / 2);
    expect(reports.filter((r) => r.op === 'note').length).toBeGreaterThan(100);
    expect(reports.filter((r) => r.op === 'field').length).toBeGreaterThan(50);
  }, 60_000);
});

describe('the durability check', () => {
  it('finds nothing wrong with a database that kept every write', async () => {
    const { db, reports, close } = await writeAndReport();
    try {
      expect(checkDurability(db, reports)).toEqual([]);
    } finally {
      close();
    }
  });

  it('catches a reported note that was lost, and an outbox entry with no change behind it', async () => {
    const { db, reports, close } = await writeAndReport();
    try {
      const lost = reports.find((r): r is Extract<Report, { op: 'note' }> => r.op === 'note')!;
      db.exec('DROP TRIGGER case_events_append_only_delete');
      db.prepare('DELETE FROM case_events WHERE id = ?').run(lost.noteId);
      expect(checkDurability(db, reports)).toEqual(
        expect.arrayContaining([`reported note ${lost.noteId} is missing`, expect.stringMatching(/^case\.appendNote: .* has 1 outbox entries for 0 changes$/)]),
      );
    } finally {
      close();
    }
  });

  it('catches a note whose outbox entry was written twice', async () => {
    const { db, reports, close } = await writeAndReport();
    try {
      db.exec("INSERT INTO outbox (name, args, created_at) SELECT name, args, created_at FROM outbox WHERE name = 'case.appendNote' LIMIT 1");
      expect(checkDurability(db, reports)).toEqual([expect.stringMatching(/^case\.appendNote: .* has 2 outbox entries for 1 changes$/)]);
    } finally {
      close();
    }
  });
});

/** Writes a small workload in this process, then hands back a copy of its database to doctor. */
async function writeAndReport() {
  const t = openTestCore();
  const reports: Report[] = [];
  await runWorkload(t.core, seededRandom(7), (line) => reports.push(line), 'control', { steps: 80 });
  const source = t.core.getAppInfo().databasePath;
  // Closing checkpoints the WAL into the main file, so copying that one file copies everything.
  t.core.close();
  const copy = tempDir('care-desk-durability-control-');
  const path = join(copy.path, 'copy.sqlite3');
  copyFileSync(source, path);
  t.close();
  const db = new Database(path);
  return {
    db,
    reports,
    close() {
      db.close();
      copy.remove();
    },
  };
}
