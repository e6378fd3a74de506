import type { Migration } from '../migration';

/**
 * Full-text search over a case's reference, the caller's words and its notes. Contentless (the text already lives
 * in cases and case_events) with contentless_delete, so a case's row can be replaced when a note is added.
 * The FTS rowid is the case's rowid, which grows with creation time: search can walk newest first.
 */
export const migration0080CaseSearch: Migration = {
  version: 80,
  name: 'case-search',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE case_search USING fts5 (
        reference,
        description,
        notes,
        content = '',
        contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2'
      );
    `);
  },
};
