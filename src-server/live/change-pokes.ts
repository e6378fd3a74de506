import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { CentralStore } from '../store/central-store';
import type { LiveBus } from './live-bus';

/**
 * How often the change log is checked for new rows: so each team's desks are poked at most once a second, however
 * busy the team (each poke is a pull from every desk of the team).
 */
export const CHANGE_POKE_INTERVAL_MS = 1000;
/** Past this many new rows in one check, every desk is poked rather than the teams being worked out. */
const MAX_ROWS_TO_SORT = 10_000;
/** The change log's team for rows everyone pulls (reference data): see central-store.ts. */
const EVERYONE = '*';

/**
 * Pokes desks to pull, as Replicache's poke does: every second it reads the newest change number, and
 * when the change log has grown it sends a `changes` live event to the desks of the teams whose rows are new (every
 * desk for rows everyone pulls). A desk then syncs at once, so a text, a web-form contact or a colleague's edit is on
 * screen within a second or two, not at the next sync interval. It reads the log rather than hooking every writer, so
 * no write path can forget it and it only ever pokes for committed rows; with several API instances on one
 * PostgreSQL, each pokes through the shared bus (a desk may hear a poke twice; a nudge is cheap and coalesced).
 * A poke is only a hint: the desk's own interval still pulls if one is lost.
 */
export function startChangePokes(options: { store: CentralStore; bus: LiveBus; logger: FastifyBaseLogger; intervalMs?: number }): { ready: Promise<void>; stop(): void } {
  const { store, bus, logger } = options;
  let seen: number | null = null;
  let running = false;

  async function newest(): Promise<number> {
    const row = await store.db.selectFrom('counters').select('value').where('name', '=', 'change').executeTakeFirst();
    return Number(row?.value ?? 0);
  }

  async function check(): Promise<void> {
    const now = await newest();
    if (seen === null || now <= seen) {
      seen = now;
      return;
    }
    const from = seen;
    seen = now;
    let teamIds: string[] | null = null;
    if (now - from <= MAX_ROWS_TO_SORT) {
      const rows = await sql<{ team_id: string }>`SELECT DISTINCT team_id FROM changes WHERE seq > ${from} AND seq <= ${now}`.execute(store.db);
      const teams = rows.rows.map((row) => row.team_id);
      if (teams.length === 0) return;
      teamIds = teams.includes(EVERYONE) ? null : teams;
    }
    bus.publish({ event: { type: 'changes' }, audience: { userId: null, teamIds, minRole: 'handler' } });
  }

  function tick(): Promise<void> {
    if (running) return Promise.resolve();
    running = true;
    return check()
      .catch((error: unknown) => logger.warn({ err: error }, 'could not check the change log for new rows; desks pull at their own interval'))
      .finally(() => {
        running = false;
      });
  }

  const timer = setInterval(() => void tick(), options.intervalMs ?? CHANGE_POKE_INTERVAL_MS);
  timer.unref();
  // The first check only notes where the log stands: changes from before the start are no news.
  return { ready: tick(), stop: () => clearInterval(timer) };
}
