import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { BenchPlace } from './sync-world';

/** The header a load client sends its team in, so the raw server can file and filter rows as the API does. */
export const RAW_TEAM_HEADER = 'x-bench-team';

interface RawMutation {
  id: number;
  name: string;
  args: unknown;
}

interface RawRow {
  seq: number;
  entity_id: string;
  data: string;
  at: string;
}

/** What a baseline server does with the data: a plain insert of each mutation, a plain read of rows after a cursor. */
interface RawStore {
  insertBatch(teamId: string, clientId: string, mutations: readonly RawMutation[]): Promise<void>;
  rowsAfter(teamId: string, cursor: number, limit: number): Promise<RawRow[]>;
  close(): Promise<void>;
}

const PULL_LIMIT = 1000;

function sqliteRawStore(path: string): RawStore {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE raw_mutations (seq INTEGER PRIMARY KEY, team_id TEXT NOT NULL, client_id TEXT NOT NULL, mutation_id INTEGER NOT NULL,
    name TEXT NOT NULL, args TEXT NOT NULL, at TEXT NOT NULL)`);
  db.exec('CREATE INDEX raw_mutations_by_team ON raw_mutations (team_id, seq)');
  const insert = db.prepare<[string, string, number, string, string, string]>(
    'INSERT INTO raw_mutations (team_id, client_id, mutation_id, name, args, at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const after = db.prepare<[string, number, number], RawRow>(
    'SELECT seq, client_id || mutation_id AS entity_id, args AS data, at FROM raw_mutations WHERE team_id = ? AND seq > ? ORDER BY seq LIMIT ?',
  );
  const insertAll = db.transaction((teamId: string, clientId: string, mutations: readonly RawMutation[]) => {
    const at = new Date().toISOString();
    for (const m of mutations) insert.run(teamId, clientId, m.id, m.name, JSON.stringify(m.args), at);
  });
  return {
    insertBatch: async (teamId, clientId, mutations) => insertAll(teamId, clientId, mutations),
    rowsAfter: async (teamId, cursor, limit) => after.all(teamId, cursor, limit),
    close: async () => {
      db.close();
    },
  };
}

async function postgresRawStore(url: string, poolSize: number): Promise<RawStore> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  await pool.query(`CREATE TABLE raw_mutations (seq BIGSERIAL PRIMARY KEY, team_id TEXT NOT NULL, client_id TEXT NOT NULL,
    mutation_id BIGINT NOT NULL, name TEXT NOT NULL, args TEXT NOT NULL, at TEXT NOT NULL)`);
  await pool.query('CREATE INDEX raw_mutations_by_team ON raw_mutations (team_id, seq)');
  return {
    async insertBatch(teamId, clientId, mutations) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const at = new Date().toISOString();
        for (const m of mutations) {
          await client.query({
            name: 'raw-insert',
            text: 'INSERT INTO raw_mutations (team_id, client_id, mutation_id, name, args, at) VALUES ($1, $2, $3, $4, $5, $6)',
            values: [teamId, clientId, m.id, m.name, JSON.stringify(m.args), at],
          });
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async rowsAfter(teamId, cursor, limit) {
      const result = await pool.query<RawRow>({
        name: 'raw-after',
        text: "SELECT seq::float8 AS seq, client_id || mutation_id AS entity_id, args AS data, at FROM raw_mutations WHERE team_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        values: [teamId, cursor, limit],
      });
      return result.rows;
    },
    close: () => pool.end(),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export interface RawSyncServer {
  base: string;
  close(): Promise<void>;
}

/**
 * The baseline for the sync benchmarks: a bare `node:http` server on loopback with the API's two sync paths and none
 * of its work. `POST /sync/push` parses the body and inserts each mutation with one plain INSERT, all in one
 * transaction (raw better-sqlite3 with WAL and synchronous=FULL, as the API's SQLite store; or raw `pg` on the same
 * PostgreSQL server); `POST /sync/pull` reads up to 1,000 rows after a cursor. No auth, no schema check, no
 * ordering check, no change log.
 */
export async function startRawSyncServer(place: BenchPlace, options: { poolSize?: number } = {}): Promise<RawSyncServer> {
  const store = place.kind === 'sqlite' ? sqliteRawStore(join(place.dir, 'raw.sqlite3')) : await postgresRawStore(place.databaseUrl!, options.poolSize ?? 10);
  const server = createServer((req, res) => {
    const teamId = String(req.headers[RAW_TEAM_HEADER] ?? 'team');
    readBody(req)
      .then(async (text) => {
        const body = JSON.parse(text) as { clientId: string; mutations?: RawMutation[]; cursor?: number };
        if (req.url === '/sync/push' && body.mutations) {
          await store.insertBatch(teamId, body.clientId, body.mutations);
          send(res, 200, { lastMutationId: body.mutations.at(-1)?.id ?? 0 });
        } else if (req.url === '/sync/pull') {
          const rows = await store.rowsAfter(teamId, body.cursor ?? 0, PULL_LIMIT + 1);
          const page = rows.slice(0, PULL_LIMIT);
          const changes = page.map((row) => ({ seq: Number(row.seq), entity: 'mutation', entityId: row.entity_id, data: JSON.parse(row.data) as unknown, at: row.at }));
          send(res, 200, { changes, cursor: changes.at(-1)?.seq ?? body.cursor ?? 0, lastMutationId: 0, hasMore: rows.length > PULL_LIMIT });
        } else {
          send(res, 404, { title: 'not found' });
        }
      })
      .catch((error: unknown) => send(res, 500, { title: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the raw server did not bind to a TCP port');
  return {
    base: `http://127.0.0.1:${address.port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await store.close();
    },
  };
}
