import type { Database } from 'better-sqlite3';
import { FIELD_COLUMNS, fieldToColumnValue } from '../../../../src-main/core/cases/case-rows';
import type { CaseFieldName } from '../../../../src-shared/domain/case-record';
import { validateReference } from '../../../../src-shared/domain/reference-number';
import type { Report } from './workload';

/**
 * Splits what a writer printed into its reports. Only complete lines count: a writer killed mid-line leaves a
 * fragment with no newline, which is dropped (its write may or may not have committed; either is allowed).
 */
export function completeLines(output: string): { reports: Report[]; fragment: string } {
  const lines = output.split('\n');
  const fragment = lines.pop() ?? '';
  return { reports: lines.filter((line) => line !== '').map((line) => JSON.parse(line) as Report), fragment };
}

interface EventRow {
  id: string;
  case_id: string;
  kind: string;
  field: string | null;
  new_value: string | null;
  body: string | null;
  at: string;
}

interface OutboxRow {
  mutation_id: number;
  name: string;
  args: string;
}

/** Counts of each key; two multisets are equal when every key has the same count in both. */
function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function multisetDifferences(label: string, expected: Map<string, number>, actual: Map<string, number>): string[] {
  const problems: string[] = [];
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const want = expected.get(key) ?? 0;
    const got = actual.get(key) ?? 0;
    if (want !== got) problems.push(`${label}: ${key} has ${got} outbox entries for ${want} changes`);
  }
  return problems;
}

/**
 * The Jepsen-style "set" check for the local cache: every reported commit is present, the outbox holds exactly one
 * entry per change and none for changes that do not exist, no note is duplicated, references are unique and valid,
 * and SQLite finds the file intact. Returns what is wrong, in words; an empty list means the database kept its word.
 */
export function checkDurability(db: Database, reports: readonly Report[]): string[] {
  const problems: string[] = [];
  const integrity = db.pragma('integrity_check', { simple: true });
  if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
  const foreignKeys = db.pragma('foreign_key_check') as unknown[];
  if (foreignKeys.length > 0) problems.push(`foreign_key_check: ${foreignKeys.length} broken references`);

  const cases = db.prepare('SELECT rowid, * FROM cases').all() as (Record<string, unknown> & { rowid: number; id: string; reference: string; version: number })[];
  const casesById = new Map(cases.map((row) => [row.id, row]));
  const events = db.prepare('SELECT id, case_id, kind, field, new_value, body, at FROM case_events ORDER BY at, rowid').all() as EventRow[];
  const eventsById = new Map(events.map((event) => [event.id, event]));
  const outbox = db.prepare('SELECT mutation_id, name, args FROM outbox ORDER BY mutation_id').all() as OutboxRow[];
  const entries = outbox.map((row) => ({ ...row, parsed: JSON.parse(row.args) as Record<string, unknown> }));
  const fieldEvents = events.filter((event) => event.kind === 'field');
  const noteEvents = events.filter((event) => event.kind === 'note');
  const fieldKey = (caseId: unknown, field: unknown, value: unknown, at: unknown) => JSON.stringify([caseId, field, value, at]);

  // Every reported commit is present, as reported.
  const fieldEventKeys = countBy(fieldEvents, (e) => fieldKey(e.case_id, e.field, JSON.parse(e.new_value ?? 'null'), e.at));
  const reportedFields = countBy(
    reports.filter((r) => r.op === 'field'),
    (r) => fieldKey(r.caseId, r.field, r.value, r.at),
  );
  for (const report of reports) {
    if (report.op === 'case') {
      const row = casesById.get(report.caseId);
      if (!row) problems.push(`reported case ${report.caseId} is missing`);
      else if (row.reference !== report.reference) problems.push(`case ${report.caseId} has reference ${row.reference}, reported ${report.reference}`);
    } else if (report.op === 'note') {
      const event = eventsById.get(report.noteId);
      if (!event) problems.push(`reported note ${report.noteId} is missing`);
      else if (event.kind !== 'note' || event.case_id !== report.caseId || event.body !== report.text) {
        problems.push(`note ${report.noteId} does not hold what was reported`);
      }
    }
  }
  for (const [key, reported] of reportedFields) {
    if ((fieldEventKeys.get(key) ?? 0) < reported) problems.push(`reported field change ${key} is missing`);
  }

  // Each case's fields hold its latest change, and its version counts its changes: no half-applied write.
  const latest = new Map(fieldEvents.map((e) => [`${e.case_id}|${e.field}`, e]));
  for (const [key, event] of latest) {
    const row = casesById.get(event.case_id);
    const field = event.field as CaseFieldName;
    const stored = row?.[FIELD_COLUMNS[field]];
    if (row && stored !== fieldToColumnValue(field, JSON.parse(event.new_value ?? 'null'))) problems.push(`${key} is not its latest saved value`);
  }
  const changesPerCase = countBy(events, (e) => (e.kind === 'created' ? `created|${e.case_id}` : e.case_id));
  for (const row of cases) {
    if (changesPerCase.get(`created|${row.id}`) !== 1) problems.push(`case ${row.id} has ${changesPerCase.get(`created|${row.id}`) ?? 0} created events`);
    if (row.version !== 1 + (changesPerCase.get(row.id) ?? 0)) problems.push(`case ${row.id} is at version ${row.version} with ${changesPerCase.get(row.id) ?? 0} changes`);
  }

  // The outbox matches the changes one to one.
  const byName = (name: string) => entries.filter((entry) => entry.name === name);
  for (const entry of entries) {
    if (!['case.create', 'case.updateField', 'case.appendNote'].includes(entry.name)) problems.push(`outbox entry ${entry.mutation_id} is an unexpected ${entry.name}`);
  }
  problems.push(
    ...multisetDifferences('case.create', countBy(cases, (row) => `${row.id} ${row.reference}`), countBy(byName('case.create'), (e) => `${String(e.parsed.caseId)} ${String(e.parsed.reference)}`)),
    ...multisetDifferences(
      'case.updateField',
      fieldEventKeys,
      countBy(byName('case.updateField'), (e) => fieldKey(e.parsed.caseId, e.parsed.field, e.parsed.value, e.parsed.at)),
    ),
    ...multisetDifferences(
      'case.appendNote',
      countBy(noteEvents, (e) => JSON.stringify([e.id, e.case_id, e.body])),
      countBy(byName('case.appendNote'), (e) => JSON.stringify([e.parsed.noteId, e.parsed.caseId, e.parsed.text])),
    ),
  );

  // No note twice: each note's text is unique to the run and step that wrote it.
  for (const [key, count] of countBy(noteEvents, (e) => `${e.case_id} ${e.body ?? ''}`)) {
    if (count > 1) problems.push(`note written ${count} times: ${key}`);
  }

  // References are unique and each one checks.
  for (const [reference, count] of countBy(cases, (row) => row.reference)) {
    if (count > 1) problems.push(`reference ${reference} is used by ${count} cases`);
    if (!validateReference(reference).ok) problems.push(`reference ${reference} does not check`);
  }

  // Search knows every case, once.
  const indexed = countBy(db.prepare('SELECT rowid FROM case_search').all() as { rowid: number }[], (r) => String(r.rowid));
  for (const row of cases) if (indexed.get(String(row.rowid)) !== 1) problems.push(`case ${row.id} is in the search index ${indexed.get(String(row.rowid)) ?? 0} times`);
  if (indexed.size !== cases.length) problems.push(`the search index has ${indexed.size} rows for ${cases.length} cases`);

  return problems;
}
