import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CentralStore } from '../../src-server/store/central-store';
import { createTestDatabase, type TestDatabase } from '../postgres';
import { openFreshStore } from '../server/store/fresh-store';
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
      expect(stats.views, 'some runs reported cases opened on a desk').toBeGreaterThan(0);
      expect(stats.listed, 'some runs reported cases shown in a list on a desk').toBeGreaterThan(0);
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
  describeSyncModel('SQLite', runsFor('SYNC_MODEL_RUNS_SQLITE', 30), () => openFreshStore('sqlite', { prefix: 'sync-model' }));
});

describe('sync against the model on PostgreSQL', () => {
  // One database for this file; each property run gets a fresh schema in it. The append-only tables refuse DELETE
  // and TRUNCATE, so a run never reuses another's tables.
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('care_desk_sync_model');
  });

  afterAll(() => database?.drop());

  describeSyncModel('PostgreSQL', runsFor('SYNC_MODEL_RUNS_POSTGRES', 15), () => openFreshStore('postgres', { prefix: 'sync_model', poolSize: 2, database }));
});
