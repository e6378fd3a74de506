import type { CaseRow, SyncClientRow } from './sync-writes';

/** What a push would otherwise read from the database: its desk's row and the case rows it names. */
export interface KnownState {
  client: SyncClientRow;
  cases: CaseRow[];
}

/**
 * What this API instance last saw committed for the desks that push through it (PostgreSQL): each desk's row with
 * its last mutation id, and the rows of the cases its pushes touched, as their pushes committed them. A handler's
 * autosaves push the case on screen again and again through the same API, so the next push of that case usually
 * finds here all that its read would return, and goes to the database once, to write, not twice.
 *
 * Nothing here is trusted: the write checks, under its locks, that the desk's last mutation id and every changed
 * case's version are still these (a case's version grows with every committed change, whoever makes it), and writes
 * nothing if not. So another API instance, a supervisor's reassignment or a server-side status change only costs
 * the push a read after all. Bounded: the least recently used desks and cases go first.
 */
export function createPushedState(limits: { clients: number; cases: number } = { clients: 2_000, cases: 5_000 }) {
  const clients = new Map<string, SyncClientRow>();
  const cases = new Map<string, CaseRow>();

  function touch<T>(map: Map<string, T>, key: string, value: T, limit: number): void {
    map.delete(key);
    map.set(key, value);
    if (map.size > limit) map.delete(map.keys().next().value!);
  }

  function get<T>(map: Map<string, T>, key: string): T | undefined {
    const value = map.get(key);
    if (value !== undefined) touch(map, key, value, Number.POSITIVE_INFINITY);
    return value;
  }

  return {
    /**
     * The desk's row and the rows of `caseIds`, when all are known; a case in `created` (made by the push itself)
     * may be unknown, and is then taken not to exist yet (if it does, the write's insert fails on its id). Null
     * when anything else is unknown.
     */
    known(clientId: string, caseIds: readonly string[], created: ReadonlySet<string>): KnownState | null {
      const client = get(clients, clientId);
      if (!client) return null;
      const rows: CaseRow[] = [];
      for (const id of caseIds) {
        const row = get(cases, id);
        if (row) rows.push(row);
        else if (!created.has(id)) return null;
      }
      return { client, cases: rows };
    },

    /** Keeps what a push committed (or read). An older state than the one kept (pushes finishing out of order) is ignored. */
    remember(state: KnownState): void {
      const client = clients.get(state.client.client_id);
      if (!client || Number(client.last_mutation_id) <= Number(state.client.last_mutation_id)) touch(clients, state.client.client_id, state.client, limits.clients);
      for (const row of state.cases) {
        const kept = cases.get(row.id);
        if (!kept || Number(kept.version) <= Number(row.version)) touch(cases, row.id, row, limits.cases);
      }
    },

    /** Drops what a push found out of date, so its next try reads the database. */
    forget(clientId: string, caseIds: readonly string[]): void {
      clients.delete(clientId);
      for (const id of caseIds) cases.delete(id);
    },
  };
}

export type PushedState = ReturnType<typeof createPushedState>;
