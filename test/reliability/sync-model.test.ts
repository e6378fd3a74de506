import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore, openSqliteStore } from '../../src-server/store/open-store';
import type { CentralStore } from '../../src-server/store/central-store';
import { tempDir } from '../helpers';
import { anyScenario, checkFieldChoices, contendedScenario, emptyStats, runScenario, type RunStats, type Scenario } from './sync-model';

/*
 * Model test of sync (see sync-model.ts). Bounded and replayable:
 *   SYNC_MODEL_SEED=<n>          replay a run (the seed is printed at the start of every run of this file)
 *   SYNC_MODEL_PATH=<path>       with the seed, replay fast-check's shrunk counterexample directly
 *   SYNC_MODEL_RUNS=<n>          runs per property on every store; or per store:
 *   SYNC_MODEL_RUNS_SQLITE=<n>   (default 30)  SYNC_MODEL_RUNS_POSTGRES=<n> (default 15)
 *   SYNC_MODEL_STEPS=<n>         the longest scenario, in steps (default 60)
 *   SYNC_MODEL_BUDGET_MS=<ms>    stop starting runs, and shrinking, after this long per property (default 35000)
 *   SYNC_MODEL_VERBOSE=1         list every failing value fast-check met while shrinking
 * A path belongs to one property: replay it with vitest's -t naming that test.
 */
const seed = process.env.SYNC_MODEL_SEED ? Number(process.env.SYNC_MODEL_SEED) : randomBytes(4).readUInt32BE() >>> 1;
const path = process.env.SYNC_MODEL_PATH;
const verbose = process.env.SYNC_MODEL_VERBOSE === '1' ? fc.VerbosityLevel.Verbose : fc.VerbosityLevel.None;
const maxSteps = Number(process.env.SYNC_MODEL_STEPS ?? 60);
function runsFor(variable: string, fallback: number): number {
  return Number(process.env[variable] ?? process.env.SYNC_MODEL_RUNS ?? fallback);
}
/** fast-check stops starting runs (and shrinking) after this long, so a failure is still reported inside the test's time. */
const TIME_BUDGET_MS = Number(process.env.SYNC_MODEL_BUDGET_MS ?? 35_000);
const TEST_TIMEOUT_MS = TIME_BUDGET_MS + 25_000;

console.log(`sync model: seed ${seed}; replay with SYNC_MODEL_SEED=${seed}`);

interface OpenedStore {
  store: CentralStore;
  cleanup(): Promise<void>;
}

async function checkProperty(label: string, scenarios: fc.Arbitrary<Scenario>, numRuns: number, open: () => Promise<OpenedStore>): Promise<RunStats> {
  const stats = emptyStats();
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(scenarios, async (scenario) => {
      const { store, cleanup } = await open();
      try {
        await runScenario(store, scenario, stats);
      } finally {
        await cleanup();
      }
    }),
    { numRuns, seed, path, verbose, plugins: [fc.interruptAfterTimeLimit(TIME_BUDGET_MS)] },
  );
  console.log(`${label}: ${stats.runs} runs of ${numRuns} in ${Date.now() - started} ms (seed ${seed}); ${JSON.stringify(stats)}`);
  return stats;
}

/** Both properties, on one kind of store. */
function describeSyncModel(name: string, numRuns: number, open: () => Promise<OpenedStore>): void {
  it(
    `ends on ${name} with the fold of every locally committed mutation in arrival order, through partial pushes, retries, reordered batches, lost answers and crashes`,
    async () => {
      const stats = await checkProperty(`${name}, any scenario`, anyScenario(maxSteps), numRuns, open);
      expect(stats.mutations).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    `loses no edit on ${name} when two desks edit the same fields of one case: each losing edit is in the conflict log and the value is the newest accepted one`,
    async () => {
      const stats = await checkProperty(`${name}, two desks on one case`, contendedScenario(Math.min(maxSteps, 30)), Math.max(1, Math.ceil(numRuns / 2)), open);
      expect(stats.mutations).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );
}

describe('the sync model', () => {
  it('sends field values that the domain accepts or refuses exactly as the model assumes', () => {
    checkFieldChoices();
  });
});

describe('sync against the model on SQLite', () => {
  describeSyncModel('SQLite', runsFor('SYNC_MODEL_RUNS_SQLITE', 30), async () => {
    const folder = tempDir('care-desk-sync-model-');
    const store = await openSqliteStore(join(folder.path, 'central.sqlite'));
    return {
      store,
      async cleanup() {
        await store.close();
        folder.remove();
      },
    };
  });
});

describe('sync against the model on PostgreSQL', () => {
  // One database for this file; each property run gets a fresh schema in it. The append-only tables refuse DELETE
  // and TRUNCATE, so a run never reuses another's tables.
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const databaseName = `care_desk_sync_model_${randomBytes(6).toString('hex')}`;
  let setup: pg.Client | undefined;
  let schemas = 0;

  async function asAdmin(statement: string): Promise<void> {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(statement);
    } finally {
      await admin.end();
    }
  }

  function urlFor(schema?: string): string {
    const url = new URL(adminUrl);
    url.pathname = `/${databaseName}`;
    if (schema) url.searchParams.set('options', `-c search_path=${schema}`);
    return url.toString();
  }

  beforeAll(async () => {
    await asAdmin(`CREATE DATABASE ${databaseName}`);
    setup = new pg.Client({ connectionString: urlFor() });
    await setup.connect();
  });

  afterAll(async () => {
    await setup?.end();
    await asAdmin(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  });

  describeSyncModel('PostgreSQL', runsFor('SYNC_MODEL_RUNS_POSTGRES', 15), async () => {
    schemas += 1;
    const schema = `sync_model_${schemas}`;
    await setup!.query(`CREATE SCHEMA ${schema}`);
    const store = await openPostgresStore(urlFor(schema), undefined, { poolSize: 2 });
    return {
      store,
      async cleanup() {
        await store.close();
        await setup!.query(`DROP SCHEMA ${schema} CASCADE`);
      },
    };
  });
});
