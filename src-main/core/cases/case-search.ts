import type { Database, Statement } from 'better-sqlite3';
import type { SearchResult } from '../../../src-shared/contract/cases';
import { looksLikeReference, normaliseReference } from '../../../src-shared/domain/reference-number';
import { normalisePhoneNumber } from '../../../src-shared/domain/phone-number';
import { CASE_LIST_SELECT, rowToSummary, type CaseListRow } from './case-rows';

/**
 * How many of the newest matches are ranked. A word found in half a million cases ("ward", "called") would
 * otherwise make SQLite score every one of them; past the cap the newest matches are ranked, and the handler is
 * told the search was capped.
 */
export const SEARCH_RANK_CAP = 2000;
const MAX_TERMS = 8;

/** Turns what a handler typed into an FTS5 query: every word must match; the last may be the start of a word. */
export function toFtsQuery(text: string): string | null {
  const terms = (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_TERMS);
  if (terms.length === 0) return null;
  return terms.map((term, index) => (index === terms.length - 1 ? `"${term}"*` : `"${term}"`)).join(' ');
}

/** The full-text index of cases: kept in step with each write, queried by the search box. */
export function createCaseSearchIndex(db: Database) {
  const remove = db.prepare<[number]>('DELETE FROM case_search WHERE rowid = ?');
  const insert = db.prepare<[number, string, string, string]>(
    'INSERT INTO case_search (rowid, reference, description, notes) VALUES (?, ?, ?, ?)',
  );
  const notesOf = db.prepare<[string], { notes: string | null }>(
    "SELECT group_concat(body, ' ') AS notes FROM case_events WHERE case_id = ? AND kind = 'note'",
  );
  const ranked = db.prepare<[string, number, number], { rowid: number; matches: number }>(`
    SELECT rowid, count(*) OVER () AS matches
    FROM (SELECT rowid, rank FROM case_search WHERE case_search MATCH ? ORDER BY rowid DESC LIMIT ?)
    ORDER BY rank
    LIMIT ?`);
  const byRowids = new Map<number, Statement<number[], CaseListRow>>();
  const byReference = db.prepare<[string], CaseListRow>(`${CASE_LIST_SELECT} WHERE c.reference = ?`);
  const byPhone = db.prepare<[string, string, number], CaseListRow>(
    `${CASE_LIST_SELECT} WHERE c.caller_id = (SELECT id FROM callers WHERE phone = ?) OR c.contact_phone = ? ORDER BY c.created_at DESC LIMIT ?`,
  );
  const noteSnippet = db.prepare<[string, string], { body: string }>(
    "SELECT body FROM case_events WHERE case_id = ? AND kind = 'note' AND body LIKE ? ESCAPE '\\' LIMIT 1",
  );

  function rowsByRowid(rowids: number[]): CaseListRow[] {
    let statement = byRowids.get(rowids.length);
    if (!statement) {
      statement = db.prepare<number[], CaseListRow>(`${CASE_LIST_SELECT} WHERE c.rowid IN (${rowids.map(() => '?').join(', ')})`);
      byRowids.set(rowids.length, statement);
    }
    const rows = statement.all(...rowids);
    const order = new Map(rowids.map((rowid, index) => [rowid, index]));
    return rows.sort((a, b) => (order.get(a.rowid) ?? 0) - (order.get(b.rowid) ?? 0));
  }

  function snippet(row: CaseListRow, text: string): string {
    const terms = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    const first = terms[0];
    if (!first) return '';
    const around = (source: string): string | null => {
      const at = source.toLowerCase().indexOf(first);
      if (at < 0) return null;
      const start = Math.max(0, at - 60);
      const end = Math.min(source.length, at + first.length + 100);
      return `${start > 0 ? '…' : ''}${source.slice(start, end)}${end < source.length ? '…' : ''}`;
    };
    const inDescription = around(row.description);
    if (inDescription) return inDescription;
    const note = noteSnippet.get(row.id, `%${first.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    return (note && around(note.body)) ?? row.description.slice(0, 160);
  }

  return {
    /** Replaces the case's entry: reference, the caller's words and every note. Call inside the write's transaction. */
    index(rowid: number, caseId: string, reference: string, description: string): void {
      remove.run(rowid);
      insert.run(rowid, reference, description, notesOf.get(caseId)?.notes ?? '');
    },

    search(text: string, limit: number): SearchResult {
      const query = text.trim();
      if (query === '') return { items: [], matchedBy: 'none', capped: false };
      if (looksLikeReference(query)) {
        const row = byReference.get(normaliseReference(query) ?? '');
        return { items: row ? [{ ...rowToSummary(row), snippet: '' }] : [], matchedBy: 'reference', capped: false };
      }
      if (/^[+\d][\d\s()-]{8,}$/.test(query)) {
        const phone = normalisePhoneNumber(query);
        if (phone.ok) {
          const rows = byPhone.all(phone.e164, phone.e164, limit);
          return { items: rows.map((row) => ({ ...rowToSummary(row), snippet: '' })), matchedBy: 'phone', capped: false };
        }
      }
      const fts = toFtsQuery(query);
      if (!fts) return { items: [], matchedBy: 'text', capped: false };
      const hits = ranked.all(fts, SEARCH_RANK_CAP + 1, limit);
      const rows = hits.length ? rowsByRowid(hits.map((hit) => hit.rowid)) : [];
      return {
        items: rows.map((row) => ({ ...rowToSummary(row), snippet: snippet(row, query) })),
        matchedBy: 'text',
        capped: (hits[0]?.matches ?? 0) > SEARCH_RANK_CAP,
      };
    },
  };
}

export type CaseSearchIndex = ReturnType<typeof createCaseSearchIndex>;
