import type { Migration } from '../migration';

/**
 * `outbox_by_name`: the outbox's entries by name, so the count of what waits (changes, and apart from them the reports
 * of cases read for the central audit log, `createWaitingCount`) is read from this small index, not from every
 * entry's JSON. The count is taken after every local write and every read that reports cases, and an offline desk's
 * outbox can hold a day of them.
 */
export const migration0150OutboxByName: Migration = {
  version: 150,
  name: 'outbox-by-name',
  up(db) {
    db.exec('CREATE INDEX outbox_by_name ON outbox (name)');
  },
};
