import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { channels, type Channel } from '../../src-shared/domain/case-types';
import { categories } from '../../src-shared/domain/categories';
import { defaultCaseFields } from '../../src-shared/domain/case-record';
import { openPostgresStore, openSqliteStore } from '../../src-server/store/open-store';
import { sqliteMigrations } from '../../src-server/store/migrations/sqlite';
import { benchCacheRoot } from './seeded-cache';
import { seededRandom } from './random';

/**
 * A central store with a year of a busy line for the report benchmark: `BENCH_REPORT_CASES` cases (default 1,000,000)
 * spread evenly over the 365 days to 30 June 2025, in the pilot's channel mix, four teams, 200 providers, and a call for
 * every phone case (plus call-only contacts and abandoned calls, about 0.64 calls per case). Built once and cached:
 * SQLite as a file under the bench cache, PostgreSQL as a database of its own on the bench server, named for the seed
 * version, schema and size, and marked complete only when fully built.
 */
export const REPORT_SEED_VERSION = 'report-v2';
export const REPORT_DAYS_END = '2025-06-30';
const END_MS = Date.parse('2025-06-30T23:00:00.000Z');
const SPAN_MS = 365 * 86_400_000;
const TEAMS = ['team-1', 'team-2', 'team-3', 'team-4'];
const PROVIDERS = 200;
const BATCH = 5_000;

export function reportSeedSize(): number {
  return Number(process.env.BENCH_REPORT_CASES ?? 1_000_000);
}

function schemaVersion(): number {
  return sqliteMigrations.at(-1)?.version ?? 0;
}

function cacheName(): string {
  return `${REPORT_SEED_VERSION}-schema${schemaVersion()}-${reportSeedSize()}c`;
}

const channelMix: [Channel, number][] = [
  ['phone', 0.53],
  ['web', 0.19],
  ['sms', 0.16],
  ['social', 0.1],
  ['email', 0.02],
];

function pickChannel(r: number): Channel {
  let total = 0;
  for (const [channel, share] of channelMix) {
    total += share;
    if (r < total) return channel;
  }
  return channels[0];
}

type Row = Record<string, string | number | null>;

/** The rows, in batches, the same for both stores. */
function* batches(cases: number): Generator<{ cases: Row[]; calls: Row[] }> {
  const random = seededRandom(42);
  const iso = (ms: number) => new Date(ms).toISOString();
  let batch = { cases: [] as Row[], calls: [] as Row[] };
  for (let i = 0; i < cases; i++) {
    const created = END_MS - SPAN_MS + Math.floor(((i + random()) / cases) * SPAN_MS);
    const channel = pickChannel(random());
    const r = random();
    const type = r < 0.5 ? 'feedback' : r < 0.85 ? 'question' : 'general-enquiry';
    const feedback = type === 'feedback';
    const fields = {
      ...defaultCaseFields(type, channel),
      category: feedback ? categories[Math.floor(random() * categories.length)]! : null,
      providerId: feedback ? `p${Math.floor(random() * PROVIDERS)}` : null,
      description: 'Seeded for the report benchmark.',
    };
    const s = random();
    const closed = s < 0.8 ? created + Math.floor(random() * 3 * 86_400_000) : null;
    const status = closed === null ? 'open' : feedback ? (s < 0.65 ? 'responded' : 'unable-to-resolve') : s < 0.65 ? 'answered' : 'answered';
    const team = TEAMS[i % TEAMS.length]!;
    const id = `case-${i}`;
    batch.cases.push({
      id,
      reference: `CC-${i}`,
      team_id: team,
      owner_id: 'bench-owner',
      created_by: 'bench-owner',
      type,
      channel,
      status,
      fields: JSON.stringify(fields),
      field_seqs: '{}',
      created_at: iso(created),
      updated_at: iso(closed ?? created),
      closed_at: closed === null ? null : iso(closed),
      version: 1,
    });
    if (channel === 'phone') {
      const call = (n: number, linked: boolean, answered: boolean): Row => {
        const queued = created - 120_000 - n * 1000;
        const wait = Math.floor(random() * 90_000);
        const talk = 60_000 + Math.floor(random() * 600_000);
        const held = random() < 0.2 ? Math.floor(random() * 60_000) : 0;
        const wrap = Math.floor(random() * 90_000);
        return {
          id: `call-${i}-${n}`,
          provider: 'simulator',
          provider_call_id: `sim-${i}-${n}`,
          direction: 'inbound',
          queue_id: type,
          case_type: type,
          from_number: '+441134960000',
          handler_id: answered ? 'bench-owner' : null,
          team_id: answered ? team : null,
          case_id: linked ? id : null,
          transferred_from: null,
          entered_queue_at: iso(queued),
          offered_at: answered ? iso(queued + wait - 2000) : null,
          answered_at: answered ? iso(queued + wait) : null,
          held_ms: answered ? held : 0,
          ended_at: iso(answered ? queued + wait + talk + held : queued + wait),
          wrap_up_ended_at: answered ? iso(queued + wait + talk + held + wrap) : null,
          outcome: answered ? 'completed' : 'abandoned',
          disposition_id: answered ? (random() < 0.6 ? 'resolved-first-contact' : 'callback-needed') : null,
          answer_wait_ms: answered ? wait : null,
          talk_ms: answered ? talk : null,
          wrap_up_ms: answered ? wrap : null,
          handle_ms: answered ? talk + held + wrap : null,
          within_target: answered ? (wait <= 60_000 ? 1 : 0) : null,
          offers: answered ? 1 : 0,
          recorded_at: iso(queued + wait + talk + held + wrap),
        };
      };
      batch.calls.push(call(0, true, true));
      if (i % 10 === 0) batch.calls.push(call(1, false, true));
      if (i % 10 === 5) batch.calls.push(call(2, false, false));
    }
    if (batch.cases.length >= BATCH) {
      yield batch;
      batch = { cases: [], calls: [] };
    }
  }
  if (batch.cases.length > 0) yield batch;
}

