import type { Database } from 'better-sqlite3';
import type { Migration } from './migration';

export class DatabaseTooNewError extends Error {
  constructor(
    readonly databaseVersion: number,
    readonly appVersion: number,
  ) {
    super(
      `The local database is at schema version ${databaseVersion}, but this app only knows up to ${appVersion}. ` +
        'It was written by a newer Care Connect Desk. Install that version again; this one will not open it, ' +
        'so that nothing in it is lost or damaged.',
    );
    this.name = 'DatabaseTooNewError';
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database up to the newest migration. Each step and its `user_version` bump commit together, so a
 * crash mid-way leaves the database at the last whole step. A database newer than the app is refused, never
 * silently downgraded.
 */
export function migrate(db: Database, steps: readonly Migration[]): { from: number; to: number } {
  assertOrdered(steps);
  const target = steps.at(-1)?.version ?? 0;
  const from = schemaVersion(db);
  if (from > target) throw new DatabaseTooNewError(from, target);
  for (const step of steps) {
    if (step.version <= schemaVersion(db)) continue;
    if (step.foreignKeysOff) withForeignKeysOff(db, () => runStep(db, step, assertNoBrokenReferences));
    else runStep(db, step);
  }
  return { from, to: schemaVersion(db) };
}

/** Runs `step` and records its version in one transaction; `check` may refuse what it left before it commits. */
function runStep(db: Database, step: Migration, check?: (db: Database, step: Migration) => void): void {
  db.transaction(() => {
    step.up(db);
    check?.(db, step);
    db.pragma(`user_version = ${step.version}`);
  }).immediate();
}

/**
 * SQLite's procedure for changing a table that others refer to: foreign keys off (they cannot be switched inside a
 * transaction) around the step, which checks every reference in the database before it commits
 * (`assertNoBrokenReferences`). A broken one rolls the step back whole.
 */
function withForeignKeysOff(db: Database, run: () => void): void {
  const enforced = db.pragma('foreign_keys', { simple: true }) === 1;
  db.pragma('foreign_keys = OFF');
  try {
    run();
  } finally {
    if (enforced) db.pragma('foreign_keys = ON');
  }
}

function assertNoBrokenReferences(db: Database, step: Migration): void {
  const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
  if (broken.length === 0) return;
  const first = broken[0]!;
  throw new Error(`Migration ${step.version} (${step.name}) would leave ${broken.length} broken reference(s), the first from ${first.table} to ${first.parent}`);
}

function assertOrdered(steps: readonly Migration[]): void {
  steps.forEach((step, index) => {
    if (!Number.isInteger(step.version) || step.version <= 0) {
      throw new Error(`Migration ${step.name} has an invalid version ${step.version}`);
    }
    const previous = steps[index - 1];
    if (previous && previous.version >= step.version) {
      throw new Error(`Migrations out of order: ${previous.version} (${previous.name}) before ${step.version} (${step.name})`);
    }
  });
}
