import type { Database } from 'better-sqlite3';
import { MAX_LISTED_CASES, type CaseShownIn } from '../../../src-shared/sync/protocol';
import type { Clock } from '../clock';
import { commitWithoutFlush } from '../db/commit-without-flush';
import type { Outbox } from '../sync/outbox';

/**
 * A case shown again in the same place to the same handler is reported again only after this long: a list the desk
 * redraws as cases change, or a search refined word by word, would otherwise report the same rows every few seconds.
 * The audit log still says who saw which case, where, and when they first saw it in each quarter of an hour.
 */
export const SHOWN_AGAIN_AFTER_MS = 15 * 60_000;

/** Remembered showings past this many are pruned of those older than the window. */
const REMEMBERED_MAX = 20_000;

/**
 * The desk's reports of case previews it shows in lists (the case list, search results, the caller's card, the
 * inbox): each row shows the case's reference, its caller and the first words of what they said, so it is a read of
 * the case, audited centrally as a read through the API is. `read(shownIn, read, caseIdsOf)` runs the read and writes
 * its report to the outbox (one `cases.listed` for up to MAX_LISTED_CASES cases) in one transaction, so the rows
 * reach the screen only with their report kept; sync delivers it like any change, offline included.
 *
 * Only while someone is signed in (no one else can be shown cases), and only the cases not already reported for this
 * handler and place within SHOWN_AGAIN_AFTER_MS. The report is committed without waiting for the disk (see
 * `commitWithoutFlush`): a killed app keeps it, a power cut may lose the last moments' reports, and the next change the
 * handler makes writes them to the disk with it. A screen pop must not wait on the disk.
 */
export function createShownCasesReport(db: Database, deps: { outbox: Outbox; clock: Clock; userId: () => string | null }) {
  const reportedAt = new Map<string, number>();
  const withoutFlush = commitWithoutFlush(db);
  const key = (userId: string, shownIn: CaseShownIn, caseId: string) => `${userId}\u0000${shownIn}\u0000${caseId}`;

  /** Runs `read` and writes its report in one transaction (made once: making one costs as much as committing it). */
  const readAndReport = db.transaction((read: () => unknown, report: (shown: unknown) => void): unknown => {
    const shown = read();
    report(shown);
    return shown;
  });

  function forget(olderThan: number): void {
    for (const [shown, at] of reportedAt) if (at <= olderThan) reportedAt.delete(shown);
  }

  return {
    read<T>(shownIn: CaseShownIn, read: () => T, caseIdsOf: (shown: T) => readonly string[]): T {
      const userId = deps.userId();
      if (userId === null) return read();
      const now = deps.clock.now();
      // Inside a caller's transaction the report commits only with it, and might not: then nothing is remembered, and
      // the same cases are reported again the next time they are shown.
      const nested = db.inTransaction;
      let reported: string[] = [];
      const shown = withoutFlush(() =>
        readAndReport(read, (value) => {
          reported = [...new Set(caseIdsOf(value as T))].filter((caseId) => {
            const last = reportedAt.get(key(userId, shownIn, caseId));
            // A time after now is the clock having been put back: report again rather than wait for it.
            return last === undefined || last > now || now - last >= SHOWN_AGAIN_AFTER_MS;
          });
          const at = new Date(now).toISOString();
          for (let start = 0; start < reported.length; start += MAX_LISTED_CASES) {
            deps.outbox.enqueue('cases.listed', { caseIds: reported.slice(start, start + MAX_LISTED_CASES), shownIn, at }, at);
          }
        }) as T,
      );
      // Remembered once committed: a read that failed reports its cases when it is done again.
      if (!nested) for (const caseId of reported) reportedAt.set(key(userId, shownIn, caseId), now);
      if (reportedAt.size > REMEMBERED_MAX) forget(now - SHOWN_AGAIN_AFTER_MS);
      return shown;
    },
  };
}

export type ShownCasesReport = ReturnType<typeof createShownCasesReport>;
