import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import pino from 'pino';
import type { Role } from '../../src-shared/api/people';
import { buildApi } from '../../src-server/app';
import { hashPassword, type PasswordCost } from '../../src-server/auth/passwords';
import { createTokenService } from '../../src-server/auth/tokens';
import type { CentralStore } from '../../src-server/store/central-store';
import { openPostgresStore, openSqliteStore } from '../../src-server/store/open-store';

export type StoreKind = 'sqlite' | 'postgres';

/** Cheap scrypt: sign-in is not what these benchmarks measure. */
const BENCH_PASSWORD_COST: PasswordCost = { N: 2 ** 10, r: 8, p: 1 };
export const BENCH_PASSWORD = 'bench password, not a secret';

/** The PostgreSQL server the benchmarks create their databases on (`BENCH_PG_URL`; any database to connect to). */
export function postgresAdminUrl(): string {
  return process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * The stores a sync benchmark runs on: `BENCH_SYNC_STORES` (default `sqlite,postgres`). PostgreSQL is left out,
 * with a line on stderr, when it cannot be reached.
 */
export async function syncStoreKinds(): Promise<StoreKind[]> {
  const asked = (process.env.BENCH_SYNC_STORES ?? 'sqlite,postgres').split(',').filter(Boolean) as StoreKind[];
  if (!asked.includes('postgres')) return asked;
  const client = new pg.Client({ connectionString: postgresAdminUrl(), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return asked;
  } catch (error) {
    process.stderr.write(`PostgreSQL benchmarks skipped: ${postgresAdminUrl()} cannot be reached (${(error as Error).message})\n`);
    return asked.filter((kind) => kind !== 'postgres');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Where a benchmark's data lives: a temp folder, and for PostgreSQL a fresh database, both removed by `remove`. */
export interface BenchPlace {
  kind: StoreKind;
  dir: string;
  /** The fresh database's URL (PostgreSQL only). */
  databaseUrl: string | null;
  remove(): Promise<void>;
}

/** A fresh temp folder, and for PostgreSQL a fresh database made for this run (dropped by `remove`). */
export async function freshPlace(kind: StoreKind): Promise<BenchPlace> {
  const dir = mkdtempSync(join(tmpdir(), 'care-desk-bench-sync-'));
  if (kind === 'sqlite') return { kind, dir, databaseUrl: null, remove: async () => rmSync(dir, { recursive: true, force: true }) };
  const name = `care_desk_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    kind,
    dir,
    databaseUrl: withDatabase(postgresAdminUrl(), name),
    async remove() {
      rmSync(dir, { recursive: true, force: true });
      const dropper = new pg.Client({ connectionString: postgresAdminUrl() });
      await dropper.connect();
      try {
        // A closed pool's connections can take a moment to leave; forcing them out would be an error in the pool.
        for (let wait = 0; wait < 50; wait++) {
          const left = await dropper.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
          if (left.rows[0]?.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

export interface BenchUser {
  id: string;
  email: string;
  name: string;
  teamId: string;
  /** A signed access token for this user (15 minutes), for lightweight clients that skip sign-in. */
  token: string;
}

export interface BenchApi {
  kind: StoreKind;
  base: string;
  port: number;
  store: CentralStore;
  app: FastifyInstance;
  place: BenchPlace;
  /** A new team (its id). */
  team(name: string): Promise<string>;
  /** A new user of `teamId`, who can sign in with BENCH_PASSWORD. */
  user(teamId: string, role?: Role): Promise<BenchUser>;
  close(): Promise<void>;
}

let userCount = 0;

/**
 * The real central API (`buildApi`, the production routes and store) listening on loopback, over a fresh SQLite
 * file or a fresh PostgreSQL database, with logging off. `poolSize` is PostgreSQL's connection pool (default 10, as
 * `npm run server` has it).
 */
export async function startBenchApi(kind: StoreKind, options: { poolSize?: number } = {}): Promise<BenchApi> {
  const place = await freshPlace(kind);
  const store =
    kind === 'sqlite'
      ? await openSqliteStore(join(place.dir, 'central.sqlite3'))
      : await openPostgresStore(place.databaseUrl!, undefined, options.poolSize ? { poolSize: options.poolSize } : {});
  const tokens = createTokenService(randomBytes(32), Date);
  const app = buildApi({ logger: pino({ level: 'silent' }), version: '0.0.0-bench', clock: Date, store, tokens, passwordCost: BENCH_PASSWORD_COST });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the bench API did not bind to a TCP port');
  const passwordHash = await hashPassword(BENCH_PASSWORD, BENCH_PASSWORD_COST);
  return {
    kind,
    base: `http://127.0.0.1:${address.port}`,
    port: address.port,
    store,
    app,
    place,
    async team(name) {
      return (await store.createTeam(`${name} ${randomUUID().slice(0, 8)}`)).id;
    },
    async user(teamId, role = 'handler') {
      userCount += 1;
      const email = `desk${userCount}-${randomUUID().slice(0, 8)}@bench.test`;
      const name = `Bench handler ${userCount}`;
      const created = await store.createUser({ email, name, role, teamIds: [teamId], passwordHash });
      // A new person's sessions are in their first generation.
      const token = tokens.issueAccessToken({ id: created.id, name, role, teamIds: [teamId] }, 0).token;
      return { id: created.id, email, name, teamId, token };
    },
    async close() {
      await app.close();
      await store.close();
      await place.remove();
    },
  };
}