const at = '2024-01-01T00:00:00.000Z';
const people = {
  teams: TEAMS.map((id) => ({ id, name: id, created_at: at })),
  users: [
    { id: 'bench-owner', email: 'owner@bench.test', name: 'Owner', role: 'supervisor', password_hash: 'x', disabled: 0, created_at: at },
    ...Array.from({ length: 40 }, (_, i) => ({ id: `bench-handler-${i}`, email: `h${i}@bench.test`, name: `Handler ${i}`, role: 'handler', password_hash: 'x', disabled: 0, created_at: at })),
  ],
  userTeams: Array.from({ length: 40 }, (_, i) => ({ user_id: `bench-handler-${i}`, team_id: TEAMS[i % TEAMS.length]! })),
  providers: Array.from({ length: PROVIDERS }, (_, i) => ({ id: `p${i}`, ods_code: `R${String(i).padStart(3, '0')}`, name: `Provider ${i}`, kind: 'acute trust', departments: '[]', contact_email: null, active: 1 })),
  dispositions: [
    { id: 'resolved-first-contact', label: 'Resolved at first contact', resolves: 1, sort_order: 1, active: 1 },
    { id: 'callback-needed', label: 'Callback needed', resolves: 0, sort_order: 2, active: 1 },
  ],
};

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** The seeded SQLite store's file, built on first use. */
export async function seededReportSqlite(): Promise<string> {
  const dir = join(benchCacheRoot(), cacheName());
  const path = join(dir, 'central.sqlite3');
  if (existsSync(path)) return path;
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const partialPath = join(partial, 'central.sqlite3');
  const started = performance.now();
  log(`seeding ${reportSeedSize().toLocaleString('en-GB')} central cases into ${dir} (once per seed version)`);
  await (await openSqliteStore(partialPath)).close();
  const db = new BetterSqlite3(partialPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = (table: string, rows: readonly Row[]) => {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]!);
    const statement = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
    for (const row of rows) statement.run(row);
  };
  db.transaction(() => {
    insert('teams', people.teams);
    insert('users', people.users);
    insert('user_teams', people.userTeams);
    insert('providers', people.providers);
    insert('dispositions', people.dispositions);
  })();
  for (const batch of batches(reportSeedSize())) {
    db.transaction(() => {
      insert('cases', batch.cases);
      insert('calls', batch.calls);
    })();
  }
  db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  log(`seeded SQLite in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return path;
}

/** The URL of the seeded PostgreSQL database, built on first use on `adminUrl`'s server. */
export async function seededReportPostgres(adminUrl: string): Promise<string> {
  const name = `care_desk_bench_${cacheName().replace(/[^a-z0-9]/g, '_')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
    if (exists) {
      const probe = new pg.Client({ connectionString: url.toString() });
      await probe.connect();
      const done = (await probe.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'bench_seed_complete'")).rowCount === 1;
      await probe.end();
      if (done) return url.toString();
      await admin.query(`DROP DATABASE ${name}`);
    }
    // Seeds for older schema versions are of no further use: each holds a million cases, so they go.
    const stale = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'care_desk_bench_report_%' AND datname <> $1", [name]);
    for (const row of stale.rows) await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const started = performance.now();
  log(`seeding ${reportSeedSize().toLocaleString('en-GB')} central cases into PostgreSQL database ${name} (once per seed version)`);
  await (await openPostgresStore(url.toString())).close();
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    // Many rows per statement, as arrays unnested by the server: one round trip per batch.
    const insert = async (table: string, rows: readonly Row[]) => {
      if (rows.length === 0) return;
      const columns = Object.keys(rows[0]!);
      const types = columns.map((column) => (typeof rows.find((row) => row[column] !== null)?.[column] === 'number' ? 'bigint' : 'text'));
      const arrays = columns.map((column) => rows.map((row) => row[column] ?? null));
      await client.query(
        `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${columns.map((_, i) => `$${i + 1}::${types[i]}[]`).join(', ')})`,
        arrays,
      );
    };
    await insert('teams', people.teams);
    await insert('users', people.users);
    await insert('user_teams', people.userTeams);
    await insert('providers', people.providers);
    await insert('dispositions', people.dispositions);
    for (const batch of batches(reportSeedSize())) {
      await client.query('BEGIN');
      await insert('cases', batch.cases);
      await insert('calls', batch.calls);
      await client.query('COMMIT');
    }
    await client.query('VACUUM ANALYZE');
    await client.query('CREATE TABLE bench_seed_complete (at TEXT NOT NULL)');
  } finally {
    await client.end();
  }
  log(`seeded PostgreSQL in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return url.toString();
}
