import type { Migration } from '../migration';
import { rebuildTable } from '../rebuild-table';

/** `CHECK (column IN ('a', 'b', 'c'))`: a column limited to a list of three or more words. */
const CHECK_IN_LIST = /CHECK \((\w+) IN \(('[^']*'(?:, '[^']*'){2,})\)\)/g;

/**
 * The same CHECKs as comparisons joined by OR: `CHECK (kind = 'created' OR kind = 'field' OR ...)`. They allow
 * exactly the same values (NULL too, as IN does), but SQLite builds a small table for an IN list of three or more
 * each time an INSERT or UPDATE statement runs, which cost about 1.3 µs per row written, a fifth of what writing a
 * timeline event cost, and three times over for a case. Comparisons cost a few nanoseconds.
 */
export function checksAsComparisons(sql: string): string {
  return sql.replace(CHECK_IN_LIST, (_check, column: string, list: string) => {
    const words = list.split(', ');
    return `CHECK (${words.map((word) => `${column} = ${word}`).join(' OR ')})`;
  });
}

/** The tables a desk writes often whose CHECKs hold such lists. */
const TABLES = ['cases', 'case_events', 'calls', 'team_users'];

/**
 * Rebuilds the cases, their timelines, calls and the team's people with their word-list CHECKs written as
 * comparisons (`checksAsComparisons`): the same rules, cheaper to check on every row a desk writes, above all when a
 * catch-up writes thousands. Rows keep their rowids (the search index is keyed by them); indexes and triggers are
 * made again as they were. A table with no such list is left alone.
 */
export const migration0170ChecksAsComparisons: Migration = {
  version: 170,
  name: 'checks-as-comparisons',
  foreignKeysOff: true,
  up(db) {
    for (const table of TABLES) rebuildTable(db, table, checksAsComparisons);
  },
};
