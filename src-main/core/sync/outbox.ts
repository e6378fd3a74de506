import type { Database } from 'better-sqlite3';
import { commitWithoutFlush } from '../db/commit-without-flush';
import { limitedStatements } from '../db/limited-statements';
import type { Mutation } from '../../../src-shared/sync/protocol';

/** The names of the mutations the desktop sends to the central API. */
export type MutationName = Mutation['name'];

/** A pending edit of one case field (or its status, as field `status`), or of a caller, still waiting in the outbox. */
export interface PendingEdit {
  mutationId: number;
  name: 'case.updateField' | 'case.changeStatus' | 'caller.upsert';
  /** The case edited; null for a caller. */
  caseId: string | null;
  /** The field edited, `status` for a status change; null for a caller. */
  field: string | null;
  /** The caller edited; null for a case. */
  callerId: string | null;
  at: string;
}

export interface OutboxEntry {
  mutationId: number;
  name: MutationName;
  args: unknown;
  createdAt: string;
}

/** The desk's reports of reads (for the central audit log): a case opened, cases shown in a list. Not changes. */
const REPORT_NAMES = "('case.viewed', 'cases.listed')" satisfies `('${MutationName}', '${MutationName}')`;

/**
 * Everything waiting and the reports among it, both from the index by name (migration 0150; a test checks the plan):
 * the reports by a range of it, everything by the whole of it, far smaller than the table of entries with their JSON.
 */
export const WAITING_COUNT_SQL = `SELECT (SELECT count(*) FROM outbox) AS total, (SELECT count(*) FROM outbox WHERE name IN ${REPORT_NAMES}) AS reports`;

/**
 * What waits in the outbox, as the handler is told it: their changes, and apart from them the desk's reports of reads
 * (a case opened, a list of cases shown, for the central audit log), which are not changes of theirs.
 */
export function createWaitingCount(db: Database): () => { pending: number; reports: number } {
  const counts = db.prepare<[], { total: number; reports: number }>(WAITING_COUNT_SQL);
  return () => {
    const { total, reports } = counts.get()!;
    return { pending: total - reports, reports };
  };
}

/**
 * The outbox: one entry per local change, always written inside the caller's transaction so the change and its
 * entry commit together or not at all. `afterEnqueue` hears of every change (the storage maintenance counts them).
 */
export function createOutbox(db: Database, options: { afterEnqueue?: () => void } = {}) {
  const insert = db.prepare<[string, string, string]>('INSERT INTO outbox (name, args, created_at) VALUES (?, ?, ?)');
  const countAll = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox');
  const newest = db.prepare<[], { id: number | null }>('SELECT max(mutation_id) AS id FROM outbox');
  const firstN = limitedStatements<[], { mutation_id: number; name: MutationName; args: string; created_at: string }>(
    db,
    (limit) => `SELECT mutation_id, name, args, created_at FROM outbox ORDER BY mutation_id LIMIT ${limit}`,
  );
  const deleteUpTo = db.prepare<[number]>('DELETE FROM outbox WHERE mutation_id <= ?');
  const withoutFlush = commitWithoutFlush(db);
  const edits = db.prepare<[], { mutation_id: number; name: PendingEdit['name']; case_id: string | null; field: string | null; caller_id: string | null; at: string }>(`
    SELECT mutation_id, name,
      json_extract(args, '$.caseId') AS case_id,
      CASE name WHEN 'case.changeStatus' THEN 'status' ELSE json_extract(args, '$.field') END AS field,
      CASE name WHEN 'caller.upsert' THEN json_extract(args, '$.callerId') END AS caller_id,
      json_extract(args, '$.at') AS at
    FROM outbox
    WHERE name IN ('case.updateField', 'case.changeStatus', 'caller.upsert')
    ORDER BY mutation_id`);
  return {
    /** Must run inside a transaction that also writes the change. Returns the mutation id. */
    enqueue(name: MutationName, args: unknown, at: string): number {
      if (!db.inTransaction) throw new Error('An outbox entry must be written in the same transaction as its change');
      const mutationId = Number(insert.run(name, JSON.stringify(args), at).lastInsertRowid);
      options.afterEnqueue?.();
      return mutationId;
    },
    /** Every entry waiting, reports of cases opened (for the audit log) included. */
    count: (): number => countAll.get()?.n ?? 0,
    /** See `createWaitingCount`. */
    waiting: createWaitingCount(db),
    /** The id of the newest entry waiting, 0 when there is none. */
    newestId: (): number => newest.get()?.id ?? 0,
    /**
     * Drops the entries the central API has confirmed it holds (every id up to `upTo`). Only ever called with a
     * `lastMutationId` the server returned: an entry is never dropped before the server has it. Returns how many went.
     */
    acknowledge(upTo: number): number {
      return deleteUpTo.run(upTo).changes;
    },
    /**
     * `acknowledge` for a push's answer, committed without waiting for the disk (see `commitWithoutFlush`). Losing
     * this commit to a power cut is harmless: the entries come back, are pushed again, and the server skips ids it
     * already has. It takes a disk flush off every push's round trip.
     */
    acknowledgePushed(upTo: number): number {
      return withoutFlush(() => deleteUpTo.run(upTo).changes);
    },
    /** The field, status and caller edits still waiting, oldest first: pulled values must not hide them. */
    pendingEdits(): PendingEdit[] {
      return edits.all().map((row) => ({
        mutationId: row.mutation_id,
        name: row.name,
        caseId: row.case_id,
        field: row.field,
        callerId: row.caller_id,
        at: row.at,
      }));
    },
    peek(limit: number): OutboxEntry[] {
      return firstN(limit).all().map((row) => ({
        mutationId: row.mutation_id,
        name: row.name,
        args: JSON.parse(row.args) as unknown,
        createdAt: row.created_at,
      }));
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
