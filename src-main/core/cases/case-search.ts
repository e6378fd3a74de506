import type { Database, Statement } from 'better-sqlite3';
import type { SearchResult } from '../../../src-shared/contract/cases';
import { looksLikeReference, normaliseReference } from '../../../src-shared/domain/reference-number';
import { normalisePhoneNumber } from '../../../src-shared/domain/phone-number';
import { CASE_LIST_SELECT, rowToSummary, type CaseListRow } from './case-rows';
import { limitedStatements } from '../db/limited-statements';

/**
 * How many matches a search ranks. A word found in half a million cases ("ward", "called") would otherwise make
 * SQLite score every one of them; past the cap the search shows the newest matches, newest first, and the handler
 * is told the search was capped. (Scoring even the newest 2,000 by relevance costs a pass over every case holding
 * the word: FTS5's bm25 counts them all for the word's weight. At a million cases that is 30-50 ms for "the".)
 */
export const SEARCH_RANK_CAP = 2000;
const MAX_TERMS = 8;
/**
 * A last word shorter than this is matched whole, never as a prefix: expanding "t" or "wa" merges the postings of
 * thousands of words (2.1 s and 0.26 s at a million cases), and the handler is still typing.
 */
export const MIN_PREFIX_LENGTH = 3;

/**
 * Turns what a handler typed into an FTS5 query: every word must match; the last may be the start of a word
 * (`lastIsPrefix`, the default, for a last word of MIN_PREFIX_LENGTH or more) or must be whole.
 */
export function toFtsQuery(text: string, options: { lastIsPrefix?: boolean } = {}): string | null {
  const terms = (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_TERMS);
  if (terms.length === 0) return null;
  const last = terms[terms.length - 1]!;
  const prefix = (options.lastIsPrefix ?? true) && last.length >= MIN_PREFIX_LENGTH;
  return terms.map((term, index) => (prefix && index === terms.length - 1 ? `"${term}"*` : `"${term}"`)).join(' ');
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
  // FTS5 walks a whole word's postings from the newest case and stops at the LIMIT, so `newest` costs little
  // whatever the word. A prefix ("wa"*) is different: FTS5 first merges the postings of every word that starts
  // with it. `newestRanked` scores each match it returns (bm25), which also costs one pass over each word's postings.
  // Their limit is in the text (see `limitedStatements`).
  const newest = db.prepare<[string], { rowid: number }>(`SELECT rowid FROM case_search WHERE case_search MATCH ? ORDER BY rowid DESC LIMIT ${SEARCH_RANK_CAP + 1}`);
  const newestRanked = db.prepare<[string], { rowid: number; rank: number }>(
    `SELECT rowid, rank FROM case_search WHERE case_search MATCH ? ORDER BY rowid DESC LIMIT ${SEARCH_RANK_CAP + 1}`,
  );
  const byRowids = new Map<number, Statement<number[], CaseListRow>>();
  const byReference = db.prepare<[string], CaseListRow>(`${CASE_LIST_SELECT} WHERE c.reference = ?`);
  const byPhone = limitedStatements<[string, string], CaseListRow>(
    db,
    (limit) => `${CASE_LIST_SELECT} WHERE c.caller_id = (SELECT id FROM callers WHERE phone = ?) OR c.contact_phone = ? ORDER BY c.created_at DESC LIMIT ${limit}`,
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

  /**
   * The matching case rowids to show. First the words as typed with the last one whole: if they alone are in more
   * cases than the cap, the last word is complete and common, so its prefix is never expanded (nor every match
   * scored), and the newest matches are the answer. Otherwise the last word is a prefix, and the matches are
   * ranked by relevance unless there are more than the cap, when again the newest are shown.
   */
  function matches(text: string, limit: number): { rowids: number[]; capped: boolean } | null {
    const typed = toFtsQuery(text);
    const whole = toFtsQuery(text, { lastIsPrefix: false });
    if (!typed || !whole) return null;
    const wholeHits = newest.all(whole);
    if (wholeHits.length > SEARCH_RANK_CAP) return { rowids: wholeHits.slice(0, limit).map((hit) => hit.rowid), capped: true };
    const hits = newestRanked.all(typed);
    const capped = hits.length > SEARCH_RANK_CAP;
    if (!capped) hits.sort((a, b) => a.rank - b.rank || b.rowid - a.rowid);
    return { rowids: hits.slice(0, limit).map((hit) => hit.rowid), capped };
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

    /**
     * The first entry of a case inserted in this transaction: there is nothing to replace, and unless `hasNotes` (notes
     * added in the same transaction) no notes to read; a first catch-up writes thousands. Call inside the write's
     * transaction. This relies on a rule: whatever deletes cases clears their entries in the same transaction (the
     * index is contentless and a new case may take a deleted case's rowid; today only the desk's hand-over deletes
     * cases, and it clears the whole index).
     */
    indexNew(rowid: number, caseId: string, reference: string, description: string, hasNotes: boolean): void {
      insert.run(rowid, reference, description, hasNotes ? (notesOf.get(caseId)?.notes ?? '') : '');
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
          const rows = byPhone(limit).all(phone.e164, phone.e164);
          return { items: rows.map((row) => ({ ...rowToSummary(row), snippet: '' })), matchedBy: 'phone', capped: false };
        }
      }
      const found = matches(query, limit);
      if (!found) return { items: [], matchedBy: 'text', capped: false };
      const rows = found.rowids.length ? rowsByRowid(found.rowids) : [];
      return {
        items: rows.map((row) => ({ ...rowToSummary(row), snippet: snippet(row, query) })),
        matchedBy: 'text',
        capped: found.capped,
      };
    },
  };
}

export type CaseSearchIndex = ReturnType<typeof createCaseSearchIndex>;
