import type { Database } from 'better-sqlite3';
import type { CentralStore } from '../../src-server/store/central-store';

/**
 * Jepsen's "set" check for sync: every case and note a desk committed locally must be on the server exactly once,
 * and the server must hold nothing that no desk committed. The committed sets are read from each desk's own cache
 * after the run (what its database says it promised the handler), never from what a process printed.
 */

export interface NoteRef {
  id: string;
  caseId: string;
}

/** What one desk committed: the cases it created and the notes it wrote, by id. */
export interface CommittedSet {
  desk: string;
  cases: readonly string[];
  notes: readonly NoteRef[];
}

/** What a store holds (the server's database, or a desk's cache): every case, every note event. */
export interface HeldSet {
  cases: readonly string[];
  notes: readonly NoteRef[];
}

export interface SetItem {
  kind: 'case' | 'note';
  id: string;
  /** The case a note belongs to. */
  caseId?: string;
  /** The desk that committed it (missing items). */
  desk?: string;
  /** How many times it is held, or how many notes a case holds (duplicated items). */
  count?: number;
  /** How many notes the case should hold (duplicated items of kind `case`). */
  expected?: number;
}

export interface SetCheckReport {
  /** Committed by a desk, not held. */
  missing: SetItem[];
  /** Held more than once: a case or note id twice, or a case holding more notes than were written on it. */
  duplicated: SetItem[];
  /** Held, but committed by no desk. */
  unexpected: SetItem[];
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** Compares what the desks committed with what is held. An empty report (all three lists empty) is a pass. */
export function checkSets(committed: readonly CommittedSet[], held: HeldSet): SetCheckReport {
  const report: SetCheckReport = { missing: [], duplicated: [], unexpected: [] };

  const committedCases = new Map<string, string>();
  const committedNotes = new Map<string, NoteRef & { desk: string }>();
  for (const desk of committed) {
    for (const id of desk.cases) {
      // Two desks (or one desk twice) claiming one case id is itself a duplicate.
      if (committedCases.has(id)) report.duplicated.push({ kind: 'case', id, desk: desk.desk, count: 2 });
      committedCases.set(id, desk.desk);
    }
    for (const note of desk.notes) {
      if (committedNotes.has(note.id)) report.duplicated.push({ kind: 'note', id: note.id, caseId: note.caseId, desk: desk.desk, count: 2 });
      committedNotes.set(note.id, { ...note, desk: desk.desk });
    }
  }

  const heldCases = countBy(held.cases, (id) => id);
  const heldNotes = countBy(held.notes, (note) => note.id);

  for (const [id, desk] of committedCases) if (!heldCases.has(id)) report.missing.push({ kind: 'case', id, desk });
  for (const [id, note] of committedNotes) if (!heldNotes.has(id)) report.missing.push({ kind: 'note', id, caseId: note.caseId, desk: note.desk });

  for (const [id, count] of heldCases) {
    if (count > 1) report.duplicated.push({ kind: 'case', id, count });
    if (!committedCases.has(id)) report.unexpected.push({ kind: 'case', id });
  }
  const heldNoteCase = new Map(held.notes.map((note) => [note.id, note.caseId]));
  for (const [id, count] of heldNotes) {
    if (count > 1) report.duplicated.push({ kind: 'note', id, caseId: heldNoteCase.get(id)!, count });
    if (!committedNotes.has(id)) report.unexpected.push({ kind: 'note', id, caseId: heldNoteCase.get(id)! });
  }

  // The same note stored twice under two ids (a desk that re-wrote it on retry) shows as one note too many on its
  // case, whatever the ids.
  const expectedPerCase = countBy([...committedNotes.values()], (note) => note.caseId);
  for (const [caseId, count] of countBy(held.notes, (note) => note.caseId)) {
    const expected = expectedPerCase.get(caseId) ?? 0;
    if (count > expected) report.duplicated.push({ kind: 'case', id: caseId, count, expected });
  }
  return report;
}

/** True when nothing is missing, duplicated or unexpected. */
export function isClean(report: SetCheckReport): boolean {
  return report.missing.length === 0 && report.duplicated.length === 0 && report.unexpected.length === 0;
}

/** A short account of a report for an assertion message: counts, and the first few items of each list. */
export function describeReport(report: SetCheckReport, show = 5): string {
  const part = (name: keyof SetCheckReport) => `${name} ${report[name].length}${report[name].length ? ` ${JSON.stringify(report[name].slice(0, show))}` : ''}`;
  return [part('missing'), part('duplicated'), part('unexpected')].join('; ');
}

/**
 * What a desk committed, from its cache: the cases whose `created` event it wrote and the notes it wrote. Both are
 * timeline events, which are append-only and never rewritten by a pull, so their author is the desk's own actor
 * (the signed-in handler's id, or the desk's own id for anything written while signed out).
 */
export function readDeskCommitted(db: Database, desk: string, authorIds: readonly string[]): CommittedSet {
  const placeholders = authorIds.map(() => '?').join(', ');
  const cases = db
    .prepare<string[], { case_id: string }>(`SELECT case_id FROM case_events WHERE kind = 'created' AND author_id IN (${placeholders})`)
    .all(...authorIds)
    .map((row) => row.case_id);
  const notes = db
    .prepare<string[], { id: string; case_id: string }>(`SELECT id, case_id FROM case_events WHERE kind = 'note' AND author_id IN (${placeholders})`)
    .all(...authorIds)
    .map((row) => ({ id: row.id, caseId: row.case_id }));
  return { desk, cases, notes };
}

/** Everything a desk's cache holds: its cases and every note on their timelines. */
export function readDeskHeld(db: Database): HeldSet {
  return {
    cases: db.prepare<[], { id: string }>('SELECT id FROM cases').all().map((row) => row.id),
    notes: db
      .prepare<[], { id: string; case_id: string }>("SELECT id, case_id FROM case_events WHERE kind = 'note'")
      .all()
      .map((row) => ({ id: row.id, caseId: row.case_id })),
  };
}

/** Everything the central store holds, read straight from its database (no audit rows, no paging). */
export async function readServerHeld(store: CentralStore): Promise<HeldSet> {
  const cases = await store.db.selectFrom('cases').select('id').execute();
  const notes = await store.db.selectFrom('case_events').select(['id', 'case_id']).where('kind', '=', 'note').execute();
  return { cases: cases.map((row) => row.id), notes: notes.map((row) => ({ id: row.id, caseId: row.case_id })) };
}
