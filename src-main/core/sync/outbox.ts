import type { Database } from 'better-sqlite3';

/** The names of the mutations the desktop sends to the central API. */
export type MutationName = 'case.create' | 'case.updateField' | 'case.appendNote' | 'case.changeStatus' | 'caller.upsert';

export interface OutboxEntry {
  mutationId: number;
  name: MutationName;
  args: unknown;
  createdAt: string;
}

/**
 * The outbox: one entry per local change, always written inside the caller's transaction so the change and its
 * entry commit together or not at all. `afterEnqueue` hears of every change (the storage maintenance counts them).
 */
export function createOutbox(db: Database, options: { afterEnqueue?: () => void } = {}) {
  const insert = db.prepare<[string, string, string]>('INSERT INTO outbox (name, args, created_at) VALUES (?, ?, ?)');
  const countAll = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox');
  const firstN = db.prepare<[number], { mutation_id: number; name: MutationName; args: string; created_at: string }>(
    'SELECT mutation_id, name, args, created_at FROM outbox ORDER BY mutation_id LIMIT ?',
  );
  return {
    /** Must run inside a transaction that also writes the change. Returns the mutation id. */
    enqueue(name: MutationName, args: unknown, at: string): number {
      if (!db.inTransaction) throw new Error('An outbox entry must be written in the same transaction as its change');
      const mutationId = Number(insert.run(name, JSON.stringify(args), at).lastInsertRowid);
      options.afterEnqueue?.();
      return mutationId;
    },
    count: (): number => countAll.get()?.n ?? 0,
    peek(limit: number): OutboxEntry[] {
      return firstN.all(limit).map((row) => ({
        mutationId: row.mutation_id,
        name: row.name,
        args: JSON.parse(row.args) as unknown,
        createdAt: row.created_at,
      }));
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
